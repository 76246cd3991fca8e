package cloudflaretest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/providers/cloudflare/cloudflaretest"
)

type apiErr struct {
	Code       int      `json:"code"`
	Message    string   `json:"message"`
	ErrorChain []apiErr `json:"error_chain"`
	Source     *struct {
		Pointer string `json:"pointer"`
	} `json:"source"`
}

type reply struct {
	status     int
	header     http.Header
	Success    bool            `json:"success"`
	Errors     []apiErr        `json:"errors"`
	Messages   []any           `json:"messages"`
	Result     json.RawMessage `json:"result"`
	ResultInfo *struct {
		Page       int `json:"page"`
		PerPage    int `json:"per_page"`
		Count      int `json:"count"`
		TotalCount int `json:"total_count"`
		TotalPages int `json:"total_pages"`
	} `json:"result_info"`
}

func (r reply) codes() []int {
	var out []int
	for _, e := range r.Errors {
		out = append(out, e.Code)
	}
	return out
}

// call sends one request with the default token ("" body for none).
func call(t *testing.T, s *cloudflaretest.Server, method, path, body string) reply {
	t.Helper()
	return callAuth(t, s, method, path, body, "Bearer test-token")
}

func callAuth(t *testing.T, s *cloudflaretest.Server, method, path, body, auth string) reply {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, s.URL()+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var r reply
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("%s %s: body is not an envelope: %v: %s", method, path, err, b)
	}
	// every answer carries the whole envelope
	var raw map[string]json.RawMessage
	json.Unmarshal(b, &raw)
	for _, k := range []string{"success", "errors", "messages", "result"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("%s %s: envelope without %q: %s", method, path, k, b)
		}
	}
	r.status, r.header = resp.StatusCode, resp.Header
	return r
}

func newServer(t *testing.T, o cloudflaretest.Options) (*cloudflaretest.Server, string) {
	t.Helper()
	s := cloudflaretest.NewServer(o)
	t.Cleanup(s.Close)
	return s, s.AddZone("lagrieta.es")
}

func TestAuthAndRoutes(t *testing.T) {
	s, id := newServer(t, cloudflaretest.Options{})
	tests := []struct {
		name, method, path, auth string
		status                   int
		codes                    []int
	}{
		{"no header", "GET", "/zones", "", 400, []int{6003}},
		{"not bearer", "GET", "/zones", "Basic eDp5", 400, []int{6003}},
		{"wrong token", "GET", "/zones", "Bearer nope", 403, []int{10000}},
		{"unknown zone", "GET", "/zones/0123/dns_records", "Bearer test-token", 404, []int{7003, 7000}},
		{"unknown path", "GET", "/accounts", "Bearer test-token", 404, []int{7003, 7000}},
		{"unknown record", "GET", "/zones/" + id + "/dns_records/abc", "Bearer test-token", 404, []int{81044}},
		{"ok", "GET", "/zones/" + id, "Bearer test-token", 200, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := callAuth(t, s, tt.method, tt.path, "", tt.auth)
			if r.status != tt.status || !equal(r.codes(), tt.codes) || r.Success != (tt.status == 200) {
				t.Errorf("got %d %v success=%v, want %d %v", r.status, r.codes(), r.Success, tt.status, tt.codes)
			}
		})
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestCreateValidation(t *testing.T) {
	tests := []struct {
		name   string
		seed   string // created first
		body   string
		status int
		codes  []int
	}{
		{"A ok", "", `{"type":"A","name":"www","content":"192.0.2.1"}`, 200, nil},
		{"A not IPv4", "", `{"type":"A","name":"www","content":"2001:db8::1"}`, 400, []int{9005}},
		{"AAAA not IPv6", "", `{"type":"AAAA","name":"www","content":"192.0.2.1"}`, 400, []int{9006}},
		{"TXT proxied", "", `{"type":"TXT","name":"t","content":"x","proxied":true}`, 400, []int{9004}},
		{"ttl too low", "", `{"type":"A","name":"www","content":"192.0.2.1","ttl":30}`, 400, []int{9021}},
		{"ttl too high", "", `{"type":"A","name":"www","content":"192.0.2.1","ttl":86401}`, 400, []int{9021}},
		{"no type", "", `{"name":"www","content":"192.0.2.1"}`, 400, []int{1004}},
		{"MX without priority", "", `{"type":"MX","name":"@","content":"mx.example.com"}`, 400, []int{1004}},
		{"SRV bad name", "", `{"type":"SRV","name":"sip","data":{"priority":1,"weight":2,"port":3,"target":"x.y"}}`, 400, []int{1004}},
		{"CAA bad tag", "", `{"type":"CAA","name":"@","data":{"flags":0,"tag":"bogus","value":"x"}}`, 400, []int{1004}},
		{"bad json", "", `{"type":`, 400, []int{9207}},
		{"identical", `{"type":"A","name":"www","content":"192.0.2.1"}`, `{"type":"A","name":"WWW.lagrieta.es.","content":"192.0.2.1","ttl":300}`, 400, []int{81058}},
		{"identical TXT quoted", `{"type":"TXT","name":"t","content":"abc"}`, `{"type":"TXT","name":"t","content":"\"abc\""}`, 400, []int{81058}},
		{"second A ok", `{"type":"A","name":"www","content":"192.0.2.1"}`, `{"type":"A","name":"www","content":"192.0.2.2"}`, 200, nil},
		{"CNAME over A", `{"type":"A","name":"www","content":"192.0.2.1"}`, `{"type":"CNAME","name":"www","content":"x.example.com"}`, 400, []int{81053}},
		{"A over CNAME", `{"type":"CNAME","name":"www","content":"x.example.com"}`, `{"type":"A","name":"www","content":"192.0.2.1"}`, 400, []int{81053}},
		{"TXT over CNAME", `{"type":"CNAME","name":"www","content":"x.example.com"}`, `{"type":"TXT","name":"www","content":"x"}`, 400, []int{81054}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, id := newServer(t, cloudflaretest.Options{})
			if tt.seed != "" {
				if r := call(t, s, "POST", "/zones/"+id+"/dns_records", tt.seed); r.status != 200 {
					t.Fatalf("seed: %d %v", r.status, r.Errors)
				}
			}
			before := len(s.Records(id))
			r := call(t, s, "POST", "/zones/"+id+"/dns_records", tt.body)
			if r.status != tt.status || !equal(r.codes(), tt.codes) {
				t.Fatalf("got %d %v, want %d %v", r.status, r.Errors, tt.status, tt.codes)
			}
			after := len(s.Records(id))
			if r.status == 200 && after != before+1 || r.status != 200 && after != before {
				t.Errorf("records %d → %d", before, after)
			}
		})
	}
}

func TestRecordWireForm(t *testing.T) {
	s, id := newServer(t, cloudflaretest.Options{})
	long := strings.Repeat("a", 300)
	tests := []struct {
		name, body string
		want       map[string]any // fields of the answer
	}{
		{"TXT long split", `{"type":"TXT","name":"t","content":"` + long + `"}`,
			map[string]any{"content": `"` + long[:255] + `" "` + long[255:] + `"`, "comment": nil, "ttl": 1.0, "name": "t.lagrieta.es", "tags": []any{}}},
		{"TXT quoted kept", `{"type":"TXT","name":"q","content":"\"a\" \"b\""}`, map[string]any{"content": `"a" "b"`}},
		{"IDN name", `{"type":"A","name":"cañón","content":"192.0.2.1","comment":"c"}`,
			map[string]any{"name": "xn--can-8mak.lagrieta.es", "comment": "c", "proxiable": true, "proxied": false}},
		{"SRV from content", `{"type":"SRV","name":"_sip._tcp","content":"5 5060 sip.example.com.","priority":10}`,
			map[string]any{"content": "5 5060 sip.example.com", "priority": 10.0,
				"data": map[string]any{"priority": 10.0, "weight": 5.0, "port": 5060.0, "target": "sip.example.com"}}},
		{"SRV from data", `{"type":"SRV","name":"_xmpp._tcp","data":{"priority":1,"weight":0,"port":5222,"target":"x.example.com"}}`,
			map[string]any{"content": "0 5222 x.example.com", "priority": 1.0}},
		{"CAA from data", `{"type":"CAA","name":"@","data":{"flags":0,"tag":"issue","value":"letsencrypt.org"}}`,
			map[string]any{"content": `0 issue "letsencrypt.org"`, "data": map[string]any{"flags": 0.0, "tag": "issue", "value": "letsencrypt.org"}}},
		{"CAA from content", `{"type":"CAA","name":"c","content":"128 IODEF \"mailto:x@y.z\""}`,
			map[string]any{"content": `128 iodef "mailto:x@y.z"`}},
		{"proxied TTL is auto", `{"type":"A","name":"p","content":"192.0.2.1","proxied":true,"ttl":300}`, map[string]any{"ttl": 1.0, "proxied": true}},
		{"MX", `{"type":"MX","name":"@","content":"MX.example.com.","priority":0}`, map[string]any{"content": "MX.example.com", "priority": 0.0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, s, "POST", "/zones/"+id+"/dns_records", tt.body)
			if r.status != 200 {
				t.Fatalf("%d %v", r.status, r.Errors)
			}
			var got map[string]any
			json.Unmarshal(r.Result, &got)
			for k, v := range tt.want {
				g, _ := json.Marshal(got[k])
				w, _ := json.Marshal(v)
				if !bytes.Equal(g, w) {
					t.Errorf("%s = %s, want %s", k, g, w)
				}
			}
			if id, _ := got["id"].(string); len(id) != 32 {
				t.Errorf("id %q is not 32 hex digits", id)
			}
		})
	}
}

func TestListPaging(t *testing.T) {
	s, id := newServer(t, cloudflaretest.Options{})
	for i := range 10 {
		call(t, s, "POST", "/zones/"+id+"/dns_records", `{"type":"TXT","name":"t","content":"v`+string(rune('a'+i))+`"}`)
	}
	// 12 records with the two apex NS
	tests := []struct {
		query                              string
		count, total, pages, page, perPage int
	}{
		{"?per_page=5&page=1", 5, 12, 3, 1, 5},
		{"?per_page=5&page=3", 2, 12, 3, 3, 5},
		{"?per_page=5&page=4", 0, 12, 3, 4, 5}, // past the end: 200 with []
		{"", 12, 12, 1, 1, 100},
		{"?per_page=1", 5, 12, 3, 1, 5},          // clamped up
		{"?per_page=100000", 12, 12, 1, 1, 5000}, // clamped down
		{"?type=NS", 2, 2, 1, 1, 100},
		{"?name=t.lagrieta.es&type=TXT", 10, 10, 1, 1, 100},
		{"?name.exact=t.lagrieta.es&content=va", 1, 1, 1, 1, 100},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			r := call(t, s, "GET", "/zones/"+id+"/dns_records"+tt.query, "")
			var items []any
			json.Unmarshal(r.Result, &items)
			ri := r.ResultInfo
			if r.status != 200 || items == nil || ri == nil || len(items) != tt.count || ri.Count != tt.count ||
				ri.TotalCount != tt.total || ri.TotalPages != tt.pages || ri.Page != tt.page || ri.PerPage != tt.perPage {
				t.Errorf("got %d, %d items, info %+v", r.status, len(items), ri)
			}
		})
	}
}
