package noiptest

import (
	"context"
	"crypto/subtle"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strings"
	"sync"
)

// Options configures a Server.
type Options struct {
	// Username and Password are the account's credentials; empty means
	// "test-user" and "test-pass".
	Username, Password string
}

// Update is one hostname of one update request, as the fake answered it.
type Update struct {
	Request   int    // the request's number, from 1
	Host      string // as sent, lowercased
	MyIP      string // the myip parameter ("" when absent)
	MyIPv6    string // the myipv6 parameter
	Answer    string // the answer line for this host
	UserAgent string
}

// host is one hostname of the account and its addresses.
type host struct {
	IPv4 string `json:"ipv4,omitempty"`
	IPv6 string `json:"ipv6,omitempty"`
}

func (h host) address() string {
	switch {
	case h.IPv4 != "" && h.IPv6 != "":
		return h.IPv4 + "," + h.IPv6
	case h.IPv4 != "":
		return h.IPv4
	}
	return h.IPv6
}

// Server is the fake update service. Its methods are safe for concurrent
// use.
type Server struct {
	mu       sync.Mutex
	opts     Options
	hosts    map[string]*host
	answers  map[string]string // "" = the whole account
	requests int
	updates  []Update
	srv      *httptest.Server
}

// NewServer starts a fake on 127.0.0.1 with no hosts. Close it when done.
func NewServer(o Options) *Server {
	if o.Username == "" {
		o.Username = "test-user"
	}
	if o.Password == "" {
		o.Password = "test-pass"
	}
	s := &Server{opts: o, hosts: map[string]*host{}, answers: map[string]string{}}
	s.srv = httptest.NewServer(s)
	return s
}

// URL is the base URL to give a client ("http://127.0.0.1:PORT").
func (s *Server) URL() string { return s.srv.URL }

// Username and Password are the credentials the account accepts.
func (s *Server) Username() string { return s.opts.Username }
func (s *Server) Password() string { return s.opts.Password }

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// AddHost adds hostname to the account, pointing at ip: "" (no address
// yet), "v4", "v6" or "v4,v6". It replaces the host's addresses if it is
// there already. An ip that is not one of those panics.
func (s *Server) AddHost(hostname, ip string) {
	h, err := parseAddress(ip)
	if err != nil {
		panic(fmt.Sprintf("noiptest: AddHost(%q, %q): %v", hostname, ip, err))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hosts[strings.ToLower(hostname)] = &h
}

// RemoveHost takes hostname out of the account.
func (s *Server) RemoveHost(hostname string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.hosts, strings.ToLower(hostname))
}

// Address is what hostname points at ("v4", "v4,v6"…), "" when it is not
// in the account or has no address.
func (s *Server) Address(hostname string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if h := s.hosts[strings.ToLower(hostname)]; h != nil {
		return h.address()
	}
	return ""
}

// SetAnswer forces the answer for hostname ("911", "abuse", "nohost"…), or
// for the whole account when hostname is "" (then every update request is
// answered with that one line). An empty answer removes the forcing.
func (s *Server) SetAnswer(hostname, answer string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	hostname = strings.ToLower(hostname)
	if answer == "" {
		delete(s.answers, hostname)
		return
	}
	s.answers[hostname] = answer
}

// Requests is the number of requests received, to any path.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// Updates returns every hostname of every update request so far, in order.
func (s *Server) Updates() []Update {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.updates)
}

// Resolver returns a look-up function, usable as noip.Config.Resolver,
// that answers from the account as DNS would: the host's A and AAAA
// addresses, or a not-found error for a host not in the account or without
// an address.
func (s *Server) Resolver() func(ctx context.Context, hostname string) ([]netip.Addr, error) {
	return func(ctx context.Context, hostname string) ([]netip.Addr, error) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		name := strings.TrimSuffix(strings.ToLower(hostname), ".")
		s.mu.Lock()
		var addrs []string
		if h := s.hosts[name]; h != nil {
			addrs = []string{h.IPv4, h.IPv6} // copied under the lock: updates change h
		}
		s.mu.Unlock()
		var out []netip.Addr
		if addrs != nil {
			for _, a := range addrs {
				if a != "" {
					out = append(out, netip.MustParseAddr(a))
				}
			}
		}
		if len(out) == 0 {
			return nil, &net.DNSError{Err: "no such host", Name: hostname, IsNotFound: true}
		}
		return out, nil
	}
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests++
	if r.URL.Path != "/nic/update" {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	if r.Method != http.MethodGet {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	q := r.URL.Query()
	var names []string
	for n := range strings.SplitSeq(q.Get("hostname"), ",") {
		if n = strings.ToLower(strings.TrimSpace(n)); n != "" {
			names = append(names, n)
		}
	}
	u := Update{Request: s.requests, MyIP: q.Get("myip"), MyIPv6: q.Get("myipv6"), UserAgent: r.UserAgent()}
	// record answers every host the same line, or one line each
	record := func(status int, lines ...string) {
		for i, n := range names {
			u.Host, u.Answer = n, lines[min(i, len(lines)-1)]
			s.updates = append(s.updates, u)
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(status)
		fmt.Fprint(w, strings.Join(lines, "\n")+"\n")
	}
	if !s.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Basic realm="No-IP DNS Update API"`)
		record(http.StatusUnauthorized, "badauth")
		return
	}
	if !agentOK(r.UserAgent()) {
		record(http.StatusOK, "badagent")
		return
	}
	if a := s.answers[""]; a != "" {
		record(http.StatusOK, a)
		return
	}
	if len(names) == 0 {
		record(http.StatusOK, "nohost")
		return
	}
	if q.Has("offline") {
		record(http.StatusOK, "!donator")
		return
	}
	want, err := requested(q.Get("myip"), q.Get("myipv6"), r.RemoteAddr)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	lines := make([]string, len(names))
	for i, n := range names {
		lines[i] = s.update(n, want)
	}
	record(http.StatusOK, lines...)
}

// update sets one host to want (the families want carries) and returns
// its answer line. Callers hold mu.
func (s *Server) update(name string, want host) string {
	if a := s.answers[name]; a != "" {
		return a
	}
	h := s.hosts[name]
	if h == nil {
		return "nohost"
	}
	next := *h
	if want.IPv4 != "" {
		next.IPv4 = want.IPv4
	}
	if want.IPv6 != "" {
		next.IPv6 = want.IPv6
	}
	if next == *h {
		return "nochg " + want.address()
	}
	*h = next
	return "good " + want.address()
}

// authorized checks the Basic credentials.
func (s *Server) authorized(r *http.Request) bool {
	user, pass, ok := r.BasicAuth()
	if !ok {
		return false
	}
	u := subtle.ConstantTimeCompare([]byte(user), []byte(s.opts.Username))
	p := subtle.ConstantTimeCompare([]byte(pass), []byte(s.opts.Password))
	return u&p == 1
}

// agentOK accepts a User-Agent of at least two words, one of them (not the
// last) "name/version", the last a contact (an e-mail address or a URL).
func agentOK(ua string) bool {
	f := strings.Fields(ua)
	if len(f) < 2 {
		return false
	}
	contact := f[len(f)-1]
	if !strings.Contains(contact, "@") && !strings.HasPrefix(contact, "http") {
		return false
	}
	for _, w := range f[:len(f)-1] {
		if name, version, ok := strings.Cut(w, "/"); ok && name != "" && version != "" {
			return true
		}
	}
	return false
}

// requested reads myip and myipv6; without either, the caller's address.
func requested(myip, myipv6, remote string) (host, error) {
	var h host
	if myip == "" && myipv6 == "" {
		ap, err := netip.ParseAddrPort(remote)
		if err != nil {
			return h, fmt.Errorf("no myip and no usable caller address %q", remote)
		}
		myip = ap.Addr().Unmap().String()
	}
	if myip != "" {
		a, err := netip.ParseAddr(myip)
		if err != nil {
			return h, fmt.Errorf("bad myip %q", myip)
		}
		if a = a.Unmap(); a.Is4() {
			h.IPv4 = a.String()
		} else {
			h.IPv6 = a.String()
		}
	}
	if myipv6 != "" {
		a, err := netip.ParseAddr(myipv6)
		if err != nil || !a.Is6() || a.Is4In6() {
			return h, fmt.Errorf("bad myipv6 %q", myipv6)
		}
		h.IPv6 = a.String()
	}
	return h, nil
}

// parseAddress reads "", "v4", "v6" or "v4,v6".
func parseAddress(s string) (host, error) {
	var h host
	if s == "" {
		return h, nil
	}
	for part := range strings.SplitSeq(s, ",") {
		a, err := netip.ParseAddr(strings.TrimSpace(part))
		if err != nil {
			return h, err
		}
		switch a = a.Unmap(); {
		case a.Is4() && h.IPv4 == "":
			h.IPv4 = a.String()
		case a.Is6() && h.IPv6 == "":
			h.IPv6 = a.String()
		default:
			return h, fmt.Errorf("two addresses of one family in %q", s)
		}
	}
	return h, nil
}
