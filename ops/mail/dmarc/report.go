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
}

// Pass reports whether the row's mail passed DMARC: aligned DKIM or SPF.
func (r Row) Pass() bool { return r.DKIM == "pass" || r.SPF == "pass" }
