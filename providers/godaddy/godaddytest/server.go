package godaddytest

import (
	"crypto/subtle"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Mode makes every domains and DNS endpoint answer the same error.
type Mode int

// The modes.
const (
	// Normal serves requests.
	Normal Mode = iota
	// AccessDenied answers 403 ACCESS_DENIED to an authenticated request,
	// as GoDaddy does for accounts with fewer than 10 domains.
	AccessDenied
	// Unauthorized answers 401 UNABLE_TO_AUTHENTICATE whatever the key.
	Unauthorized
)

// Options configures a Server.
type Options struct {
	// Key and Secret are the credentials the server accepts; empty means
	// "test-key" and "test-secret".
	Key, Secret string
	// Mode is the initial mode (SetMode changes it).
	Mode Mode
	// QuotaPerMinute, when positive, answers 429 QUOTA_EXCEEDED to a
	// request when that many requests were accepted within the minute
	// before it (by Now). Refused requests do not count.
	QuotaPerMinute int
	// TooManyFirst answers 429 TOO_MANY_REQUESTS to the first N requests.
	TooManyFirst int
	// RetryAfter adds a Retry-After header to 429 answers: the seconds
	// until the quota frees a slot (by Now), "0" for TooManyFirst.
	RetryAfter bool
	// Now is the server's clock (quota window, default dates); nil means
	// time.Now.
	Now func() time.Time
}

// Stats counts requests. A request refused with 429 counts only in
// RateLimited; one refused by auth, Mode or FailWith only in Failed; every
// other one by kind, whatever its answer.
type Stats struct {
	ListDomains int // GET /v1/domains
	GetDomain   int // GET /v1/domains/{d}
	PatchDomain int // PATCH /v1/domains/{d}
	ListRecords int // GET /v1/domains/{d}/records (the whole zone)
	GetRecords  int // GET /v1/domains/{d}/records/{type}[/{name}]
	Append      int // PATCH /v1/domains/{d}/records
	Replace     int // PUT /v1/domains/{d}/records/{type}/{name}
	Delete      int // DELETE /v1/domains/{d}/records/{type}/{name}
	Other       int
	RateLimited int
	Failed      int
	Lost        int // carried out, answer lost (also counted by kind)
}

// Total is the number of requests received.
func (s Stats) Total() int {
	return s.ListDomains + s.GetDomain + s.PatchDomain + s.ListRecords + s.GetRecords +
		s.Append + s.Replace + s.Delete + s.Other + s.RateLimited + s.Failed
}

// LoseAnswer, returned by a FailWith function, carries the request out and
// then resets the connection instead of answering.
const LoseAnswer = -1

// Server is the fake API. Its methods are safe for concurrent use.
type Server struct {
	mu       sync.Mutex
	opts     Options
	mode     Mode
	domains  []*domain
	nextID   int64
	stats    Stats
	seen     int         // requests received, for TooManyFirst
	accepted []time.Time // accepted requests within the quota window
	failWith func(*http.Request) int
	srv      *httptest.Server
}

// NewServer starts a fake on 127.0.0.1. Close it when done.
func NewServer(o Options) *Server {
	if o.Key == "" {
		o.Key = "test-key"
	}
	if o.Secret == "" {
		o.Secret = "test-secret"
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	s := &Server{opts: o, mode: o.Mode, nextID: 1000}
	s.srv = httptest.NewServer(s)
	return s
}

// URL is the base URL to give a client ("http://127.0.0.1:PORT").
func (s *Server) URL() string { return s.srv.URL }

// Key and Secret are the credentials the server accepts.
func (s *Server) Key() string    { return s.opts.Key }
func (s *Server) Secret() string { return s.opts.Secret }

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// Requests returns the request counts so far.
func (s *Server) Requests() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// ResetStats sets the request counts to zero.
func (s *Server) ResetStats() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats = Stats{}
}

// SetMode changes the mode.
func (s *Server) SetMode(m Mode) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mode = m
}

// FailWith makes fn decide, for each authenticated request, whether it
// fails before it is processed: a status (500, 422, 503…) is answered with
// a GoDaddy error body and changes nothing; LoseAnswer carries the request
// out and resets the connection; 0 serves it. fn runs with the server
// locked: it must not call the Server's methods. nil removes the hook.
func (s *Server) FailWith(fn func(r *http.Request) int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failWith = fn
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seen++
	if s.throttled(w) {
		return
	}
	if !s.authorized(w, r) {
		s.stats.Failed++
		return
	}
	switch s.mode {
	case AccessDenied:
		s.stats.Failed++
		writeErr(w, http.StatusForbidden, apiError{Code: "ACCESS_DENIED", Message: "Authenticated user is not allowed access"})
		return
	case Unauthorized:
		s.stats.Failed++
		writeErr(w, http.StatusUnauthorized, apiError{Code: "UNABLE_TO_AUTHENTICATE", Message: "Unable to authenticate user"})
		return
	}
	lose := false
	if s.failWith != nil {
		switch st := s.failWith(r); {
		case st == LoseAnswer:
			lose = true
		case st != 0:
			s.stats.Failed++
			writeErr(w, st, failure(st))
			return
		}
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	s.count(r.Method, parts)
	if lose {
		s.stats.Lost++
		s.route(httptest.NewRecorder(), r, parts)
		hangUp(w)
		return
	}
	s.route(w, r, parts)
}

// count adds the request to its kind. Callers hold mu.
func (s *Server) count(method string, p []string) {
	kind := &s.stats.Other
	if len(p) >= 2 && p[0] == "v1" && p[1] == "domains" {
		switch n := len(p); {
		case n == 2 && method == http.MethodGet:
			kind = &s.stats.ListDomains
		case n == 3 && method == http.MethodGet:
			kind = &s.stats.GetDomain
		case n == 3 && method == http.MethodPatch:
			kind = &s.stats.PatchDomain
		case n == 4 && p[3] == "records" && method == http.MethodGet:
			kind = &s.stats.ListRecords
		case n == 4 && p[3] == "records" && method == http.MethodPatch:
			kind = &s.stats.Append
		case n >= 5 && p[3] == "records" && method == http.MethodGet:
			kind = &s.stats.GetRecords
		case n == 6 && p[3] == "records" && method == http.MethodPut:
			kind = &s.stats.Replace
		case n == 6 && p[3] == "records" && method == http.MethodDelete:
			kind = &s.stats.Delete
		}
	}
	*kind++
}

func failure(status int) apiError {
	switch status {
	case http.StatusUnprocessableEntity:
		return apiError{Code: "INVALID_BODY", Message: "Request body doesn't fulfill schema, see details in `fields`",
			Fields: []fieldError{{Code: "INJECTED", Message: "refused by the test", Path: "records"}}}
	case http.StatusTooManyRequests:
		return apiError{Code: "TOO_MANY_REQUESTS", Message: "Too many requests received within interval"}
	}
	return apiError{Code: "INTERNAL_SERVER_ERROR", Message: "An internal error occurred"}
}

// throttled answers 429 when TooManyFirst or the quota says so. Callers
// hold mu.
func (s *Server) throttled(w http.ResponseWriter) bool {
	if s.seen <= s.opts.TooManyFirst {
		s.stats.RateLimited++
		if s.opts.RetryAfter {
			w.Header().Set("Retry-After", "0")
		}
		writeErr(w, http.StatusTooManyRequests, apiError{Code: "TOO_MANY_REQUESTS", Message: "Too many requests received within interval"})
		return true
	}
	if s.opts.QuotaPerMinute <= 0 {
		return false
	}
	now := s.opts.Now()
	keep := s.accepted[:0]
	for _, t := range s.accepted {
		if now.Sub(t) < time.Minute {
			keep = append(keep, t)
		}
	}
	s.accepted = keep
	if len(s.accepted) < s.opts.QuotaPerMinute {
		s.accepted = append(s.accepted, now)
		return false
	}
	s.stats.RateLimited++
	if s.opts.RetryAfter {
		wait := time.Minute - now.Sub(s.accepted[0])
		w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
	}
	writeErr(w, http.StatusTooManyRequests, apiError{Code: "QUOTA_EXCEEDED",
		Message: "Quota exceeded: " + strconv.Itoa(s.opts.QuotaPerMinute) + " requests per minute"})
	return true
}

// authorized checks "Authorization: sso-key KEY:SECRET".
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	cred, ok := strings.CutPrefix(r.Header.Get("Authorization"), "sso-key ")
	key, secret, ok2 := strings.Cut(strings.TrimSpace(cred), ":")
	if !ok || !ok2 || key == "" || secret == "" {
		writeErr(w, http.StatusUnauthorized, apiError{Code: "MALFORMED_CREDENTIALS",
			Message: "Unauthorized : Could not authenticate API key/secret"})
		return false
	}
	k := subtle.ConstantTimeCompare([]byte(key), []byte(s.opts.Key))
	c := subtle.ConstantTimeCompare([]byte(secret), []byte(s.opts.Secret))
	if k&c != 1 {
		writeErr(w, http.StatusUnauthorized, apiError{Code: "UNABLE_TO_AUTHENTICATE", Message: "Unable to authenticate user"})
		return false
	}
	return true
}

func (s *Server) route(w http.ResponseWriter, r *http.Request, p []string) {
	if len(p) < 2 || p[0] != "v1" || p[1] != "domains" {
		notFound(w, "no such endpoint")
		return
	}
	if len(p) == 2 {
		if r.Method != http.MethodGet {
			notFound(w, "no such endpoint")
			return
		}
		s.listDomains(w, r)
		return
	}
	d := s.find(p[2])
	if d == nil {
		notFound(w, "The given domain is not registered, or does not have a zone file")
		return
	}
	switch {
	case len(p) == 3 && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, d.detail())
	case len(p) == 3 && r.Method == http.MethodPatch:
		s.patchDomain(w, r, d)
	case len(p) >= 4 && p[3] == "records":
		s.records(w, r, d, p[4:])
	default:
		notFound(w, "no such endpoint")
	}
}

// apiError is GoDaddy's error body.
type apiError struct {
	Code    string       `json:"code"`
	Message string       `json:"message"`
	Fields  []fieldError `json:"fields,omitempty"`
}

type fieldError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Path    string `json:"path"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"code":"INTERNAL_SERVER_ERROR","message":"encoding"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}

func writeErr(w http.ResponseWriter, status int, e apiError) { writeJSON(w, status, e) }

func notFound(w http.ResponseWriter, msg string) {
	writeErr(w, http.StatusNotFound, apiError{Code: "NOT_FOUND", Message: msg})
}

func invalid(w http.ResponseWriter, fields []fieldError) {
	writeErr(w, http.StatusUnprocessableEntity, apiError{Code: "INVALID_BODY",
		Message: "Request body doesn't fulfill schema, see details in `fields`", Fields: fields})
}

// hangUp resets the connection without answering.
func hangUp(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		return
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	conn.Close()
}
