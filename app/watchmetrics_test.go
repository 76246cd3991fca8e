package app

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/ops/backup"
	"github.com/lagrieta/itlag/ops/backup/restic"
	"github.com/lagrieta/itlag/ops/mail/ledger"
	"github.com/lagrieta/itlag/ops/monitor"
	"github.com/lagrieta/itlag/publish/promexport"
	"github.com/lagrieta/itlag/reconcile"
)

// newMetricsWatcher is a sandboxed watch of a website, the sandbox's NAS
// and two subscriptions, one without a date.
func newMetricsWatcher(t *testing.T) (*Watcher, *countingTransport) {
	t.Helper()
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") }))
	t.Cleanup(site.Close)
	yaml := fmt.Sprintf(`monitors:
  site: {kind: http, target: %q, interval: 1s}
nas:
  office:
    host: office.example.org
    user: itlag
    key: {file: /etc/itlag/nas_ed25519}
    host_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
subscriptions:
  hosting: {kind: plan, provider: example-hosting, renews: 2031-08-15}
  office-suite: {kind: plan, provider: example-suite, renews: unknown}
`, site.URL)
	rt := loadSandboxed(t, yaml)
	ct := &countingTransport{next: http.DefaultTransport}
	rt.hc = &http.Client{Transport: ct}
	w, err := rt.NewWatcher(WatchOptions{Tick: 10 * time.Second, ObserveEvery: time.Hour}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return w, ct
}

// TestMetricsEndpoint: after one round, /metrics serves the monitors, the
// findings, the NAS's readings and the subscriptions in the Prometheus
// text format, from the round's results: scrapes observe nothing.
func TestMetricsEndpoint(t *testing.T) {
	w, ct := newMetricsWatcher(t)
	ctx := context.Background()
	h := w.Handler(ctx)

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "itlag_observation_timestamp_seconds ") {
		t.Fatalf("before the first round: %d, want 200 without an observation:\n%s", rec.Code, rec.Body)
	}
	w.Tick(ctx, time.Now())
	calls := ct.n.Load()

	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics: %d", rec.Code)
	}
	if ctype := rec.Header().Get("Content-Type"); !strings.HasPrefix(ctype, "text/plain; version=0.0.4") {
		t.Errorf("Content-Type %q, want the Prometheus text format", ctype)
	}
	body := rec.Body.String()
	for _, want := range []string{
		`itlag_monitor_up{monitor="site"} 1`,
		`itlag_findings{severity="critical"} `,
		`itlag_findings{severity="low"} `,
		`itlag_nas_disk_used_ratio{mount="/volume1",nas="office"} `,
		`itlag_nas_cpu_ratio{nas="office"} `,
		`itlag_expiry_timestamp_seconds{kind="plan",name="hosting",provider="example-hosting"} 1.9445184e+09`,
		"itlag_observation_timestamp_seconds ",
		"# TYPE itlag_monitor_response_seconds gauge",
	} {
		if !strings.Contains(body, "\n"+want) {
			t.Errorf("no line %q in /metrics:\n%s", want, body)
		}
	}
	if strings.Contains(body, `name="office-suite"`) {
		t.Errorf("the subscription without a date is exported:\n%s", body)
	}
	for range 20 {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/metrics", nil))
	}
	if n := ct.n.Load() - calls; n != 0 {
		t.Errorf("21 scrapes made %d provider calls, want none", n)
	}
}

// TestMetricsLint: what the watch exports after a round passes promlint,
// but for the deprecated itlag_monitor_response_ms.
func TestMetricsLint(t *testing.T) {
	w, _ := newMetricsWatcher(t)
	w.Tick(context.Background(), time.Now())
	problems, err := testutil.CollectAndLint(promexport.NewCollector(w.metricsSnapshot))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		if p.Metric != "itlag_monitor_response_ms" {
			t.Errorf("lint: %s: %s", p.Metric, p.Text)
		}
	}
}

// TestMetricsSnapshot: what the watch hands the exporter from its last
// probes, findings and observation.
func TestMetricsSnapshot(t *testing.T) {
	at := time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)
	notAfter := at.Add(13 * 24 * time.Hour)
	snap := &restic.Snapshot{Time: at.Add(-2 * time.Hour)}
	obs := &Observation{
		At:      at,
		Metrics: map[string]float64{"nas:office/cpu_percent": 12},
		Backups: []backup.DestinationStatus{
			{Job: "docs", Destination: "usb", State: backup.StateOK, Latest: snap, Age: 2 * time.Hour, SizeBytes: 42},
			{Job: "docs", Destination: "cloud", State: backup.StateUnreachable, SizeBytes: -1},
		},
		Expiries: []reconcile.Expiry{
			{Name: "example.org", Kind: "domain", Provider: "godaddy", Date: notAfter, Source: reconcile.SourceObserved},
			{Name: "suite", Kind: "plan", Provider: "x", Source: reconcile.SourceUnknown},
		},
	}
	withMail := *obs
	withMail.Mail = &MailStatus{Confirmations: []ledger.Confirmation{{ID: 3, Target: "example.org", Deadline: notAfter}}}
	tests := []struct {
		name string
		obs  *Observation
		want promexport.Snapshot
	}{
		{"before the first observation", nil, promexport.Snapshot{}},
		{"an observation without a mailbox", obs, promexport.Snapshot{
			ObservedAt: at,
			Metrics:    obs.Metrics,
			Backups: []promexport.Backup{
				{Job: "docs", Destination: "usb", OK: true, LastSuccess: snap.Time, Age: 2 * time.Hour, SizeBytes: 42},
				{Job: "docs", Destination: "cloud", SizeBytes: -1},
			},
			Expiries: []promexport.Expiry{
				{Name: "example.org", Kind: "domain", Provider: "godaddy", Date: notAfter},
				{Name: "suite", Kind: "plan", Provider: "x"},
			},
		}},
		{"a mailbox's open confirmations", &withMail, promexport.Snapshot{
			Mail: &promexport.Mail{Confirmations: []promexport.Confirmation{{ID: 3, Target: "example.org", Deadline: notAfter}}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := &Watcher{obs: tt.obs,
				results: map[string]monitor.Result{
					"site": {Monitor: "site", At: at, OK: true, Duration: 30 * time.Millisecond,
						CertExpiry: notAfter.Sub(at) - 80*time.Millisecond}, // measured 80ms after At
					"ssh": {Monitor: "ssh", At: at, Duration: time.Second},
				},
				findings: []finding.Finding{{Severity: finding.High}, {Severity: finding.High}, {Severity: finding.Low}},
			}
			got := w.metricsSnapshot()
			wantMonitors := []promexport.Monitor{
				{Name: "site", Up: true, Response: 30 * time.Millisecond, CertNotAfter: notAfter},
				{Name: "ssh", Response: time.Second},
			}
			if !reflect.DeepEqual(got.Monitors, wantMonitors) {
				t.Errorf("monitors %+v, want %+v", got.Monitors, wantMonitors)
			}
			wantFindings := map[string]int{"critical": 0, "high": 2, "medium": 0, "low": 1}
			if !reflect.DeepEqual(got.Findings, wantFindings) {
				t.Errorf("findings %v, want %v", got.Findings, wantFindings)
			}
			if tt.want.Mail != nil { // only the mail is compared
				got = promexport.Snapshot{Mail: got.Mail}
			} else {
				got.Monitors, got.Findings = nil, nil
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("snapshot\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}
