package cloudflaretest

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"encoding/hex"
	"math/rand"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options configures a Server.
type Options struct {
	// Token is the bearer token the server accepts; empty means "test-token".
	Token string
	// BatchLimit is the most records one batch request may touch (deletes,
	// patches, puts and posts together); 0 means 200, the free plan's limit.
	BatchLimit int
	// Faults injects failures.
	Faults Faults
	// RateLimit, when positive, allows that many requests per RateWindow
	// (default 5 minutes, as the real API: 1200 per 5 minutes) and answers
	// 429 beyond it until the window ends.
	RateLimit  int
	RateWindow time.Duration
}

// Faults makes a share of requests fail before they are processed, spread
// evenly over: 429 with Retry-After and code 10100, 500 with code 10001,
// and a connection reset. A failed request changes nothing.
type Faults struct {
	// Rate is the share of requests that fail, 0..1.
	Rate float64
	// Seed makes the choice of failing requests repeatable.
	Seed int64
	// LostResponseRate is the share of changing requests (POST, PUT, PATCH,
	// DELETE) that are carried out and whose answer is then lost: the
	// connection is reset instead, as when a network drops the reply. A
	// client that retries blindly then meets its own earlier change
	// (81058 identical record, 81044 record does not exist).
	LostResponseRate float64
	// RetryAfter is what the 429's Retry-After header says, rounded up to
	// whole seconds; zero sends "Retry-After: 0" (fast tests). Set it to
	// time.Second for what the real API typically sends.
	RetryAfter time.Duration
}

// Stats counts requests by kind. Requests failed by a fault count only in
// Failed, those refused by the rate limiter only in RateLimited.
type Stats struct {
	ListZones   int
	ListRecords int
	Batch       int
	Other       int
	Failed      int
	Lost        int // carried out, answer lost (also counted by kind)
	RateLimited int
}

// Total is the number of requests received.
func (s Stats) Total() int {
	return s.ListZones + s.ListRecords + s.Batch + s.Other + s.Failed + s.RateLimited
}

// Server is the fake API. Its methods are safe for concurrent use.
type Server struct {
	mu     sync.Mutex
	opts   Options
	zones  []*zone
	nextID uint64
	stats  Stats
	// changes counts what may have changed the world (see Changes).
	changes uint64
	rng     *rand.Rand
	window  time.Time
	inWin   int
	srv     *httptest.Server
}

type zone struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	NameServers []string  `json:"name_servers"`
	CreatedOn   time.Time `json:"created_on"`
	Records     []Record  `json:"records"`
}

// Prefix is the path under which the API is served.
const Prefix = "/client/v4"

// NewServer starts a fake on 127.0.0.1. Close it when done.
func NewServer(o Options) *Server {
	s := NewHandler(o)
	s.srv = httptest.NewServer(s)
	return s
}

// NewHandler returns a fake that is not listening: serve it yourself
// (it is an http.Handler; paths start with Prefix). URL and Close do
// nothing useful on it.
func NewHandler(o Options) *Server {
	if o.Token == "" {
		o.Token = "test-token"
	}
	if o.BatchLimit <= 0 {
		o.BatchLimit = 200
	}
	if o.RateWindow <= 0 {
		o.RateWindow = 5 * time.Minute
	}
	return &Server{opts: o, rng: rand.New(rand.NewSource(o.Faults.Seed))}
}

// URL is the base URL to give a client: "http://127.0.0.1:PORT/client/v4".
func (s *Server) URL() string {
	if s.srv == nil {
		return Prefix
	}
	return s.srv.URL + Prefix
}

// Token is the bearer token the server accepts.
func (s *Server) Token() string { return s.opts.Token }

// Close shuts the server down.
func (s *Server) Close() {
	if s.srv != nil {
		s.srv.Close()
	}
}

// Requests returns the request counts so far.
func (s *Server) Requests() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// Changes counts the calls and requests that may have changed the world
// since the server started: the seeding methods (AddZone of a new zone,
// AddRecord, SetRecords), UnmarshalState, and every request other than a
// GET that reaches a zone (whether or not it succeeded). Equal counts mean
// an unchanged world, so that a caller may skip saving it.
func (s *Server) Changes() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changes
}

// ResetStats sets the request counts to zero.
func (s *Server) ResetStats() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats = Stats{}
}

// SetFaults replaces the fault injection (and reseeds it).
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.Faults = f
	s.rng = rand.New(rand.NewSource(f.Seed))
}

// newID returns a fresh 32-hex-digit identifier. Callers hold mu.
func (s *Server) newID() string {
	s.nextID++
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], s.nextID)
	sum := sha256.Sum256(append([]byte("cloudflaretest\x00"), b[:]...))
	return hex.EncodeToString(sum[:16])
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fault(w) || s.limited(w) {
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, Prefix+"/")
	if !ok {
		s.stats.Other++
		notFound(w, r.URL.Path)
		return
	}
	parts := strings.Split(strings.TrimSuffix(rest, "/"), "/")
	kind := &s.stats.Other
	switch {
	case r.Method == http.MethodGet && len(parts) == 1 && parts[0] == "zones":
		kind = &s.stats.ListZones
	case r.Method == http.MethodGet && len(parts) == 3 && parts[0] == "zones" && parts[2] == "dns_records":
		kind = &s.stats.ListRecords
	case r.Method == http.MethodPost && len(parts) == 4 && parts[0] == "zones" && parts[2] == "dns_records" && parts[3] == "batch":
		kind = &s.stats.Batch
	}
	*kind++
	if !s.authorized(w, r) {
		return
	}
	if r.Method != http.MethodGet {
		s.changes++
	}
	if r.Method != http.MethodGet && s.loseResponse() {
		s.route(httptest.NewRecorder(), r, parts) // done, but nobody hears of it
		hangUp(w)
		return
	}
	s.route(w, r, parts)
}

// loseResponse decides whether this changing request's answer is lost.
// Callers hold mu.
func (s *Server) loseResponse() bool {
	f := s.opts.Faults
	if f.LostResponseRate <= 0 || s.rng.Float64() >= f.LostResponseRate {
		return false
	}
	s.stats.Lost++
	return true
}

// fault fails the request if the dice say so. Callers hold mu.
func (s *Server) fault(w http.ResponseWriter) bool {
	f := s.opts.Faults
	if f.Rate <= 0 || s.rng.Float64() >= f.Rate {
		return false
	}
	s.stats.Failed++
	switch s.rng.Intn(3) {
	case 0:
		secs := int((f.RetryAfter + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(max(secs, 0)))
		writeErr(w, http.StatusTooManyRequests, errf(codeRateLimited, "Rate limited. Please wait and consider throttling your request speed"))
	case 1:
		writeErr(w, http.StatusInternalServerError, errf(codeInternal, "Internal server error"))
	default:
		hangUp(w)
	}
	return true
}

// hangUp resets the connection without answering.
func hangUp(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		writeErr(w, http.StatusInternalServerError, errf(codeInternal, "Internal server error"))
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

// limited applies the optional rate limit. Callers hold mu.
func (s *Server) limited(w http.ResponseWriter) bool {
	if s.opts.RateLimit <= 0 {
		return false
	}
	now := time.Now()
	if now.Sub(s.window) >= s.opts.RateWindow {
		s.window, s.inWin = now, 0
	}
	s.inWin++
	if s.inWin <= s.opts.RateLimit {
		return false
	}
	s.stats.RateLimited++
	wait := s.opts.RateWindow - now.Sub(s.window)
	w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
	writeErr(w, http.StatusTooManyRequests, errf(codeRateLimited, "Rate limited. Please wait and consider throttling your request speed"))
	return true
}

// authorized checks the bearer token: no or malformed header is 400 (6003
// with 6111 in its chain), a wrong token 403 (10000).
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	h := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || strings.TrimSpace(tok) == "" {
		e := errf(codeBadHeaders, "Invalid request headers")
		e.ErrorChain = []apiError{errf(codeBadAuthFmt, "Invalid format for Authorization header")}
		writeErr(w, http.StatusBadRequest, e)
		return false
	}
	if subtle.ConstantTimeCompare([]byte(tok), []byte(s.opts.Token)) != 1 {
		writeErr(w, http.StatusForbidden, errf(codeAuth, "Authentication error"))
		return false
	}
	return true
}

func (s *Server) route(w http.ResponseWriter, r *http.Request, p []string) {
	if p[0] != "zones" {
		notFound(w, r.URL.Path)
		return
	}
	if len(p) == 1 {
		if r.Method != http.MethodGet {
			notFound(w, r.URL.Path)
			return
		}
		s.listZones(w, r)
		return
	}
	z := s.zoneByID(p[1])
	if z == nil {
		notFound(w, r.URL.Path)
		return
	}
	switch {
	case len(p) == 2 && r.Method == http.MethodGet:
		writeOK(w, z.wire(), nil)
	case len(p) == 3 && p[2] == "dns_records" && r.Method == http.MethodGet:
		s.listRecords(w, r, z)
	case len(p) == 3 && p[2] == "dns_records" && r.Method == http.MethodPost:
		s.createRecord(w, r, z)
	case len(p) == 4 && p[2] == "dns_records" && p[3] == "batch" && r.Method == http.MethodPost:
		s.batch(w, r, z)
	case len(p) == 4 && p[2] == "dns_records":
		s.record(w, r, z, p[3])
	default:
		notFound(w, r.URL.Path)
	}
}
