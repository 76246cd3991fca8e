package cloudflaretest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lagrieta/itlag/providers/cloudflare/cloudflaretest"
)

func names(rs []cloudflaretest.Record) []string {
	var out []string
	for _, r := range rs {
		if !r.AutoAdded {
			out = append(out, r.Type+" "+strings.TrimSuffix(r.Name, ".lagrieta.es")+" "+r.Content)
		}
	}
	slices.Sort(out)
	return out
}

func TestBatch(t *testing.T) {
	tests := []struct {
		name   string
		body   string // {A}, {X}: the IDs of the seeded A www and TXT t
		status int
		codes  []int
		ptr    string
		want   []string // records afterwards (seeded: A www 192.0.2.1, TXT t x)
	}{
		{"empty", `{}`, 200, nil, "", []string{"A www 192.0.2.1", "TXT t x"}},
		{"delete then conflicting post", `{"deletes":[{"id":"{A}"}],"posts":[{"type":"CNAME","name":"www","content":"x.example.com"}]}`,
			200, nil, "", []string{"CNAME www x.example.com", "TXT t x"}},
		{"post then delete would conflict, but deletes run first", `{"posts":[{"type":"CNAME","name":"www","content":"x.example.com"}],"deletes":[{"id":"{A}"}]}`,
			200, nil, "", []string{"CNAME www x.example.com", "TXT t x"}},
		{"failing post undoes the delete", `{"deletes":[{"id":"{X}"}],"posts":[{"type":"A","name":"a","content":"192.0.2.5"},{"type":"CNAME","name":"www","content":"x.example.com"}]}`,
			400, []int{81053}, "/posts/1", []string{"A www 192.0.2.1", "TXT t x"}},
		{"patch and put", `{"patches":[{"id":"{A}","ttl":300}],"puts":[{"id":"{X}","type":"TXT","name":"t","content":"y"}]}`,
			200, nil, "", []string{"A www 192.0.2.1", "TXT t y"}},
		{"patch sees the delete", `{"deletes":[{"id":"{A}"}],"patches":[{"id":"{A}","ttl":300}]}`,
			400, []int{81044}, "/patches/0", []string{"A www 192.0.2.1", "TXT t x"}},
		{"two identical posts", `{"posts":[{"type":"A","name":"b","content":"192.0.2.7"},{"type":"A","name":"b","content":"192.0.2.7"}]}`,
			400, []int{81058}, "/posts/1", []string{"A www 192.0.2.1", "TXT t x"}},
		{"unknown delete", `{"deletes":[{"id":"0000"}]}`, 400, []int{81044}, "/deletes/0", []string{"A www 192.0.2.1", "TXT t x"}},
		{"too large", `{"posts":[` + strings.Repeat(`{"type":"A","name":"z","content":"192.0.2.9"},`, 3) + `{"type":"TXT","name":"z","content":"1"}]}`,
			400, []int{81059}, "", []string{"A www 192.0.2.1", "TXT t x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, id := newServer(t, cloudflaretest.Options{BatchLimit: 3})
			a := s.AddRecord(id, cloudflaretest.Record{Type: "A", Name: "www", Content: "192.0.2.1"})
			x := s.AddRecord("lagrieta.es", cloudflaretest.Record{Type: "TXT", Name: "t", Content: "x"})
			s.ResetStats()
			r := call(t, s, "POST", "/zones/"+id+"/dns_records/batch", strings.NewReplacer("{A}", a, "{X}", x).Replace(tt.body))
			if r.status != tt.status || !equal(r.codes(), tt.codes) {
				t.Fatalf("got %d %+v, want %d %v", r.status, r.Errors, tt.status, tt.codes)
			}
			if tt.ptr != "" && (r.Errors[0].Source == nil || r.Errors[0].Source.Pointer != tt.ptr) {
				t.Errorf("error source = %+v, want %s", r.Errors[0].Source, tt.ptr)
			}
			if got := names(s.Records(id)); !slices.Equal(got, tt.want) {
				t.Errorf("records = %q, want %q", got, tt.want)
			}
			if r.status == 200 {
				var res map[string][]json.RawMessage
				json.Unmarshal(r.Result, &res)
				for _, k := range []string{"deletes", "patches", "puts", "posts"} {
					if res[k] == nil {
						t.Errorf("result has no %q array", k)
					}
				}
			}
			if st := s.Requests(); st.Batch != 1 || st.Total() != 1 {
				t.Errorf("stats = %+v", st)
			}
		})
	}
}

func TestFaultsFailBeforeProcessing(t *testing.T) {
	s, id := newServer(t, cloudflaretest.Options{Faults: cloudflaretest.Faults{Rate: 1, Seed: 1, RetryAfter: 1500 * time.Millisecond}})
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	seen := map[string]int{}
	for i := range 60 {
		body := fmt.Sprintf(`{"posts":[{"type":"A","name":"h%d","content":"192.0.2.1"}]}`, i)
		req, _ := http.NewRequest("POST", s.URL()+"/zones/"+id+"/dns_records/batch", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer test-token")
		resp, err := client.Do(req)
		switch {
		case err != nil:
			seen["reset"]++
		case resp.StatusCode == 429:
			seen["429"]++
			if ra := resp.Header.Get("Retry-After"); ra != "2" {
				t.Errorf("Retry-After = %q, want 2 (1.5s rounded up)", ra)
			}
		case resp.StatusCode == 500:
			seen["500"]++
		default:
			t.Errorf("status %d", resp.StatusCode)
		}
		if resp != nil {
			resp.Body.Close()
		}
	}
	if seen["reset"] == 0 || seen["429"] == 0 || seen["500"] == 0 {
		t.Errorf("fault kinds seen: %v, want all three", seen)
	}
	if n := len(names(s.Records(id))); n != 0 {
		t.Errorf("%d records created by failed requests", n)
	}
	if st := s.Requests(); st.Failed != 60 || st.Batch != 0 {
		t.Errorf("stats = %+v", st)
	}
	s.SetFaults(cloudflaretest.Faults{})
	if r := call(t, s, "GET", "/zones", ""); r.status != 200 {
		t.Errorf("after SetFaults(zero): %d", r.status)
	}
}

func TestRateLimit(t *testing.T) {
	s, _ := newServer(t, cloudflaretest.Options{RateLimit: 3, RateWindow: time.Hour})
	for i := range 3 {
		if r := call(t, s, "GET", "/zones", ""); r.status != 200 {
			t.Fatalf("request %d: %d", i+1, r.status)
		}
	}
	r := call(t, s, "GET", "/zones", "")
	if r.status != 429 || !equal(r.codes(), []int{10100}) || r.header.Get("Retry-After") == "" || r.header.Get("Retry-After") == "0" {
		t.Errorf("4th request: %d %v Retry-After %q", r.status, r.codes(), r.header.Get("Retry-After"))
	}
	if st := s.Requests(); st.RateLimited != 1 || st.ListZones != 3 {
		t.Errorf("stats = %+v", st)
	}
}

func TestState(t *testing.T) {
	s, id := newServer(t, cloudflaretest.Options{})
	s.AddZone("ñandú.es")
	call(t, s, "POST", "/zones/"+id+"/dns_records", `{"type":"CAA","name":"@","data":{"flags":0,"tag":"issue","value":"le.org"}}`)
	call(t, s, "POST", "/zones/"+id+"/dns_records", `{"type":"TXT","name":"t","content":"x","comment":"c","tags":["a:b"]}`)
	b, err := s.MarshalState()
	if err != nil {
		t.Fatal(err)
	}
	s2 := cloudflaretest.NewServer(cloudflaretest.Options{})
	defer s2.Close()
	if err := s2.UnmarshalState(b); err != nil {
		t.Fatal(err)
	}
	b2, _ := s2.MarshalState()
	if string(b) != string(b2) {
		t.Errorf("state changed on a round trip:\n%s\n%s", b, b2)
	}
	if got, want := names(s2.Records("lagrieta.es")), names(s.Records(id)); !slices.Equal(got, want) || len(got) != 2 {
		t.Errorf("records after restore = %q, want %q", got, want)
	}
	if len(s2.Records("xn--and-6ma2c.es")) != 2 {
		t.Errorf("IDN zone not restored")
	}
	// IDs keep counting: a new record does not reuse one
	newID := s2.AddRecord(id, cloudflaretest.Record{Type: "A", Name: "n", Content: "192.0.2.1"})
	for _, r := range s.Records(id) {
		if r.ID == newID {
			t.Errorf("ID %s reused after restore", newID)
		}
	}
	if err := s2.UnmarshalState([]byte(`{"version":9}`)); err == nil {
		t.Error("accepted a state of another version")
	}
	if len(s2.Records(id)) != 5 {
		t.Error("a refused state changed the world")
	}
}
