package render

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/reconcile"
)

func TestSubscriptions(t *testing.T) {
	off := false
	es := []reconcile.Expiry{
		{Name: "lagrieta.es", Kind: "domain", Provider: "godaddy", Date: time.Date(2026, 12, 10, 0, 0, 0, 0, time.UTC),
			Source: reconcile.SourceObserved, DaysLeft: 14, AutoRenew: true, AutoRenewObserved: &off,
			Severity: finding.High, Note: "auto-renew off at godaddy"},
		{Name: "noip-free-host", Kind: "dns-hostname", Provider: "noip", Date: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
			Source: reconcile.SourceDeclared, DaysLeft: 36, Note: "36 days left"},
		{Name: "old.es", Kind: "domain", Provider: "godaddy", Source: reconcile.SourceUnknown,
			Severity: finding.Medium, Note: "expiry unknown"},
	}
	denied := finding.New(finding.Low, "godaddy", "access-denied", "godaddy denied API access")
	var b bytes.Buffer
	if err := Subscriptions(&b, es, []finding.Finding{denied}, Options{}); err != nil {
		t.Fatal(err)
	}
	want := `NAME            KIND          PROVIDER  RENEWS                 DAYS  AUTO-RENEW         STATUS
lagrieta.es     domain        godaddy   2026-12-10 (observed)  14    yes (godaddy: no)  high: auto-renew off at godaddy
noip-free-host  dns-hostname  noip      2027-01-01 (declared)  36    no                 ok
old.es          domain        godaddy   unknown                -     no                 medium: expiry unknown
low godaddy: godaddy denied API access
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}

	b.Reset()
	if err := SubscriptionsJSON(&b, SubscriptionsReport{FormatVersion: "1", Subscriptions: es}); err != nil {
		t.Fatal(err)
	}
	var back struct {
		FormatVersion string           `json:"format_version"`
		Subscriptions []map[string]any `json:"subscriptions"`
		Findings      []any            `json:"findings"`
	}
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.FormatVersion != "1" || len(back.Subscriptions) != 3 || back.Findings == nil {
		t.Fatalf("json: %s", b.String())
	}
	if s := back.Subscriptions[0]; s["days_left"] != 14.0 || s["source"] != "observed" || s["auto_renew_observed"] != false {
		t.Errorf("first subscription: %v", s)
	}
	if _, ok := back.Subscriptions[2]["date"]; ok || !strings.Contains(b.String(), `"source": "unknown"`) {
		t.Errorf("an unknown date must be left out: %s", b.String())
	}
}
