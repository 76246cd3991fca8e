package app

import (
	"maps"
	"testing"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/ops/mail/ledger"
	"github.com/lagrieta/itlag/ops/security"
	"github.com/lagrieta/itlag/reconcile"
)

func TestHistoryReadings(t *testing.T) {
	obs := &Observation{
		At:      time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC),
		Metrics: map[string]float64{"nas:office/disk_used_percent:/volume1": 91},
		Updates: map[string]*security.Updates{"office": {Security: 2, Other: 5}, "attic": nil},
		Expiries: []reconcile.Expiry{
			{Name: "lagrieta.es", Source: reconcile.SourceObserved, DaysLeft: 5},
			{Name: "hosting", Source: reconcile.SourceUnknown},
		},
		Findings: []finding.Finding{{Severity: finding.High}, {Severity: finding.High}, {Severity: finding.Low}},
		Mail:     &MailStatus{Confirmations: []ledger.Confirmation{{ID: 1}}},
	}
	want := map[string]float64{
		"nas:office/disk_used_percent:/volume1": 91,
		"updates:office/pending":                7, "updates:office/security": 2,
		"expiry:lagrieta.es/days_left": 5,
		"findings/critical":            0, "findings/high": 2, "findings/medium": 0, "findings/low": 1,
		"mail/confirmations_open": 1,
	}
	if got := HistoryReadings(obs); !maps.Equal(got, want) {
		t.Errorf("readings %v\nwant %v", got, want)
	}
}
