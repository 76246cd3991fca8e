package alert

import (
	"testing"
	"time"
)

func TestWeeklyWindow(t *testing.T) {
	madrid, err := time.LoadLocation("Europe/Madrid")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	cases := []struct {
		spec string
		loc  *time.Location
		at   time.Time
		want bool
	}{
		{"sunday 02:00-04:00", nil, time.Date(2026, 3, 8, 2, 0, 0, 0, time.UTC), true},
		{"sunday 02:00-04:00", nil, time.Date(2026, 3, 8, 3, 59, 59, 0, time.UTC), true},
		{"sunday 02:00-04:00", nil, time.Date(2026, 3, 8, 4, 0, 0, 0, time.UTC), false},
		{"sunday 02:00-04:00", nil, time.Date(2026, 3, 8, 1, 59, 0, 0, time.UTC), false},
		{"sunday 02:00-04:00", nil, time.Date(2026, 3, 9, 3, 0, 0, 0, time.UTC), false}, // monday
		{"Saturday 23:00-01:00", nil, time.Date(2026, 3, 7, 23, 30, 0, 0, time.UTC), true},
		{"Saturday 23:00-01:00", nil, time.Date(2026, 3, 8, 0, 30, 0, 0, time.UTC), true}, // sunday, past midnight
		{"Saturday 23:00-01:00", nil, time.Date(2026, 3, 8, 1, 0, 0, 0, time.UTC), false},
		{"Saturday 23:00-01:00", nil, time.Date(2026, 3, 7, 0, 30, 0, 0, time.UTC), false}, // saturday early
		{"friday 22:00-24:00", nil, time.Date(2026, 3, 6, 23, 59, 0, 0, time.UTC), true},
		// read in Madrid (UTC+1 in March before the switch): 02:30 local is 01:30 UTC
		{"sunday 02:00-04:00", madrid, time.Date(2026, 3, 8, 1, 30, 0, 0, time.UTC), true},
		{"sunday 02:00-04:00", madrid, time.Date(2026, 3, 8, 3, 30, 0, 0, time.UTC), false},
	}
	for _, c := range cases {
		w, err := ParseWeekly(c.spec, c.loc)
		if err != nil {
			t.Fatalf("%s: %v", c.spec, err)
		}
		win := Window{Name: "w", Weekly: &w}
		if err := win.Validate(); err != nil {
			t.Fatalf("%s: %v", c.spec, err)
		}
		if got := win.Contains(c.at); got != c.want {
			t.Errorf("%s (%v) contains %s = %v, want %v", c.spec, c.loc, c.at.Format(time.RFC3339), got, c.want)
		}
	}
}

func TestParseWeeklyErrors(t *testing.T) {
	for _, s := range []string{"", "sunday", "funday 02:00-04:00", "sunday 2:00-04:00", "sunday 02:00", "sunday 25:00-26:00", "sunday 02:60-03:00", "sunday 24:30-01:00"} {
		if _, err := ParseWeekly(s, nil); err == nil {
			t.Errorf("ParseWeekly(%q) accepted", s)
		}
	}
}

func TestOneOffWindow(t *testing.T) {
	w := Window{Start: t0, End: t0.Add(time.Hour)}
	for at, want := range map[time.Time]bool{t0.Add(-time.Second): false, t0: true, t0.Add(59 * time.Minute): true, t0.Add(time.Hour): false} {
		if got := w.Contains(at); got != want {
			t.Errorf("Contains(%s) = %v, want %v", at.Format(time.RFC3339), got, want)
		}
	}
}
