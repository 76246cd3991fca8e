package app

import (
	"slices"
	"testing"

	"github.com/lagrieta/itlag/finding"
)

func TestSortFindings(t *testing.T) {
	nas := finding.New(finding.High, "nas:office", "disk:/volume1", "volume 91% full")
	nasAgain := nas
	nasAgain.Summary = "volume 92% full"
	site := finding.New(finding.Critical, "monitor:shop", "down", "shop is down")
	exp := finding.New(finding.Medium, "manual:x.es", "expiry", "lapses in 10 days")
	tests := []struct {
		name string
		in   []finding.Finding
		want []string // fingerprints, in order
	}{
		{"empty", nil, []string{}},
		{"worst first", []finding.Finding{exp, nas, site}, []string{site.Fingerprint, nas.Fingerprint, exp.Fingerprint}},
		{"one per fingerprint, the first kept", []finding.Finding{nas, site, nasAgain}, []string{site.Fingerprint, nas.Fingerprint}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SortFindings(tt.in)
			var fps []string = []string{}
			for _, f := range got {
				fps = append(fps, f.Fingerprint)
			}
			if !slices.Equal(fps, tt.want) {
				t.Errorf("SortFindings = %v, want %v", fps, tt.want)
			}
			if got == nil {
				t.Error("SortFindings returned nil, want an empty list (JSON [])")
			}
		})
	}
	if got := SortFindings([]finding.Finding{nas, nasAgain}); got[0].Summary != nas.Summary {
		t.Errorf("kept %q, want the first one seen", got[0].Summary)
	}
}

func TestOverall(t *testing.T) {
	f := func(s finding.Severity) finding.Finding { return finding.New(s, "x:", string(s), "") }
	tests := []struct {
		in   []finding.Finding
		want string
	}{
		{nil, "ok"},
		{[]finding.Finding{f(finding.Low)}, "ok"},
		{[]finding.Finding{f(finding.Low), f(finding.Medium)}, "warning"},
		{[]finding.Finding{f(finding.High), f(finding.Medium)}, "degraded"},
		{[]finding.Finding{f(finding.Low), f(finding.Critical)}, "critical"},
	}
	for _, tt := range tests {
		if got := overall(tt.in); got != tt.want {
			t.Errorf("overall(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
