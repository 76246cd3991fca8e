package alert

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lagrieta/itlag/finding"
)

// TestHangingWebhookTimesOut: a webhook that never answers fails its send
// at the notifier's deadline instead of stopping the caller (watch) for
// good, and the next route is still tried.
func TestHangingWebhookTimesOut(t *testing.T) {
	release := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer hang.Close()
	defer close(release)
	h := startHook(t)
	// The working hook's request outlives the send deadline, so that only
	// the hanging hook meets it: under load a 50ms deadline cut the working
	// one short too (report: two failed, none sent).
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if strings.HasPrefix(r.URL.String(), h.URL) {
			r = r.WithContext(context.WithoutCancel(r.Context()))
		}
		return tr.RoundTrip(r)
	})}
	n := &Notifier{DB: openDB(t), HTTPClient: client, SendTimeout: 50 * time.Millisecond, Routes: []Route{
		{Name: "hangs", Webhook: &Webhook{URL: hang.URL + "/T0/secret-token"}},
		{Name: "works", Webhook: &Webhook{URL: h.URL}},
	}}
	done := make(chan Report, 1)
	go func() {
		rep, err := n.Process(context.Background(), []finding.Finding{diskFull})
		if err != nil {
			t.Error(err)
		}
		done <- rep
	}()
	var rep Report
	select {
	case rep = <-done:
	case <-time.After(time.Minute): // only stops a hang: the send's own deadline is 50ms
		t.Fatal("Process still running a minute later: the hanging webhook has no deadline")
	}
	if rep.Failed != 1 || rep.Sent != 1 {
		t.Fatalf("report %+v, want one failed (the hanging hook) and one sent", rep)
	}
	for _, ev := range rep.Events {
		if ev.Route == "hangs" && (!strings.Contains(ev.Error, "deadline") || strings.Contains(ev.Error, "secret-token")) {
			t.Errorf("hanging hook's error %q: want a deadline, no token", ev.Error)
		}
	}
}
