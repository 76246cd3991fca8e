package periodic

import (
	"testing"
	"time"
)

func TestParsePeriod(t *testing.T) {
	now := time.Date(2026, 12, 7, 9, 30, 0, 0, time.UTC) // a Monday
	tests := []struct {
		kind, name       string
		want, start, end string
		err              bool
	}{
		{kind: Weekly, want: "2026-W49", start: "2026-11-30", end: "2026-12-07"},
		{kind: Weekly, name: "2026-W49", want: "2026-W49", start: "2026-11-30", end: "2026-12-07"},
		{kind: Weekly, name: "2026-W01", want: "2026-W01", start: "2025-12-29", end: "2026-01-05"},
		{kind: Weekly, name: "2026-12-03", want: "2026-W49", start: "2026-11-30", end: "2026-12-07"},
		{kind: Monthly, want: "2026-11", start: "2026-11-01", end: "2026-12-01"},
		{kind: Monthly, name: "2026-02", want: "2026-02", start: "2026-02-01", end: "2026-03-01"},
		{kind: Monthly, name: "Nov", err: true},
		{kind: Weekly, name: "2026-W60", err: true},
		{kind: "daily", err: true},
	}
	for _, tt := range tests {
		t.Run(tt.kind+" "+tt.name, func(t *testing.T) {
			p, err := ParsePeriod(tt.kind, tt.name, now)
			if tt.err {
				if err == nil {
					t.Fatalf("ParsePeriod = %+v, want an error", p)
				}
				return
			}
			if err != nil || p.Name != tt.want || p.Start.Format(time.DateOnly) != tt.start || p.End.Format(time.DateOnly) != tt.end {
				t.Errorf("ParsePeriod = %+v, %v; want %s [%s, %s)", p, err, tt.want, tt.start, tt.end)
			}
		})
	}
	if p, _ := ParsePeriod(Monthly, "2026-01", now); p.Previous().Name != "2025-12" {
		t.Errorf("previous of 2026-01 = %s", p.Previous().Name)
	}
}
