package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lagrieta/itlag/finding"
)

// alertSink reads the alerts the sandbox delivered: the webhook calls
// in its outbox.
type alertSink struct{ dir string }

// all are the outbox's webhook payloads, in the order written.
func (s *alertSink) all() []map[string]any {
	paths, _ := filepath.Glob(filepath.Join(s.dir, "outbox", "*.json"))
	var out []map[string]any
	for _, p := range paths { // Glob sorts: the names start with the time
		var m struct{ Payload map[string]any }
		if b, err := os.ReadFile(p); err == nil && json.Unmarshal(b, &m) == nil {
			out = append(out, m.Payload)
		}
	}
	return out
}

// count is how many alerts of status came from source ("" = any).
func (s *alertSink) count(status, source string) int {
	n := 0
	for _, a := range s.all() {
		if a["status"] == status && (source == "" || a["source"] == source) {
			n++
		}
	}
	return n
}

// TestWatcherResolvesOnlyWhatIsGone: between two observations of the world
// the NAS's full volume stays firing (it was "resolved" by every monitor
// round before), while the website that recovers is resolved once.
func TestWatcherResolvesOnlyWhatIsGone(t *testing.T) {
	var up atomic.Bool
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !up.Load() {
			http.Error(w, "down", http.StatusInternalServerError)
			return
		}
		fmt.Fprintln(w, "ok")
	}))
	defer site.Close()
	dir := t.TempDir()
	sink := &alertSink{dir: filepath.Join(dir, "sb")}
	state := filepath.Join(dir, "state")
	if err := os.MkdirAll(state, 0o755); err != nil {
		t.Fatal(err)
	}
	yaml := fmt.Sprintf(`monitors:
  site: {kind: http, target: %q, interval: 1s, failure_threshold: 1, severity: critical}
alerts:
  routes:
    all: {severities: [critical, high, medium, low], webhook: {url: {env: ITLAG_TEST_HOOK}}}
nas:
  office:
    host: office.example.org
    user: itlag
    key: {file: /etc/itlag/nas_ed25519}
    host_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
`, site.URL)
	if err := os.WriteFile(filepath.Join(state, "state.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	rt, err := Load(Options{StateDir: state, Sandbox: filepath.Join(dir, "sb"), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	w, err := rt.NewWatcher(WatchOptions{Tick: time.Second, ObserveEvery: time.Hour}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	now := time.Now()

	w.Tick(ctx, now) // observes the world: the site is down, the NAS full
	if sink.count("firing", "monitor:site") != 1 || sink.count("firing", "nas:office") != 1 {
		t.Fatalf("first tick: want the site and the NAS firing, got %v", sink.all())
	}
	if got := Fingerprints(withoutSecurity(w.Findings())); len(got) != 2 {
		t.Fatalf("first tick: %d findings besides the security checks', want 2: %v", len(got), w.Findings())
	}

	up.Store(true)
	w.Tick(ctx, now.Add(2*time.Second)) // a monitor round only: no new observation
	w.Tick(ctx, now.Add(4*time.Second))
	if n := sink.count("resolved", "monitor:site"); n != 1 {
		t.Errorf("the site recovered: %d resolved, want 1", n)
	}
	if n := sink.count("resolved", "nas:office"); n != 0 {
		t.Errorf("the NAS is still full: %d resolved, want 0", n)
	}
	if n := sink.count("resolved", "security:nas/office"); n != 0 {
		t.Errorf("the NAS's sshd is unchanged: %d resolved, want 0", n)
	}
	fs := withoutSecurity(w.Findings())
	if len(fs) != 1 || !strings.HasPrefix(fs[0].Source, "nas:") {
		t.Errorf("after the recovery: findings %v, want only the NAS's", fs)
	}
}

// withoutSecurity drops the security checks' findings (the sandbox NAS's
// sshd, ports and updates).
func withoutSecurity(fs []finding.Finding) []finding.Finding {
	var out []finding.Finding
	for _, f := range fs {
		if !strings.HasPrefix(f.Source, "security:") {
			out = append(out, f)
		}
	}
	return out
}
