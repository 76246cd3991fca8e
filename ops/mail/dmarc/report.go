package dmarc

import "time"

// Report is one aggregate report.
type Report struct {
	Org      string    `json:"org"`
	ReportID string    `json:"report_id"`
	Domain   string    `json:"domain"` // policy_published/domain
	Policy   string    `json:"policy"` // p=
	Begin    time.Time `json:"begin"`
	End      time.Time `json:"end"`
	Rows     []Row     `json:"rows"`
}

// Row is one record: a sending source and how its mail fared.
type Row struct {
	SourceIP    string `json:"source_ip"`
	Count       int    `json:"count"`
	HeaderFrom  string `json:"header_from,omitempty"`
	Disposition string `json:"disposition,omitempty"` // none, quarantine, reject
	DKIM        string `json:"dkim"`                  // policy_evaluated: pass | fail
	SPF         string `json:"spf"`
	// AuthDKIM and AuthSPF are the record's auth_results: each DKIM
	// signature and SPF check with its domain, raw (not aligned).
	AuthDKIM []AuthResult `json:"auth_dkim,omitempty"`
	AuthSPF  []AuthResult `json:"auth_spf,omitempty"`
}

// AuthResult is one auth_results entry: a domain and its result.
type AuthResult struct {
	Domain string `json:"domain"`
	Result string `json:"result"`
}

// Pass reports whether the row's mail passed DMARC: aligned DKIM or SPF.
func (r Row) Pass() bool { return r.DKIM == "pass" || r.SPF == "pass" }
