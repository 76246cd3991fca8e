package godaddytest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/lagrieta/itlag/providers"
)

// Record is a DNS record as the API sends and stores it.
type Record struct {
	Type     string `json:"type"`
	Name     string `json:"name"`
	Data     string `json:"data"`
	TTL      int    `json:"ttl"`
	Priority *int   `json:"priority,omitempty"`
	Port     *int   `json:"port,omitempty"`
	Weight   *int   `json:"weight,omitempty"`
	Protocol string `json:"protocol,omitempty"`
	Service  string `json:"service,omitempty"`
}

// input is a record as a request body holds it (ttl may be left out).
type input struct {
	Type     string `json:"type"`
	Name     string `json:"name"`
	Data     string `json:"data"`
	TTL      *int   `json:"ttl"`
	Priority *int   `json:"priority"`
	Port     *int   `json:"port"`
	Weight   *int   `json:"weight"`
	Protocol string `json:"protocol"`
	Service  string `json:"service"`
}

// The paging limits of the record list.
const (
	DefaultRecordLimit = 500
	MaxRecordLimit     = 500
)

// records serves /v1/domains/{d}/records[/{type}[/{name}]]; rest is what
// follows "records".
func (s *Server) records(w http.ResponseWriter, r *http.Request, d *domain, rest []string) {
	var typ, name string
	if len(rest) > 0 {
		typ = strings.ToUpper(rest[0])
	}
	if len(rest) > 1 {
		name = strings.ToLower(rest[1])
	}
	switch {
	case len(rest) <= 2 && r.Method == http.MethodGet:
		s.listRecords(w, r, d, typ, name)
	case len(rest) == 0 && r.Method == http.MethodPatch:
		s.appendRecords(w, r, d)
	case len(rest) == 2 && r.Method == http.MethodPut:
		s.replaceSet(w, r, d, typ, name)
	case len(rest) == 2 && r.Method == http.MethodDelete:
		s.deleteSet(w, d, typ, name)
	default:
		notFound(w, "no such endpoint")
	}
}

// listRecords pages through the records matching type and name (when set):
// offset is the page number (1-based), limit the page size.
func (s *Server) listRecords(w http.ResponseWriter, r *http.Request, d *domain, typ, name string) {
	page, limit, bad := paging(r.URL.Query())
	if bad != nil {
		writeErr(w, http.StatusUnprocessableEntity, *bad)
		return
	}
	match := []Record{}
	for _, rec := range d.Records {
		if (typ == "" || rec.Type == typ) && (name == "" || rec.Name == name) {
			match = append(match, rec)
		}
	}
	lo := min((page-1)*limit, len(match))
	hi := min(lo+limit, len(match))
	writeJSON(w, http.StatusOK, match[lo:hi])
}

func paging(q url.Values) (page, limit int, bad *apiError) {
	page, limit = 1, DefaultRecordLimit
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return 0, 0, &apiError{Code: "INVALID_QUERY", Message: "offset must be a page number",
				Fields: []fieldError{{Code: "INVALID_VALUE", Message: "must be 0 or more", Path: "offset"}}}
		}
		page = max(n, 1)
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxRecordLimit {
			return 0, 0, &apiError{Code: "INVALID_QUERY", Message: fmt.Sprintf("limit must be between 1 and %d", MaxRecordLimit),
				Fields: []fieldError{{Code: "INVALID_VALUE", Message: fmt.Sprintf("must be between 1 and %d", MaxRecordLimit), Path: "limit"}}}
		}
		limit = n
	}
	return page, limit, nil
}

// appendRecords serves PATCH /records: all records are valid and new, or
// nothing is added.
func (s *Server) appendRecords(w http.ResponseWriter, r *http.Request, d *domain) {
	var in []input
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		invalid(w, []fieldError{{Code: "INVALID_JSON", Message: "body is not an array of records: " + err.Error(), Path: "records"}})
		return
	}
	if len(in) == 0 {
		invalid(w, []fieldError{{Code: "MISSING", Message: "at least one record is required", Path: "records"}})
		return
	}
	var bad []fieldError
	var add []Record
	seen := map[string]bool{}
	for _, rec := range d.Records {
		seen[identity(rec)] = true
	}
	for i, x := range in {
		path := fmt.Sprintf("records[%d]", i)
		rec, errs := validate(x, strings.ToUpper(x.Type), strings.ToLower(x.Name), path)
		bad = append(bad, errs...)
		if len(errs) == 0 {
			if seen[identity(rec)] {
				writeErr(w, http.StatusUnprocessableEntity, apiError{Code: "DUPLICATE_RECORD",
					Message: "Another record with the same attributes already exists",
					Fields:  []fieldError{{Code: "DUPLICATE_RECORD", Message: "already exists", Path: path}}})
				return
			}
			seen[identity(rec)] = true
			add = append(add, rec)
		}
	}
	if len(bad) > 0 {
		invalid(w, bad)
		return
	}
	d.Records = append(d.Records, add...)
	w.WriteHeader(http.StatusOK)
}

// replaceSet serves PUT /records/{type}/{name}: the body becomes the whole
// set of that type and name.
func (s *Server) replaceSet(w http.ResponseWriter, r *http.Request, d *domain, typ, name string) {
	var in []input
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		invalid(w, []fieldError{{Code: "INVALID_JSON", Message: "body is not an array of records: " + err.Error(), Path: "records"}})
		return
	}
	if len(in) == 0 {
		invalid(w, []fieldError{{Code: "MISSING", Message: "at least one record is required", Path: "records"}})
		return
	}
	var bad []fieldError
	var set []Record
	seen := map[string]bool{}
	for i, x := range in {
		path := fmt.Sprintf("records[%d]", i)
		rec, errs := validate(x, typ, name, path)
		bad = append(bad, errs...)
		if len(errs) == 0 {
			if seen[identity(rec)] {
				bad = append(bad, fieldError{Code: "DUPLICATE_RECORD", Message: "the same record twice", Path: path})
			}
			seen[identity(rec)] = true
			set = append(set, rec)
		}
	}
	if len(bad) > 0 {
		invalid(w, bad)
		return
	}
	d.Records = slices.DeleteFunc(d.Records, func(rec Record) bool { return rec.Type == typ && rec.Name == name })
	d.Records = append(d.Records, set...)
	w.WriteHeader(http.StatusOK)
}

// deleteSet serves DELETE /records/{type}/{name}: 204, or 404 when the set
// is empty.
func (s *Server) deleteSet(w http.ResponseWriter, d *domain, typ, name string) {
	n := len(d.Records)
	d.Records = slices.DeleteFunc(d.Records, func(rec Record) bool { return rec.Type == typ && rec.Name == name })
	if len(d.Records) == n {
		notFound(w, fmt.Sprintf("No %s records named %s", typ, name))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// AddRecords stores canonical records in a domain's zone as the API would
// hold them, without the API's validation (ttl auto becomes 3600). SRV
// names are split into service, protocol and owner name.
func (s *Server) AddRecords(zone string, recs ...providers.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.find(zone)
	if d == nil {
		return fmt.Errorf("godaddytest: no domain %q", zone)
	}
	for _, r := range recs {
		w, err := fromCanonical(r)
		if err != nil {
			return fmt.Errorf("godaddytest: %s %s: %w", r.Name, r.Type, err)
		}
		d.Records = append(d.Records, w)
	}
	return nil
}

// AddRawRecords stores records in a domain's zone exactly as given,
// without the API's validation, so tests can seed what GoDaddy might hold.
func (s *Server) AddRawRecords(zone string, recs ...Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.find(zone)
	if d == nil {
		return fmt.Errorf("godaddytest: no domain %q", zone)
	}
	for _, r := range recs {
		d.Records = append(d.Records, r.clone())
	}
	return nil
}

// RawRecords returns a zone's records as stored, SOA and GoDaddy's own NS
// records included; nil if there is no such domain.
func (s *Server) RawRecords(zone string) []Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.find(zone)
	if d == nil {
		return nil
	}
	out := make([]Record, len(d.Records))
	for i, r := range d.Records {
		out[i] = r.clone()
	}
	return out
}

// Records returns a zone's records in canonical form, sorted, without the
// SOA and GoDaddy's own apex NS records (those on *.domaincontrol.com):
// what a faithful provider's Observe returns.
func (s *Server) Records(zone string) []providers.Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.find(zone)
	if d == nil {
		return nil
	}
	var out []providers.Record
	for _, w := range d.Records {
		if r, ok := toCanonical(d.Domain, w); ok {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b providers.Record) int {
		return strings.Compare(a.Name+"\x00"+a.Type+"\x00"+a.Content, b.Name+"\x00"+b.Type+"\x00"+b.Content)
	})
	return out
}

func (r Record) clone() Record {
	cp := func(p *int) *int {
		if p == nil {
			return nil
		}
		v := *p
		return &v
	}
	r.Priority, r.Port, r.Weight = cp(r.Priority), cp(r.Port), cp(r.Weight)
	return r
}
