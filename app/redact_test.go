package app

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMonitorTargetRedactedEverywhere: a monitor whose URL holds a
// password, a token in its query and a fragment is down; neither the
// check's results, the findings (alerts, reports, incidents), the alerts
// sent, the status page nor /metrics show any of them.
func TestMonitorTargetRedactedEverywhere(t *testing.T) {
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// a redirect loop: the client's error quotes the URL
		http.Redirect(w, r, r.URL.String(), http.StatusFound)
	}))
	defer site.Close()
	target := strings.Replace(site.URL, "http://", "http://itlag:pw-s3cret@", 1) + "/health?token=tok-s3cret#frag-s3cret"
	secrets := []string{"pw-s3cret", "tok-s3cret", "frag-s3cret"}

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
    all: {severities: [critical], webhook: {url: {env: ITLAG_TEST_HOOK}}}
`, target)
	if err := os.WriteFile(filepath.Join(state, "state.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	rt, err := Load(Options{StateDir: state, Sandbox: filepath.Join(dir, "sb"), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	ctx := context.Background()

	var shown []string
	res, err := rt.Check(ctx, CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Results {
		if r.OK {
			t.Fatalf("the redirect loop passed: %+v", r)
		}
		shown = append(shown, r.Error, strings.Join(r.Failed, "; "))
	}
	if len(res.Observation.Findings) == 0 {
		t.Fatal("no finding for the monitor that is down")
	}
	for _, f := range res.Observation.Findings {
		shown = append(shown, f.Summary, f.Detail)
	}

	w, err := rt.NewWatcher(WatchOptions{Tick: time.Second, ObserveEvery: time.Hour}, nil)
	if err != nil {
		t.Fatal(err)
	}
	w.Tick(ctx, time.Now())
	h := w.Handler(ctx)
	for _, path := range []string{"/", "/metrics"} {
		code, body := get(t, h, path)
		if code != 200 {
			t.Fatalf("GET %s: %d", path, code)
		}
		shown = append(shown, body)
	}
	if !strings.Contains(shown[len(shown)-2], "/health?token=***") {
		t.Errorf("the page does not show the redacted target")
	}
	alerts := sink.all()
	if len(alerts) == 0 {
		t.Error("no alert was delivered")
	}
	for _, a := range alerts {
		shown = append(shown, fmt.Sprint(a))
	}

	for _, s := range shown {
		for _, secret := range secrets {
			if strings.Contains(s, secret) {
				t.Errorf("%q shown in: %s", secret, s)
			}
		}
	}
}
