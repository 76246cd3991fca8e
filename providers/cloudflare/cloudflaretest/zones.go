package cloudflaretest

import (
	"cmp"
	"crypto/sha256"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/idna"
)

var nsNames = []string{"ada", "bob", "cruz", "dina", "elle", "fay", "gene", "hana", "igor", "jade", "kiki", "leo", "mira", "nick", "olga", "pete"}

// zoneName returns the stored form of a zone name.
func zoneName(name string) string {
	n := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(name), "."))
	if a, err := idna.Lookup.ToASCII(n); err == nil {
		n = strings.ToLower(a)
	}
	return n
}

// AddZone adds an active zone (Unicode or punycode name) with the two apex
// NS records Cloudflare adds itself, and returns its ID. Adding a zone
// that exists returns the existing ID.
func (s *Server) AddZone(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := zoneName(name)
	if z := s.zoneByName(n); z != nil {
		return z.ID
	}
	sum := sha256.Sum256([]byte(n))
	a, b := int(sum[0])%len(nsNames), int(sum[1])%len(nsNames)
	if a == b {
		b = (b + 1) % len(nsNames)
	}
	s.changes++
	now := time.Now().UTC()
	z := &zone{ID: s.newID(), Name: n, CreatedOn: now,
		NameServers: []string{nsNames[a] + ".ns.cloudflare.com", nsNames[b] + ".ns.cloudflare.com"}}
	for _, ns := range z.NameServers {
		z.Records = append(z.Records, Record{ID: s.newID(), Type: "NS", Name: n, Content: ns, TTL: 86400,
			AutoAdded: true, CreatedOn: now, ModifiedOn: now})
	}
	s.zones = append(s.zones, z)
	return z.ID
}

// HasZone reports whether the fake holds a zone (by name, Unicode or
// punycode, or by ID), without a request.
func (s *Server) HasZone(zone string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.find(zone) != nil
}

// Records returns the records of a zone (by name or ID) in the order the
// list endpoint returns them; nil if there is no such zone.
func (s *Server) Records(zone string) []Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	z := s.find(zone)
	if z == nil {
		return nil
	}
	out := slices.Clone(z.sorted())
	for i := range out {
		out[i] = out[i].clone()
	}
	return out
}

// AddRecord stores r in a zone (by name or ID) as it is, without the API's
// validation, so tests can seed anything; Name may be relative or "@",
// TTL 0 becomes 1. It returns the new ID, or "" if there is no such zone.
func (s *Server) AddRecord(zone string, r Record) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	z := s.find(zone)
	if z == nil {
		return ""
	}
	s.changes++
	z.Records = append(z.Records, s.seed(z, r))
	return z.Records[len(z.Records)-1].ID
}

// SetRecords replaces every record of a zone (by name or ID) with rs, as
// AddRecord stores them. It reports whether the zone exists.
func (s *Server) SetRecords(zone string, rs []Record) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	z := s.find(zone)
	if z == nil {
		return false
	}
	s.changes++
	z.Records = nil
	for _, r := range rs {
		z.Records = append(z.Records, s.seed(z, r))
	}
	return true
}

func (s *Server) seed(z *zone, r Record) Record {
	r = r.clone()
	r.Type = strings.ToUpper(r.Type)
	if n, err := fqdn(r.Name, z.Name); err == nil {
		r.Name = n
	}
	if r.TTL == 0 {
		r.TTL = 1
	}
	r.ID = s.newID()
	now := time.Now().UTC()
	if r.CreatedOn.IsZero() {
		r.CreatedOn = now
	}
	if r.ModifiedOn.IsZero() {
		r.ModifiedOn = r.CreatedOn
	}
	return r
}

func (r Record) clone() Record {
	if r.Data != nil {
		d := *r.Data
		r.Data = &d
	}
	r.Tags = slices.Clone(r.Tags)
	return r
}

func (s *Server) find(zone string) *zone {
	if z := s.zoneByID(zone); z != nil {
		return z
	}
	return s.zoneByName(zoneName(zone))
}

func (s *Server) zoneByID(id string) *zone {
	for _, z := range s.zones {
		if z.ID == id {
			return z
		}
	}
	return nil
}

func (s *Server) zoneByName(n string) *zone {
	for _, z := range s.zones {
		if z.Name == n {
			return z
		}
	}
	return nil
}

func (z *zone) wire() map[string]any {
	ts := z.CreatedOn.UTC().Format(time.RFC3339Nano)
	return map[string]any{
		"id": z.ID, "name": z.Name, "status": "active", "paused": false, "type": "full",
		"development_mode": 0, "name_servers": z.NameServers, "original_name_servers": nil,
		"account":    map[string]any{"id": "0123456789abcdef0123456789abcdef", "name": "itlag test account"},
		"created_on": ts, "modified_on": ts, "activated_on": ts,
	}
}

// sorted puts the zone's records in list order (type, name, content, ID)
// and returns them: the stored slice itself, not a copy (the order of the
// stored records means nothing else). Callers hold mu.
func (z *zone) sorted() []Record {
	if !slices.IsSortedFunc(z.Records, compareRecords) {
		slices.SortStableFunc(z.Records, compareRecords)
	}
	return z.Records
}

// compareRecords orders records as the list endpoint returns them.
func compareRecords(a, b Record) int {
	return cmp.Or(strings.Compare(a.Type, b.Type), strings.Compare(a.Name, b.Name),
		strings.Compare(a.Content, b.Content), strings.Compare(a.ID, b.ID))
}

// paging reads page and per_page, clamping per_page to [5, limit].
func paging(q url.Values, def, limit int) (page, perPage int) {
	page, perPage = 1, def
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 0 {
		page = n
	}
	if n, err := strconv.Atoi(q.Get("per_page")); err == nil {
		perPage = min(max(n, 5), limit)
	}
	return page, perPage
}

// pageOf cuts one page out of n items; past the end it is empty.
func pageOf(n, page, perPage int) (lo, hi int, info *resultInfo) {
	lo = min((page-1)*perPage, n)
	hi = min(lo+perPage, n)
	return lo, hi, &resultInfo{Page: page, PerPage: perPage, Count: hi - lo, TotalCount: n,
		TotalPages: (n + perPage - 1) / perPage}
}

func (s *Server) listZones(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, perPage := paging(q, 20, 50)
	var match []*zone
	for _, z := range s.zones {
		if n := q.Get("name"); n != "" && z.Name != zoneName(n) {
			continue
		}
		if st := q.Get("status"); st != "" && st != "active" {
			continue
		}
		match = append(match, z)
	}
	lo, hi, info := pageOf(len(match), page, perPage)
	out := make([]map[string]any, 0, hi-lo)
	for _, z := range match[lo:hi] {
		out = append(out, z.wire())
	}
	writeOK(w, out, info)
}

// listRecords serves GET dns_records with the v0 filters (type=, name=,
// content=) and the v6 nested ones (name.exact=, name.contains=,
// name.startswith=, name.endswith=, content.exact=, content.contains=).
func (s *Server) listRecords(w http.ResponseWriter, r *http.Request, z *zone) {
	q := r.URL.Query()
	page, perPage := paging(q, 100, 5000)
	name := func(v string) string {
		n, err := fqdn(v, z.Name)
		if err != nil {
			return v
		}
		return n
	}
	type filter struct {
		key  string
		keep func(rec *Record, v string) bool
	}
	filters := []filter{
		{"type", func(rec *Record, v string) bool { return rec.Type == strings.ToUpper(v) }},
		{"name", func(rec *Record, v string) bool { return rec.Name == name(v) }},
		{"name.exact", func(rec *Record, v string) bool { return rec.Name == name(v) }},
		{"name.contains", func(rec *Record, v string) bool { return strings.Contains(rec.Name, strings.ToLower(v)) }},
		{"name.startswith", func(rec *Record, v string) bool { return strings.HasPrefix(rec.Name, strings.ToLower(v)) }},
		{"name.endswith", func(rec *Record, v string) bool { return strings.HasSuffix(rec.Name, strings.ToLower(v)) }},
		{"content", func(rec *Record, v string) bool { return rec.Content == v }},
		{"content.exact", func(rec *Record, v string) bool { return rec.Content == v }},
		{"content.contains", func(rec *Record, v string) bool { return strings.Contains(rec.Content, v) }},
		{"proxied", func(rec *Record, v string) bool { return strconv.FormatBool(rec.Proxied) == v }},
	}
	filters = slices.DeleteFunc(filters, func(f filter) bool { v, ok := q[f.key]; return !ok || len(v) == 0 })
	all := z.sorted()
	match := all
	if len(filters) > 0 {
		match = nil
	next:
		for i := range all {
			for _, f := range filters {
				if !f.keep(&all[i], q[f.key][0]) {
					continue next
				}
			}
			match = append(match, all[i])
		}
	}
	lo, hi, info := pageOf(len(match), page, perPage)
	out := make([]wire, 0, hi-lo)
	for _, rec := range match[lo:hi] {
		out = append(out, rec.wire())
	}
	writeOK(w, out, info)
}
