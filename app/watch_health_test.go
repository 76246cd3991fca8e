package app

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// watchClock is a settable clock for the watcher's health.
type watchClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *watchClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *watchClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// countingTransport counts the requests the runtime's HTTP client sends
// (every provider's, the sandbox's fakes included).
type countingTransport struct {
	n    atomic.Int64
	next http.RoundTripper
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(r)
}

// newTestWatcher loads a sandboxed state with a website monitor and a
// Cloudflare zone, and a watcher on the clock.
func newTestWatcher(t *testing.T, clk *watchClock) (*Watcher, *countingTransport, *atomic.Int64) {
	return newTestWatcherAt(t, clk, func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
}

// newTestWatcherAt is newTestWatcher with the monitored site's handler.
func newTestWatcherAt(t *testing.T, clk *watchClock, site http.HandlerFunc) (*Watcher, *countingTransport, *atomic.Int64) {
	t.Helper()
	var probes atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		probes.Add(1)
		site(w, r)
	}))
	t.Cleanup(srv.Close)
	yaml := fmt.Sprintf(`monitors:
  site: {kind: http, target: %q, interval: 1s}
providers:
  cloudflare: {api_token: {env: CF_TOKEN}}
zones:
  - name: example.org
    provider: cloudflare
    records:
      - {name: "@", type: A, value: 203.0.113.10}
`, srv.URL)
	rt := loadSandboxed(t, yaml)
	ct := &countingTransport{next: http.DefaultTransport}
	rt.hc = &http.Client{Transport: ct}
	w, err := rt.NewWatcher(WatchOptions{Tick: 10 * time.Second, ObserveEvery: time.Hour, Now: clk.Now}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return w, ct, &probes
}

func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code, rec.Body.String()
}

// TestHealthzFailsWhenTheLoopIsStuck: /healthz answers ok while rounds
// complete, and 503 with the reason once no round has completed within 3
// ticks (the clock is injected: no sleeping).
func TestHealthzFailsWhenTheLoopIsStuck(t *testing.T) {
	clk := &watchClock{t: time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)}
	w, _, _ := newTestWatcher(t, clk)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h := w.Handler(ctx)

	if code, body := get(t, h, "/healthz"); code != 200 {
		t.Fatalf("just started: %d %q, want 200", code, body)
	}
	clk.Advance(30 * time.Second) // exactly 3 ticks: still fine
	if code, _ := get(t, h, "/healthz"); code != 200 {
		t.Fatalf("after 3 ticks: %d, want 200", code)
	}
	clk.Advance(time.Second)
	code, body := get(t, h, "/healthz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "no round completed for 31s") {
		t.Fatalf("stuck for 31s: %d %q, want 503 with the reason", code, body)
	}
	w.Tick(ctx, clk.Now()) // a round completes
	if code, body := get(t, h, "/healthz"); code != 200 {
		t.Fatalf("after a round: %d %q, want 200", code, body)
	}
	// a round cut short by its timeout does not count
	clk.Advance(31 * time.Second)
	short, stop := context.WithCancel(ctx)
	stop()
	w.Tick(short, clk.Now())
	if code, _ := get(t, h, "/healthz"); code != http.StatusServiceUnavailable {
		t.Fatalf("after a cancelled round: %d, want 503", code)
	}
	cancel()
	if code, body := get(t, h, "/healthz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "stopping") {
		t.Fatalf("stopping: %d %q", code, body)
	}
}

// TestStatusPageServedFromTheLoop: GET / serves what the loop built; many
// requests never observe the world or probe a monitor.
func TestStatusPageServedFromTheLoop(t *testing.T) {
	clk := &watchClock{t: time.Now()}
	w, ct, probes := newTestWatcher(t, clk)
	ctx := context.Background()
	h := w.Handler(ctx)
	if code, _ := get(t, h, "/"); code != http.StatusServiceUnavailable {
		t.Fatalf("before the first round: %d, want 503", code)
	}
	if n := ct.n.Load() + probes.Load(); n != 0 {
		t.Fatalf("a request before any round made %d calls", n)
	}
	w.Tick(ctx, clk.Now())
	calls, probed := ct.n.Load(), probes.Load()
	if calls == 0 || probed != 1 {
		t.Fatalf("the round made %d provider calls and %d probes; the test sees nothing", calls, probed)
	}
	var first string
	for i := range 50 {
		code, body := get(t, h, "/")
		if code != 200 || !strings.Contains(body, "site") {
			t.Fatalf("GET / #%d: %d", i, code)
		}
		if i == 0 {
			first = body
		} else if body != first {
			t.Fatalf("GET / #%d differs from the first: the page was rebuilt by a request", i)
		}
		get(t, h, "/metrics")
	}
	if ct.n.Load() != calls || probes.Load() != probed {
		t.Errorf("50 GETs made %d provider calls and %d probes, want none", ct.n.Load()-calls, probes.Load()-probed)
	}
}

// TestRoundTimeoutCutsAHangingRound: a round stuck on a site that never
// answers ends at RoundTimeout, and does not count as completed.
func TestRoundTimeoutCutsAHangingRound(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	clk := &watchClock{t: time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)}
	w, _, _ := newTestWatcherAt(t, clk, func(rw http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	w.o.RoundTimeout = 50 * time.Millisecond
	w.monitors[0].Timeout = time.Hour // only the round's deadline can end it
	clk.Advance(31 * time.Second)
	done := make(chan struct{})
	go func() {
		w.Tick(context.Background(), clk.Now())
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(time.Minute): // generous: the round's deadline is 50ms
		t.Fatal("a round stuck on a hanging site outlived its timeout")
	}
	if why := w.Health(context.Background()); !strings.Contains(why, "no round completed") {
		t.Errorf("health after a cut round: %q, want unhealthy", why)
	}
}
