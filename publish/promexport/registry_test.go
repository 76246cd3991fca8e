package promexport

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

func scrape(t *testing.T, h http.Handler, accept string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	if accept != "" {
		r.Header.Set("Accept", accept)
	}
	h.ServeHTTP(rec, r)
	return rec
}

// TestHandler: the registry's metrics in the Prometheus text format (or
// OpenMetrics when asked), Go's and the process's beside itlag's.
func TestHandler(t *testing.T) {
	reg, err := NewRegistry(full)
	if err != nil {
		t.Fatal(err)
	}
	h := Handler(reg, nil, 10*time.Second)
	tests := []struct {
		name, accept, contentType string
		lines                     []string
	}{
		{"text by default", "", "text/plain; version=0.0.4",
			[]string{`itlag_monitor_up{monitor="site"} 1`, "itlag_observation_timestamp_seconds 1.7726184e+09", "go_goroutines "}},
		{"OpenMetrics when asked", "application/openmetrics-text; version=1.0.0", "application/openmetrics-text",
			[]string{`itlag_monitor_up{monitor="site"} 1`, "# EOF"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := scrape(t, h, tt.accept)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, tt.contentType) {
				t.Errorf("Content-Type %q, want %q…", ct, tt.contentType)
			}
			for _, l := range tt.lines {
				if !strings.Contains(rec.Body.String(), "\n"+l) {
					t.Errorf("no line %q in:\n%s", l, rec.Body)
				}
			}
		})
	}
}

// TestHandlerServesTheRestOfABadScrape: two series with the same labels
// (one subscription listed twice) are logged, and the scrape still serves
// every other series.
func TestHandlerServesTheRestOfABadScrape(t *testing.T) {
	snap := full()
	snap.Expiries = append(snap.Expiries, snap.Expiries[0])
	reg, err := NewRegistry(func() Snapshot { return snap })
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	rec := scrape(t, Handler(reg, slog.New(slog.NewTextHandler(&log, nil)), 0), "")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `itlag_backup_ok{destination="usb",job="docs"} 1`) {
		t.Fatalf("status %d, body:\n%s", rec.Code, rec.Body)
	}
	if !strings.Contains(log.String(), "collected before with the same name and label values") {
		t.Errorf("the duplicate was not logged: %q", log.String())
	}
}

// TestRegistryLint: the whole registry (itlag's, Go's and the process's
// metrics) passes promlint but for the deprecated response_ms.
func TestRegistryLint(t *testing.T) {
	reg, err := NewRegistry(full)
	if err != nil {
		t.Fatal(err)
	}
	problems, err := testutil.GatherAndLint(reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		if p.Metric != "itlag_monitor_response_ms" {
			t.Errorf("lint: %s: %s", p.Metric, p.Text)
		}
	}
}
