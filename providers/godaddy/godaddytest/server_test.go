package godaddytest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/godaddy/godaddytest"
)

const auth = "sso-key test-key:test-secret"

type answer struct {
	status int
	header http.Header
	body   []byte
}

// errBody is GoDaddy's error body.
type errBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Fields  []struct {
		Code, Message, Path string
	} `json:"fields"`
}

func (a answer) err(t *testing.T) errBody {
	t.Helper()
	var e errBody
	if err := json.Unmarshal(a.body, &e); err != nil || e.Code == "" || e.Message == "" {
		t.Fatalf("status %d: not a GoDaddy error body: %s", a.status, a.body)
	}
	if ct := a.header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("error with Content-Type %q", ct)
	}
	return e
}

func call(t *testing.T, s *godaddytest.Server, method, path, body string) answer {
	t.Helper()
	return callAuth(t, s, method, path, body, auth)
}

func callAuth(t *testing.T, s *godaddytest.Server, method, path, body, authz string) answer {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, s.URL()+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if authz != "" {
		req.Header.Set("Authorization", authz)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: b}
}

func newServer(t *testing.T, o godaddytest.Options) *godaddytest.Server {
	s := godaddytest.NewServer(o)
	t.Cleanup(s.Close)
	s.AddDomain(providers.Domain{Name: "example.org"})
	return s
}

func records(t *testing.T, a answer) []godaddytest.Record {
	t.Helper()
	if a.status != http.StatusOK || a.header.Get("Content-Type") != "application/json" {
		t.Fatalf("status %d (%s): %s", a.status, a.header.Get("Content-Type"), a.body)
	}
	var rs []godaddytest.Record
	if err := json.Unmarshal(a.body, &rs); err != nil {
		t.Fatal(err)
	}
	return rs
}

func TestAuthAndModes(t *testing.T) {
	s := newServer(t, godaddytest.Options{})
	tests := []struct {
		name   string
		authz  string
		mode   godaddytest.Mode
		status int
		code   string
	}{
		{"no header", "", godaddytest.Normal, 401, "MALFORMED_CREDENTIALS"},
		{"bearer", "Bearer test-key", godaddytest.Normal, 401, "MALFORMED_CREDENTIALS"},
		{"wrong secret", "sso-key test-key:nope", godaddytest.Normal, 401, "UNABLE_TO_AUTHENTICATE"},
		{"right", auth, godaddytest.Normal, 200, ""},
		{"access denied", auth, godaddytest.AccessDenied, 403, "ACCESS_DENIED"},
		{"unauthorized", auth, godaddytest.Unauthorized, 401, "UNABLE_TO_AUTHENTICATE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.SetMode(tt.mode)
			for _, path := range []string{"/v1/domains", "/v1/domains/example.org", "/v1/domains/example.org/records"} {
				a := callAuth(t, s, "GET", path, "", tt.authz)
				if a.status != tt.status {
					t.Fatalf("GET %s: status %d, want %d: %s", path, a.status, tt.status, a.body)
				}
				if tt.code != "" {
					if e := a.err(t); e.Code != tt.code {
						t.Fatalf("GET %s: code %s, want %s", path, e.Code, tt.code)
					}
				}
			}
		})
	}
}

func TestNotFound(t *testing.T) {
	s := newServer(t, godaddytest.Options{})
	for _, c := range [][2]string{{"GET", "/v1/domains/missing.example"}, {"GET", "/v1/domains/missing.example/records"},
		{"PATCH", "/v1/domains/missing.example"}, {"GET", "/v2/other"}, {"DELETE", "/v1/domains/example.org/records/A/none"}} {
		a := call(t, s, c[0], c[1], "")
		if a.status != 404 || a.err(t).Code != "NOT_FOUND" {
			t.Errorf("%s %s: %d %s, want 404 NOT_FOUND", c[0], c[1], a.status, a.body)
		}
	}
}

func TestListDomains(t *testing.T) {
	s := godaddytest.NewServer(godaddytest.Options{})
	defer s.Close()
	for _, n := range []string{"c.example", "a.example", "b.example", "d.example"} {
		s.AddDomain(providers.Domain{Name: n, Status: map[bool]string{true: "EXPIRED"}[n == "b.example"]})
	}
	type summary struct {
		Domain      string    `json:"domain"`
		Status      string    `json:"status"`
		Expires     time.Time `json:"expires"`
		NameServers []string  `json:"nameServers"`
	}
	list := func(q string) []summary {
		a := call(t, s, "GET", "/v1/domains"+q, "")
		if a.status != 200 {
			t.Fatalf("GET %s: %d %s", q, a.status, a.body)
		}
		var out []summary
		json.Unmarshal(a.body, &out)
		return out
	}
	names := func(ss []summary) string {
		var n []string
		for _, x := range ss {
			n = append(n, x.Domain)
		}
		return strings.Join(n, ",")
	}
	if got := names(list("?limit=2")); got != "a.example,b.example" {
		t.Errorf("first page %s", got)
	}
	if got := names(list("?limit=2&marker=b.example")); got != "c.example,d.example" {
		t.Errorf("second page %s", got)
	}
	if got := list("?limit=2&marker=d.example"); len(got) != 0 {
		t.Errorf("past the end: %v", got)
	}
	if got := names(list("?statuses=ACTIVE")); got != "a.example,c.example,d.example" {
		t.Errorf("ACTIVE: %s", got)
	}
	all := list("")
	if len(all) != 4 || all[0].NameServers != nil || all[0].Expires.IsZero() {
		t.Errorf("summary without includes: %+v", all)
	}
	if ns := list("?includes=nameServers")[0].NameServers; !reflect.DeepEqual(ns, godaddytest.OwnNameServers) {
		t.Errorf("includes=nameServers: %v", ns)
	}
	if a := call(t, s, "GET", "/v1/domains?limit=1001", ""); a.status != 422 {
		t.Errorf("limit 1001: %d", a.status)
	}
}

func TestPatchDomain(t *testing.T) {
	s := newServer(t, godaddytest.Options{})
	s.SetDomain(providers.Domain{Name: "example.org", Locked: true, RenewAuto: false, NameServers: []string{"ns1.a.example", "ns2.a.example"}})
	a := call(t, s, "PATCH", "/v1/domains/example.org", `{"renewAuto":true,"nameServers":["NS2.b.example.","ns1.b.example"],"exposeWhois":false}`)
	if a.status != 204 || len(a.body) != 0 {
		t.Fatalf("PATCH: %d %s", a.status, a.body)
	}
	d := s.Domain("example.org")
	if !d.RenewAuto || !d.Locked || !reflect.DeepEqual(d.NameServers, []string{"ns1.b.example", "ns2.b.example"}) {
		t.Fatalf("after PATCH: %+v", d)
	}
	for _, body := range []string{`{"nameServers":[]}`, `{"nameServers":["bad..host"]}`, `{"nameServers":["a.example","a.example"]}`, `[1]`} {
		a := call(t, s, "PATCH", "/v1/domains/example.org", body)
		if a.status != 422 || a.err(t).Code != "INVALID_BODY" || len(a.err(t).Fields) == 0 {
			t.Errorf("PATCH %s: %d %s, want 422 with fields", body, a.status, a.body)
		}
	}
	if got := s.Domain("example.org"); !reflect.DeepEqual(got, d) {
		t.Fatalf("refused PATCHes changed the domain: %+v", got)
	}
}

func TestRecordEndpoints(t *testing.T) {
	s := newServer(t, godaddytest.Options{})
	base := "/v1/domains/example.org/records"
	if rs := records(t, call(t, s, "GET", base, "")); len(rs) != 3 || rs[2].Type != "SOA" {
		t.Fatalf("new zone: %+v, want GoDaddy's 2 NS and the SOA", rs)
	}
	a := call(t, s, "PATCH", base, `[{"type":"A","name":"www","data":"192.0.2.1","ttl":600},
		{"type":"A","name":"www","data":"192.0.2.2"},
		{"type":"MX","name":"@","data":"mx.example.net.","ttl":3600,"priority":10},
		{"type":"SRV","name":"@","data":"sip.example.net","ttl":3600,"priority":1,"weight":2,"port":5060,"service":"_sip","protocol":"_tcp"}]`)
	if a.status != 200 {
		t.Fatalf("PATCH: %d %s", a.status, a.body)
	}
	www := records(t, call(t, s, "GET", base+"/A/www", ""))
	if len(www) != 2 || www[1].TTL != 3600 {
		t.Fatalf("A www: %+v (ttl defaults to 3600)", www)
	}
	if rs := records(t, call(t, s, "GET", base+"/A", "")); len(rs) != 2 {
		t.Fatalf("A: %+v", rs)
	}
	if rs := records(t, call(t, s, "GET", base+"/MX/@", "")); len(rs) != 1 || rs[0].Data != "mx.example.net" || *rs[0].Priority != 10 {
		t.Fatalf("MX: %+v", rs)
	}
	// paging: offset is the page number
	var pages [][]godaddytest.Record
	for _, q := range []string{"?offset=1&limit=3", "?offset=2&limit=3", "?offset=3&limit=3", "?offset=0&limit=3"} {
		pages = append(pages, records(t, call(t, s, "GET", base+q, "")))
	}
	if len(pages[0]) != 3 || len(pages[1]) != 3 || len(pages[2]) != 1 || !reflect.DeepEqual(pages[3], pages[0]) || reflect.DeepEqual(pages[0], pages[1]) {
		t.Fatalf("pages of 3 over 7 records: %d %d %d", len(pages[0]), len(pages[1]), len(pages[2]))
	}
	if rs := records(t, call(t, s, "GET", base+"?offset=9&limit=3", "")); len(rs) != 0 {
		t.Fatalf("past the end: %+v", rs)
	}
	if a := call(t, s, "GET", base+"?limit=501", ""); a.status != 422 {
		t.Fatalf("limit 501: %d", a.status)
	}
	// PUT replaces the set, nothing else
	if a := call(t, s, "PUT", base+"/A/www", `[{"data":"192.0.2.9","ttl":1200}]`); a.status != 200 {
		t.Fatalf("PUT: %d %s", a.status, a.body)
	}
	if rs := records(t, call(t, s, "GET", base+"/A/www", "")); len(rs) != 1 || rs[0].Data != "192.0.2.9" || rs[0].TTL != 1200 {
		t.Fatalf("after PUT: %+v", rs)
	}
	if rs := records(t, call(t, s, "GET", base, "")); len(rs) != 6 {
		t.Fatalf("zone after PUT: %d records, want 6", len(rs))
	}
	// DELETE removes the set; a second time it is gone
	if a := call(t, s, "DELETE", base+"/A/www", ""); a.status != 204 {
		t.Fatalf("DELETE: %d %s", a.status, a.body)
	}
	if a := call(t, s, "DELETE", base+"/A/www", ""); a.status != 404 {
		t.Fatalf("second DELETE: %d", a.status)
	}
	st := s.Requests()
	want := godaddytest.Stats{ListRecords: 8, GetRecords: 4, Append: 1, Replace: 1, Delete: 2}
	if st != want {
		t.Fatalf("stats %+v, want %+v", st, want)
	}
}

func TestRecordValidation(t *testing.T) {
	s := newServer(t, godaddytest.Options{})
	base := "/v1/domains/example.org/records"
	if a := call(t, s, "PATCH", base, `[{"type":"TXT","name":"t","data":"hello","ttl":600}]`); a.status != 200 {
		t.Fatal(string(a.body))
	}
	tests := []struct {
		name, method, path, body, code, field string
	}{
		{"ttl below 600", "PATCH", base, `[{"type":"A","name":"x","data":"192.0.2.1","ttl":300}]`, "INVALID_BODY", "records[0].ttl"},
		{"bad type", "PATCH", base, `[{"type":"SPF","name":"x","data":"v=spf1","ttl":600}]`, "INVALID_BODY", "records[0].type"},
		{"bad A", "PATCH", base, `[{"type":"A","name":"x","data":"2001:db8::1","ttl":600}]`, "INVALID_BODY", "records[0].data"},
		{"bad name", "PATCH", base, `[{"type":"A","name":"a b","data":"192.0.2.1","ttl":600}]`, "INVALID_BODY", "records[0].name"},
		{"MX without priority", "PATCH", base, `[{"type":"MX","name":"@","data":"mx.example.net","ttl":600}]`, "INVALID_BODY", "records[0].priority"},
		{"SRV without port", "PATCH", base, `[{"type":"SRV","name":"@","data":"h.example","ttl":600,"priority":1,"weight":1,"service":"_x","protocol":"_tcp"}]`, "INVALID_BODY", "records[0].port"},
		{"bad CAA", "PATCH", base, `[{"type":"CAA","name":"@","data":"0 nonsense x","ttl":600}]`, "INVALID_BODY", "records[0].data"},
		{"duplicate", "PATCH", base, `[{"type":"A","name":"ok","data":"192.0.2.1","ttl":600},{"type":"TXT","name":"t","data":"hello","ttl":3600}]`, "DUPLICATE_RECORD", "records[1]"},
		{"not json", "PATCH", base, `{"type":"A"}`, "INVALID_BODY", "records"},
		{"empty PUT", "PUT", base + "/A/x", `[]`, "INVALID_BODY", "records"},
		{"duplicate in PUT", "PUT", base + "/A/x", `[{"data":"192.0.2.1"},{"data":"192.0.2.1","ttl":900}]`, "INVALID_BODY", "records[1]"},
		{"SOA not writable", "PUT", base + "/SOA/@", `[{"data":"x"}]`, "INVALID_BODY", "records[0].type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := s.RawRecords("example.org")
			a := call(t, s, tt.method, tt.path, tt.body)
			e := a.err(t)
			if a.status != 422 || e.Code != tt.code {
				t.Fatalf("%d %s, want 422 %s", a.status, a.body, tt.code)
			}
			found := false
			for _, f := range e.Fields {
				found = found || f.Path == tt.field
			}
			if !found {
				t.Fatalf("fields %+v, want one at %s", e.Fields, tt.field)
			}
			if !reflect.DeepEqual(s.RawRecords("example.org"), before) {
				t.Fatal("a refused request changed the zone")
			}
		})
	}
}

// clock is a fake clock the test moves.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestRateLimits(t *testing.T) {
	clk := &clock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	for _, retryAfter := range []bool{false, true} {
		s := newServer(t, godaddytest.Options{QuotaPerMinute: 2, TooManyFirst: 1, RetryAfter: retryAfter, Now: clk.Now})
		get := func() answer { return call(t, s, "GET", "/v1/domains/example.org", "") }
		a := get()
		if a.status != 429 || a.err(t).Code != "TOO_MANY_REQUESTS" || (a.header.Get("Retry-After") == "0") != retryAfter {
			t.Fatalf("first request: %d %s (Retry-After %q)", a.status, a.body, a.header.Get("Retry-After"))
		}
		for i := range 2 {
			if a := get(); a.status != 200 {
				t.Fatalf("request %d within quota: %d", i, a.status)
			}
		}
		clk.add(20 * time.Second)
		a = get()
		if a.status != 429 || a.err(t).Code != "QUOTA_EXCEEDED" {
			t.Fatalf("over quota: %d %s", a.status, a.body)
		}
		if ra := a.header.Get("Retry-After"); (retryAfter && ra != "40") || (!retryAfter && ra != "") {
			t.Fatalf("Retry-After %q with RetryAfter %v", ra, retryAfter)
		}
		clk.add(40 * time.Second)
		if a := get(); a.status != 200 {
			t.Fatalf("a minute later: %d", a.status)
		}
		if st := s.Requests(); st.RateLimited != 2 || st.GetDomain != 3 {
			t.Fatalf("stats %+v", st)
		}
	}
}

func TestFailWith(t *testing.T) {
	s := newServer(t, godaddytest.Options{})
	base := "/v1/domains/example.org/records"
	s.FailWith(func(r *http.Request) int {
		if r.Method == http.MethodPatch {
			return 500
		}
		return 0
	})
	a := call(t, s, "PATCH", base, `[{"type":"A","name":"x","data":"192.0.2.1","ttl":600}]`)
	if a.status != 500 || a.err(t).Code != "INTERNAL_SERVER_ERROR" || len(s.Records("example.org")) != 0 {
		t.Fatalf("injected 500: %d %s, records %v", a.status, a.body, s.Records("example.org"))
	}
	s.FailWith(func(r *http.Request) int { return godaddytest.LoseAnswer })
	req, _ := http.NewRequest("PATCH", s.URL()+base, strings.NewReader(`[{"type":"A","name":"x","data":"192.0.2.1","ttl":600}]`))
	req.Header.Set("Authorization", auth)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("lost answer arrived")
	}
	s.FailWith(nil)
	if got := s.Records("example.org"); len(got) != 1 || got[0].Content != "192.0.2.1" {
		t.Fatalf("after the lost answer: %+v", got)
	}
	if st := s.Requests(); st.Failed != 1 || st.Append != 1 || st.Lost != 1 {
		t.Fatalf("stats %+v", st)
	}
}

func TestCanonicalAndState(t *testing.T) {
	s := newServer(t, godaddytest.Options{})
	recs := []providers.Record{
		{Zone: "example.org", Name: "_sip._tcp", Type: "SRV", Content: "5 5060 sip.example.net", Priority: 10, TTL: 3600},
		{Zone: "example.org", Name: "@", Type: "NS", Content: "ns1.other.example", TTL: 3600},
		{Zone: "example.org", Name: "www", Type: "A", Content: "192.0.2.1", TTL: 1},
	}
	if err := s.AddRecords("example.org", recs...); err != nil {
		t.Fatal(err)
	}
	if err := s.AddRecords("missing.example", recs...); err == nil {
		t.Fatal("AddRecords to a missing domain")
	}
	got := s.Records("example.org")
	recs[2].TTL = 3600
	for i := range recs {
		recs[i], _ = providers.Normalize(recs[i])
	}
	want := []providers.Record{recs[1], recs[0], recs[2]} // sorted by name
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Records =\n %+v\nwant\n %+v", got, want)
	}
	raw := s.RawRecords("example.org")
	if len(raw) != 6 || raw[3].Name != "@" || raw[3].Service != "_sip" || raw[3].Protocol != "_tcp" {
		t.Fatalf("raw: %+v", raw)
	}
	b, err := s.MarshalState()
	if err != nil {
		t.Fatal(err)
	}
	s2 := godaddytest.NewServer(godaddytest.Options{})
	defer s2.Close()
	if err := s2.UnmarshalState(b); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s2.Records("example.org"), got) || !reflect.DeepEqual(s2.Domain("example.org"), s.Domain("example.org")) {
		t.Fatal("state did not round-trip")
	}
	for _, bad := range []string{`{`, `{"version":2}`, `{"version":1,"domains":[{"domain":"A.example"}]}`} {
		if err := s2.UnmarshalState([]byte(bad)); err == nil {
			t.Errorf("state %s accepted", bad)
		}
	}
	if len(s2.Records("example.org")) != 3 {
		t.Fatal("a refused state changed the world")
	}
}
