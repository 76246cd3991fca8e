package alert

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/lagrieta/itlag/store/storetest"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/store"
)

func openDB(t *testing.T) *store.DB { return storetest.Open(t) }

// fakeClock is a settable fake clock.
type fakeClock struct{ t time.Time }

func (c *fakeClock) Now() time.Time          { return c.t }
func (c *fakeClock) Advance(d time.Duration) { c.t = c.t.Add(d) }

var t0 = time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC) // a Wednesday

// hook is a webhook receiver that records payloads and headers and fails
// while Fail is set.
type hook struct {
	*httptest.Server
	mu       sync.Mutex
	payloads []Payload
	headers  []http.Header
	fail     bool
}

func startHook(t *testing.T) *hook {
	h := &hook{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		defer h.mu.Unlock()
		if h.fail {
			http.Error(w, "boom", http.StatusInternalServerError)
			return
		}
		var p Payload
		if r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&p) != nil {
			http.Error(w, "bad", http.StatusBadRequest)
			return
		}
		h.payloads = append(h.payloads, p)
		h.headers = append(h.headers, r.Header.Clone())
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hook) SetFail(v bool) { h.mu.Lock(); h.fail = v; h.mu.Unlock() }

func (h *hook) Payloads() []Payload {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]Payload(nil), h.payloads...)
}

// statuses lists the payloads' statuses in order.
func (h *hook) Statuses() []string {
	var out []string
	for _, p := range h.Payloads() {
		out = append(out, p.Status)
	}
	return out
}

func process(t *testing.T, n *Notifier, fs ...finding.Finding) Report {
	t.Helper()
	rep, err := n.Process(context.Background(), fs)
	if err != nil {
		t.Fatalf("Process: %v", err)
	}
	return rep
}

// sentRow is one alerts_sent row.
type sentRow struct {
	Fingerprint, Kind, Route, Channel string
	OK                                bool
	Error                             string
}

func sentRows(t *testing.T, db *store.DB) []sentRow {
	t.Helper()
	rows, err := db.SQL().Query(`SELECT fingerprint, kind, route, channel, ok, error FROM alerts_sent ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []sentRow
	for rows.Next() {
		var r sentRow
		if err := rows.Scan(&r.Fingerprint, &r.Kind, &r.Route, &r.Channel, &r.OK, &r.Error); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func stateOf(t *testing.T, db *store.DB, fp string) (status, lastAlert, resolvedAt string) {
	t.Helper()
	err := db.SQL().QueryRow(`SELECT status, last_alert_at, resolved_at FROM alert_state WHERE fingerprint = ?`, fp).
		Scan(&status, &lastAlert, &resolvedAt)
	if err != nil {
		t.Fatalf("alert_state %s: %v", fp, err)
	}
	return
}
