package noiptest

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"testing"
)

const agent = "Lagrieta itlag/1.0 ops@lagrieta.example"

type req struct {
	query      string
	user, pass string // "" = the fake's
	ua         string // "" = agent; "-" = none
	path       string // "" = /nic/update
}

func do(t *testing.T, s *Server, r req) (int, string) {
	t.Helper()
	path := r.path
	if path == "" {
		path = "/nic/update"
	}
	hr, err := http.NewRequest(http.MethodGet, s.URL()+path+"?"+r.query, nil)
	if err != nil {
		t.Fatal(err)
	}
	user, pass := r.user, r.pass
	if user == "" {
		user, pass = s.Username(), s.Password()
	}
	hr.SetBasicAuth(user, pass)
	switch r.ua {
	case "":
		hr.Header.Set("User-Agent", agent)
	case "-":
		hr.Header.Set("User-Agent", "")
	default:
		hr.Header.Set("User-Agent", r.ua)
	}
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b))
}

func TestServerAnswers(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(s *Server)
		req    req
		status int
		body   string
		after  map[string]string // host → address afterwards
	}{
		{name: "good", req: req{query: "hostname=a.ddns.net&myip=192.0.2.9"},
			status: 200, body: "good 192.0.2.9", after: map[string]string{"a.ddns.net": "192.0.2.9"}},
		{name: "nochg", req: req{query: "hostname=a.ddns.net&myip=192.0.2.1"},
			status: 200, body: "nochg 192.0.2.1", after: map[string]string{"a.ddns.net": "192.0.2.1"}},
		{name: "both families", req: req{query: "hostname=a.ddns.net&myip=192.0.2.9&myipv6=2001:db8::9"},
			status: 200, body: "good 192.0.2.9,2001:db8::9", after: map[string]string{"a.ddns.net": "192.0.2.9,2001:db8::9"}},
		{name: "several hosts, mixed", setup: func(s *Server) { s.SetAnswer("c.ddns.net", "abuse") },
			req:    req{query: "hostname=a.ddns.net,b.ddns.net,c.ddns.net,zz.ddns.net&myip=192.0.2.2"},
			status: 200, body: "good 192.0.2.2\nnochg 192.0.2.2\nabuse\nnohost",
			after: map[string]string{"a.ddns.net": "192.0.2.2", "b.ddns.net": "192.0.2.2", "c.ddns.net": "192.0.2.3"}},
		{name: "no myip: the caller's address", req: req{query: "hostname=a.ddns.net"},
			status: 200, body: "good 127.0.0.1", after: map[string]string{"a.ddns.net": "127.0.0.1"}},
		{name: "unknown host", req: req{query: "hostname=nope.ddns.net&myip=192.0.2.9"}, status: 200, body: "nohost"},
		{name: "no hostname", req: req{query: "myip=192.0.2.9"}, status: 200, body: "nohost"},
		{name: "wrong password", req: req{query: "hostname=a.ddns.net&myip=192.0.2.9", user: "test-user", pass: "nope"},
			status: 401, body: "badauth", after: map[string]string{"a.ddns.net": "192.0.2.1"}},
		{name: "no agent", req: req{query: "hostname=a.ddns.net&myip=192.0.2.9", ua: "-"}, status: 200, body: "badagent"},
		{name: "agent without contact", req: req{query: "hostname=a.ddns.net&myip=192.0.2.9", ua: "curl/8.0"}, status: 200, body: "badagent"},
		{name: "agent without version", req: req{query: "hostname=a.ddns.net&myip=192.0.2.9", ua: "itlag ops@x.example"}, status: 200, body: "badagent"},
		{name: "offline is paid", req: req{query: "hostname=a.ddns.net&offline=YES"}, status: 200, body: "!donator"},
		{name: "account-wide 911: one line", setup: func(s *Server) { s.SetAnswer("", "911") },
			req: req{query: "hostname=a.ddns.net,b.ddns.net&myip=192.0.2.9"}, status: 200, body: "911",
			after: map[string]string{"a.ddns.net": "192.0.2.1"}},
		{name: "bad myip", req: req{query: "hostname=a.ddns.net&myip=300.1.1.1"}, status: 400},
		{name: "bad myipv6", req: req{query: "hostname=a.ddns.net&myipv6=192.0.2.1"}, status: 400},
		{name: "other path", req: req{path: "/nic/other"}, status: 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewServer(Options{})
			defer s.Close()
			s.AddHost("a.ddns.net", "192.0.2.1")
			s.AddHost("B.ddns.net", "192.0.2.2")
			s.AddHost("c.ddns.net", "192.0.2.3")
			if tt.setup != nil {
				tt.setup(s)
			}
			status, body := do(t, s, tt.req)
			if status != tt.status || (tt.body != "" && body != tt.body) {
				t.Fatalf("got %d %q, want %d %q", status, body, tt.status, tt.body)
			}
			for h, want := range tt.after {
				if got := s.Address(h); got != want {
					t.Errorf("Address(%s) = %q, want %q", h, got, want)
				}
			}
			if s.Requests() != 1 {
				t.Errorf("Requests() = %d, want 1", s.Requests())
			}
		})
	}
}

func TestServerRecordsUpdates(t *testing.T) {
	s := NewServer(Options{Username: "u@example.com", Password: "p:w"})
	defer s.Close()
	s.AddHost("a.ddns.net", "")
	do(t, s, req{query: "hostname=a.ddns.net,x.ddns.net&myip=192.0.2.9"})
	do(t, s, req{query: "hostname=a.ddns.net&myip=192.0.2.9", ua: "bad"})
	want := []Update{
		{Request: 1, Host: "a.ddns.net", MyIP: "192.0.2.9", Answer: "good 192.0.2.9", UserAgent: agent},
		{Request: 1, Host: "x.ddns.net", MyIP: "192.0.2.9", Answer: "nohost", UserAgent: agent},
		{Request: 2, Host: "a.ddns.net", MyIP: "192.0.2.9", Answer: "badagent", UserAgent: "bad"},
	}
	if got := s.Updates(); !slices.Equal(got, want) {
		t.Errorf("Updates() =\n%+v\nwant\n%+v", got, want)
	}
}

func TestResolver(t *testing.T) {
	s := NewServer(Options{})
	defer s.Close()
	s.AddHost("a.ddns.net", "192.0.2.1,2001:db8::1")
	s.AddHost("empty.ddns.net", "")
	res := s.Resolver()
	got, err := res(context.Background(), "A.ddns.net.")
	if want := []netip.Addr{netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("2001:db8::1")}; err != nil || !slices.Equal(got, want) {
		t.Errorf("a.ddns.net: %v, %v; want %v", got, err, want)
	}
	for _, h := range []string{"empty.ddns.net", "nope.ddns.net"} {
		_, err := res(context.Background(), h)
		var de *net.DNSError
		if !errors.As(err, &de) || !de.IsNotFound {
			t.Errorf("%s: %v, want a not-found DNS error", h, err)
		}
	}
}

func TestStateRoundTrip(t *testing.T) {
	s := NewServer(Options{})
	defer s.Close()
	s.AddHost("a.ddns.net", "192.0.2.1,2001:db8::1")
	s.AddHost("b.ddns.net", "")
	s.SetAnswer("b.ddns.net", "abuse")
	b, err := s.MarshalState()
	if err != nil {
		t.Fatal(err)
	}
	s2 := NewServer(Options{})
	defer s2.Close()
	if err := s2.UnmarshalState(b); err != nil {
		t.Fatal(err)
	}
	if got := s2.Address("a.ddns.net"); got != "192.0.2.1,2001:db8::1" {
		t.Errorf("a.ddns.net = %q after restore", got)
	}
	if _, body := do(t, s2, req{query: "hostname=b.ddns.net&myip=192.0.2.5"}); body != "abuse" {
		t.Errorf("forced answer lost: %q", body)
	}
	for _, bad := range []string{`{`, `{"version":2}`, `{"version":1,"hosts":{"a":{"ipv4":"2001:db8::1"}}}`} {
		if err := s2.UnmarshalState([]byte(bad)); err == nil {
			t.Errorf("UnmarshalState(%s) succeeded", bad)
		}
	}
	if got := s2.Address("a.ddns.net"); got != "192.0.2.1,2001:db8::1" {
		t.Errorf("a failed restore changed the state: %q", got)
	}
}

func TestEcho(t *testing.T) {
	e := NewEcho("203.0.113.7")
	defer e.Close()
	get := func() (int, string) {
		resp, err := http.Get(e.URL())
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, strings.TrimSpace(string(b))
	}
	if st, b := get(); st != 200 || b != "203.0.113.7" {
		t.Errorf("got %d %q", st, b)
	}
	e.SetIP("203.0.113.8")
	if _, b := get(); b != "203.0.113.8" {
		t.Errorf("after SetIP: %q", b)
	}
	e.SetStatus(503)
	if st, _ := get(); st != 503 {
		t.Errorf("after SetStatus: %d", st)
	}
	if e.Requests() != 3 {
		t.Errorf("Requests() = %d, want 3", e.Requests())
	}
}
