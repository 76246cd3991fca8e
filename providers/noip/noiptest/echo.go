package noiptest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
)

// Echo is an IP-echo endpoint, as a client's IP sources are
// ("https://api.ipify.org"): GET / answers the address it is set to, as
// text. Its methods are safe for concurrent use.
type Echo struct {
	mu       sync.Mutex
	ip       string
	status   int
	requests int
	srv      *httptest.Server
}

// NewEcho starts an echo endpoint on 127.0.0.1 answering ip. Close it when
// done.
func NewEcho(ip string) *Echo {
	e := &Echo{ip: ip}
	e.srv = httptest.NewServer(e)
	return e
}

// URL is the endpoint's URL.
func (e *Echo) URL() string { return e.srv.URL + "/" }

// Close shuts the endpoint down; afterwards it is unreachable.
func (e *Echo) Close() { e.srv.Close() }

// SetIP changes the address it answers (any text: "garbage" tests a
// broken source).
func (e *Echo) SetIP(ip string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.ip = ip
}

// SetStatus makes it answer that HTTP status without an address; 0 makes
// it answer normally again.
func (e *Echo) SetStatus(code int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.status = code
}

// Requests is the number of requests received.
func (e *Echo) Requests() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.requests
}

func (e *Echo) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.requests++
	if e.status != 0 {
		http.Error(w, http.StatusText(e.status), e.status)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, e.ip)
}
