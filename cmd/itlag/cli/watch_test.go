package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the watch loop and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestWatch runs watch for a few rounds: it serves /healthz, /metrics and
// the status page, records the monitor's results, and stops cleanly when
// its context ends (what SIGTERM does through Main).
func TestWatch(t *testing.T) {
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") }))
	defer site.Close()
	dir := t.TempDir()
	state := filepath.Join(dir, "state")
	if err := os.MkdirAll(state, 0o755); err != nil {
		t.Fatal(err)
	}
	yaml := fmt.Sprintf("monitors:\n  site: {kind: http, target: %q, interval: 1s}\n", site.URL)
	if err := os.WriteFile(filepath.Join(state, "m.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- runWatch(ctx, &env{stdout: &stdout, stderr: &stderr},
			[]string{"--state", state, "--data-dir", filepath.Join(dir, "data"), "--listen", "127.0.0.1:0", "--tick", "100ms", "--log-format", "json"})
	}()
	addr := ""
	re := regexp.MustCompile(`Serving on (http://[0-9.:]+)/`)
	get := func(path string) (int, string) {
		resp, err := http.Get(addr + path)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	var metrics string
	for !nearDeadline(t) {
		if addr == "" {
			if m := re.FindStringSubmatch(stdout.String()); m != nil {
				addr = m[1]
			}
		} else if _, metrics = get("/metrics"); strings.Contains(metrics, `itlag_monitor_up{monitor="site"} 1`) {
			// the page is served once the first observation is done,
			// which may come a tick after the first probe
			if code, _ := get("/"); code == http.StatusOK {
				break
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(metrics, `itlag_monitor_up{monitor="site"} 1`) || !strings.Contains(metrics, `itlag_findings{severity="critical"} 0`) {
		t.Fatalf("metrics never showed the site up:\n%s\nlog:\n%s", metrics, stderr.String())
	}
	if code, body := get("/healthz"); code != 200 || strings.TrimSpace(body) != "ok" {
		t.Errorf("/healthz: %d %q", code, body)
	}
	// the container's HEALTHCHECK asks the same
	var hout, herr bytes.Buffer
	if code := Main([]string{"health", "--url", addr + "/healthz"}, strings.NewReader(""), &hout, &herr); code != ExitOK || strings.TrimSpace(hout.String()) != "ok" {
		t.Errorf("itlag health: exit %d, %q %q; want 0 and ok", code, hout.String(), herr.String())
	}
	if code, body := get("/"); code != 200 || !strings.Contains(body, "site") {
		t.Errorf("/: %d, status page without the monitor:\n%.300s", code, body)
	}
	cancel()
	if err := <-done; err != nil { // a watch that never stops hangs until -timeout
		t.Errorf("watch returned %v", err)
	}
	if log := stderr.String(); !strings.Contains(log, `"msg":"check"`) || !strings.Contains(log, `"msg":"stopping"`) {
		t.Errorf("log (JSON) lacks the checks or the stop:\n%s", log)
	}
}

// TestWatchDDNS: watch updates a dynamic-DNS host once when the public
// address moved, then leaves it alone (sandbox: NoIP fake at the old
// address, the IP echo at the new one).
func TestWatchDDNS(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "state")
	if err := os.MkdirAll(state, 0o755); err != nil {
		t.Fatal(err)
	}
	yaml := "providers:\n  noip: {username: {env: U}, password: {env: P}, contact: it@example.org}\nddns:\n  office.ddns.net: {provider: noip}\n"
	if err := os.WriteFile(filepath.Join(state, "d.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- runWatch(ctx, &env{stdout: &stdout, stderr: &stderr}, []string{"--state", state, "--sandbox", filepath.Join(dir, "sb"),
			"--listen", "", "--tick", "50ms", "--ddns-every", "100ms", "--log-format", "json"})
	}()
	for !nearDeadline(t) && !(strings.Contains(stderr.String(), `"msg":"ddns","updated":1`) &&
		strings.Contains(stderr.String(), `"msg":"ddns","updated":0`)) {
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("watch: %v", err)
	}
	log := stderr.String()
	if strings.Count(log, `"msg":"ddns","updated":1`) != 1 || !strings.Contains(log, `"msg":"ddns","updated":0`) {
		t.Errorf("want one update, then none:\n%s", log)
	}
}

// nearDeadline reports whether the test is about to reach go test's
// -timeout. Polls wait for what they expect until then, never for a fixed
// time, and the assertion after them says what they saw.
func nearDeadline(t *testing.T) bool {
	d, ok := t.Deadline()
	return ok && time.Until(d) < 10*time.Second
}
