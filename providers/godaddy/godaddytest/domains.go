package godaddytest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/idna"

	"github.com/lagrieta/itlag/providers"
)

// OwnNameServers are the nameservers GoDaddy gives a new domain: its DNS
// zone starts with apex NS records for them.
var OwnNameServers = []string{"ns51.domaincontrol.com", "ns52.domaincontrol.com"}

// domain is one registration with its DNS zone.
type domain struct {
	Domain              string    `json:"domain"`
	DomainID            int64     `json:"domainId"`
	Status              string    `json:"status"`
	CreatedAt           time.Time `json:"createdAt"`
	Expires             time.Time `json:"expires"`
	RenewDeadline       time.Time `json:"renewDeadline"`
	RenewAuto           bool      `json:"renewAuto"`
	Locked              bool      `json:"locked"`
	Privacy             bool      `json:"privacy"`
	ExpirationProtected bool      `json:"expirationProtected"`
	NameServers         []string  `json:"nameServers"`
	Records             []Record  `json:"records"`
}

// domainName returns the stored form of a domain name.
func domainName(name string) string {
	n := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(name), "."))
	if a, err := idna.Lookup.ToASCII(n); err == nil {
		n = strings.ToLower(a)
	}
	return n
}

// AddDomain registers d (Unicode or punycode name) and creates its DNS zone
// with GoDaddy's own apex NS records (OwnNameServers) and an SOA. Empty
// fields get defaults: status ACTIVE, expiry a year from Now, renew
// deadline 30 days after expiry, nameservers OwnNameServers. A domain that
// exists is left as it is.
func (s *Server) AddDomain(d providers.Domain) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := domainName(d.Name)
	if s.find(n) != nil {
		return
	}
	now := s.opts.Now().UTC().Truncate(time.Second)
	s.nextID++
	st := &domain{Domain: n, DomainID: s.nextID, CreatedAt: now}
	st.set(d, now)
	for _, ns := range OwnNameServers {
		st.Records = append(st.Records, Record{Type: "NS", Name: "@", Data: ns, TTL: 3600})
	}
	st.Records = append(st.Records, Record{Type: "SOA", Name: "@", TTL: 600,
		Data: OwnNameServers[0] + ". dns.jomax.net. " + now.Format("2006010215") + " 28800 7200 604800 600"})
	s.domains = append(s.domains, st)
}

// set copies a registration's fields into st, with AddDomain's defaults.
func (st *domain) set(d providers.Domain, now time.Time) {
	st.Status = cmpOr(d.Status, "ACTIVE")
	st.Expires = d.Expires.UTC()
	if st.Expires.IsZero() {
		st.Expires = now.AddDate(1, 0, 0)
	}
	st.RenewDeadline = d.RenewDeadline.UTC()
	if st.RenewDeadline.IsZero() {
		st.RenewDeadline = st.Expires.AddDate(0, 0, 30)
	}
	st.RenewAuto, st.Locked, st.Privacy, st.ExpirationProtected = d.RenewAuto, d.Locked, d.Privacy, d.ExpirationProtected
	st.NameServers = slices.Clone(d.NameServers)
	if len(st.NameServers) == 0 {
		st.NameServers = slices.Clone(OwnNameServers)
	}
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// SetDomain overwrites the registration of an existing domain (its records
// stay), with AddDomain's defaults for empty fields. It reports whether
// the domain exists.
func (s *Server) SetDomain(d providers.Domain) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.find(d.Name)
	if st == nil {
		return false
	}
	st.set(d, s.opts.Now().UTC().Truncate(time.Second))
	return true
}

// Domain returns a registration as a providers.Domain (nameservers as
// stored, lowercase, sorted); the zero Domain if there is none.
func (s *Server) Domain(name string) providers.Domain {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.find(name)
	if st == nil {
		return providers.Domain{}
	}
	ns := make([]string, 0, len(st.NameServers))
	for _, n := range st.NameServers {
		ns = append(ns, strings.ToLower(strings.TrimSuffix(n, ".")))
	}
	slices.Sort(ns)
	return providers.Domain{Name: st.Domain, Status: st.Status, Expires: st.Expires, RenewDeadline: st.RenewDeadline,
		RenewAuto: st.RenewAuto, Locked: st.Locked, Privacy: st.Privacy, ExpirationProtected: st.ExpirationProtected,
		NameServers: ns}
}

func (s *Server) find(name string) *domain {
	n := domainName(name)
	for _, d := range s.domains {
		if d.Domain == n {
			return d
		}
	}
	return nil
}

// detail is GET /v1/domains/{domain}'s answer (the fields itlag reads and
// a few more).
func (st *domain) detail() map[string]any {
	m := st.summary(true)
	m["renewable"] = st.Status == "ACTIVE"
	m["holdRegistrar"] = false
	m["transferProtected"] = false
	return m
}

// summary is one entry of GET /v1/domains.
func (st *domain) summary(withNS bool) map[string]any {
	ts := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
	m := map[string]any{
		"domain": st.Domain, "domainId": st.DomainID, "status": st.Status,
		"createdAt": ts(st.CreatedAt), "expires": ts(st.Expires), "renewDeadline": ts(st.RenewDeadline),
		"renewAuto": st.RenewAuto, "locked": st.Locked, "privacy": st.Privacy,
		"expirationProtected": st.ExpirationProtected, "exposeWhois": false, "nameServers": nil,
	}
	if withNS {
		m["nameServers"] = st.NameServers
	}
	return m
}

// listDomains serves GET /v1/domains: sorted by name, after marker, at
// most limit (1..1000, default all), filtered by statuses.
func (s *Server) listDomains(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := 1000
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			writeErr(w, http.StatusUnprocessableEntity, apiError{Code: "INVALID_QUERY", Message: "limit must be between 1 and 1000",
				Fields: []fieldError{{Code: "INVALID_VALUE", Message: "must be between 1 and 1000", Path: "limit"}}})
			return
		}
		limit = n
	}
	var statuses []string
	for _, v := range q["statuses"] {
		for st := range strings.SplitSeq(v, ",") {
			statuses = append(statuses, strings.ToUpper(strings.TrimSpace(st)))
		}
	}
	withNS := false
	for _, v := range q["includes"] {
		for inc := range strings.SplitSeq(v, ",") {
			withNS = withNS || strings.TrimSpace(inc) == "nameServers"
		}
	}
	marker := domainName(q.Get("marker"))
	sorted := slices.Clone(s.domains)
	slices.SortFunc(sorted, func(a, b *domain) int { return strings.Compare(a.Domain, b.Domain) })
	out := []map[string]any{}
	for _, d := range sorted {
		if (marker != "" && d.Domain <= marker) || (len(statuses) > 0 && !slices.Contains(statuses, d.Status)) {
			continue
		}
		if len(out) == limit {
			break
		}
		out = append(out, d.summary(withNS))
	}
	writeJSON(w, http.StatusOK, out)
}

// patchDomain serves PATCH /v1/domains/{domain}: renewAuto, locked and
// nameServers change, other known fields are accepted and ignored; 204.
func (s *Server) patchDomain(w http.ResponseWriter, r *http.Request, d *domain) {
	var body struct {
		RenewAuto   *bool     `json:"renewAuto"`
		Locked      *bool     `json:"locked"`
		NameServers *[]string `json:"nameServers"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		invalid(w, []fieldError{{Code: "INVALID_JSON", Message: "body is not a JSON object", Path: "body"}})
		return
	}
	var bad []fieldError
	var ns []string
	if body.NameServers != nil {
		if len(*body.NameServers) == 0 {
			bad = append(bad, fieldError{Code: "MISSING", Message: "at least one nameserver is required", Path: "nameServers"})
		}
		for i, n := range *body.NameServers {
			h := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(n), "."))
			if !hostname(h) || !strings.Contains(h, ".") || slices.Contains(ns, h) {
				bad = append(bad, fieldError{Code: "INVALID_VALUE", Message: "not a nameserver host name (or a duplicate)",
					Path: "nameServers[" + strconv.Itoa(i) + "]"})
			}
			ns = append(ns, h)
		}
	}
	if len(bad) > 0 {
		invalid(w, bad)
		return
	}
	if body.RenewAuto != nil {
		d.RenewAuto = *body.RenewAuto
	}
	if body.Locked != nil {
		d.Locked = *body.Locked
	}
	if body.NameServers != nil {
		d.NameServers = ns
	}
	w.WriteHeader(http.StatusNoContent)
}
