package transport_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lagrieta/itlag/providers/transport"
)

// step answers one attempt; it returns false to hang up without answering.
type step func(w http.ResponseWriter, r *http.Request) bool

func status(code int, hdr ...string) step {
	return func(w http.ResponseWriter, r *http.Request) bool {
		for i := 0; i+1 < len(hdr); i += 2 {
			w.Header().Set(hdr[i], hdr[i+1])
		}
		w.WriteHeader(code)
		io.WriteString(w, http.StatusText(code))
		return true
	}
}

func reset(w http.ResponseWriter, r *http.Request) bool {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(err)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0) // RST instead of FIN
	}
	conn.Close()
	return false
}

// server plays steps in order, then answers 200 "ok"; it records attempts
// and the bodies it received.
func server(t *testing.T, steps ...step) (*httptest.Server, *atomic.Int32, *[]string) {
	t.Helper()
	var n atomic.Int32
	var bodies []string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
		if i < len(steps) {
			steps[i](w, r)
			return
		}
		io.WriteString(w, "ok")
	}))
	t.Cleanup(srv.Close)
	return srv, &n, &bodies
}

// fast never waits long on its own, so a test that depends on Retry-After
// fails by deadline instead of passing by accident.
var fast = transport.Options{WaitMin: time.Millisecond, WaitMax: 5 * time.Millisecond}

// slow waits an hour between attempts unless Retry-After says otherwise.
var slow = transport.Options{WaitMin: time.Hour, WaitMax: time.Hour}

func TestRetries(t *testing.T) {
	past := time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat)
	tests := []struct {
		name     string
		opts     transport.Options
		steps    []step
		method   string
		wantCode int
		wantN    int
	}{
		{"429 retry-after seconds", slow, []step{status(429, "Retry-After", "0")}, "GET", 200, 2},
		{"429 retry-after http date", slow, []step{status(429, "Retry-After", past)}, "GET", 200, 2},
		{"503 retry-after", slow, []step{status(503, "Retry-After", "0"), status(503, "Retry-After", "0")}, "GET", 200, 3},
		{"500 three times", fast, []step{status(500), status(500), status(500)}, "GET", 200, 4},
		{"502 504", fast, []step{status(502), status(504)}, "POST", 200, 3},
		{"connection reset", fast, []step{reset}, "POST", 200, 2},
		{"reset twice then 500", fast, []step{reset, reset, status(500)}, "POST", 200, 4},
		{"400 not retried", fast, []step{status(400)}, "POST", 400, 1},
		{"403 not retried", fast, []step{status(403)}, "GET", 403, 1},
		{"404 not retried", fast, []step{status(404)}, "GET", 404, 1},
		{"501 not retried", fast, []step{status(501)}, "GET", 501, 1},
		{"retries exhausted return last response", transport.Options{RetryMax: 2, WaitMin: time.Millisecond, WaitMax: time.Millisecond},
			[]step{status(500), status(500), status(500), status(500)}, "GET", 500, 3},
		{"retries disabled", transport.Options{RetryMax: -1}, []step{status(500)}, "GET", 500, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, n, bodies := server(t, tt.steps...)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			req, _ := http.NewRequestWithContext(ctx, tt.method, srv.URL+"/x", strings.NewReader("payload"))
			resp, err := transport.New(tt.opts).Do(req)
			if err != nil {
				t.Fatalf("Do: %v", err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.wantCode {
				t.Errorf("status = %d, want %d (body %q)", resp.StatusCode, tt.wantCode, body)
			}
			if got := int(n.Load()); got != tt.wantN {
				t.Errorf("attempts = %d, want %d", got, tt.wantN)
			}
			for i, b := range *bodies {
				if b != "payload" {
					t.Errorf("attempt %d body = %q, want the body replayed", i+1, b)
				}
			}
		})
	}
}

func TestContextCancelStopsRetrying(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv, n, _ := server(t, func(w http.ResponseWriter, r *http.Request) bool {
		cancel()
		return status(503)(w, r)
	}, status(503), status(503))
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
	done := make(chan error, 1)
	go func() {
		resp, err := transport.New(slow).Do(req)
		if resp != nil {
			resp.Body.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Do did not return after the context was cancelled")
	}
	if got := n.Load(); got != 1 {
		t.Errorf("attempts = %d, want 1", got)
	}
}

func TestUserAgent(t *testing.T) {
	var got atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Store(r.UserAgent())
	}))
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL, nil)
	req.Header.Set("User-Agent", "other/1")
	resp, err := transport.New(transport.Options{UserAgent: "itlag/test admin@example.com"}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got.Load() != "itlag/test admin@example.com" {
		t.Errorf("User-Agent = %q", got.Load())
	}
}
