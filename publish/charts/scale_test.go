package charts

import (
	"math"
	"slices"
	"testing"
	"time"
)

func TestAxisFor(t *testing.T) {
	for _, tc := range []struct {
		name       string
		lo, hi     float64
		fixLo, fix *float64
		want       []float64
	}{
		{"from zero", 3, 617, nil, nil, []float64{0, 200, 400, 600, 800}},
		{"small", 0.1, 0.37, nil, nil, []float64{0, 0.1, 0.2, 0.3, 0.4}},
		{"negative", -7, 3, nil, nil, []float64{-10, -5, 0, 5}},
		{"all negative", -70, -20, nil, nil, []float64{-80, -60, -40, -20, 0}},
		{"all zero", 0, 0, nil, nil, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{"percent fixed", 98, 99.5, ptr(99), ptr(100), []float64{99, 99.2, 99.4, 99.6, 99.8, 100}},
		{"max fixed", 10, 60, nil, ptr(100), []float64{0, 20, 40, 60, 80, 100}},
		{"min fixed", 95, 97.3, ptr(90), nil, []float64{90, 92, 94, 96, 98}},
		{"fixed ends reversed", 1, 7, ptr(5), ptr(1), []float64{0, 2, 4, 6, 8}},
		{"NaN fixed end ignored", 1, 7, ptr(math.NaN()), nil, []float64{0, 2, 4, 6, 8}},
		{"large", 5200, 6448, nil, nil, []float64{0, 2000, 4000, 6000, 8000}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := axisFor(tc.lo, tc.hi, tc.fixLo, tc.fix)
			if !slices.Equal(a.Ticks, tc.want) {
				t.Errorf("ticks %v, want %v", a.Ticks, tc.want)
			}
			if n := len(a.Ticks); n < minTicks || n > maxTicks {
				t.Errorf("%d ticks, want %d..%d", n, minTicks, maxTicks)
			}
			if a.Lo > math.Min(tc.lo, 0) && tc.fixLo == nil || a.Hi < tc.hi && tc.fix == nil {
				t.Errorf("axis %v..%v does not hold the data %v..%v", a.Lo, a.Hi, tc.lo, tc.hi)
			}
		})
	}
}

// TestAxisTickCount sweeps ranges over several decades: 4 to 6 ticks.
func TestAxisTickCount(t *testing.T) {
	for hi := 0.013; hi < 1e7; hi *= 1.07 {
		for _, lo := range []float64{0, -hi / 3, -hi} {
			a := axisFor(lo, hi, nil, nil)
			if n := len(a.Ticks); n < minTicks-1 || n > maxTicks {
				t.Fatalf("range %v..%v: %d ticks %v", lo, hi, n, a.Ticks)
			}
		}
	}
}

func TestFormat(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		unit string
		want string
	}{
		{99.95, "%", "99.95%"}, {100, "%", "100%"}, {183.4, "ms", "183 ms"}, {2345, "ms", "2.35 s"},
		{1234.5, "GB", "1235 GB"}, {0.5, "GB", "0.5 GB"}, {-0.001, "", "0"}, {math.NaN(), "ms", "no data"},
		{512.25, "GB", "512.3 GB"},
	} {
		if got := fmtValue(tc.v, tc.unit); got != tc.want {
			t.Errorf("fmtValue(%v, %q) = %q, want %q", tc.v, tc.unit, got, tc.want)
		}
	}
}

func TestTimeTicks(t *testing.T) {
	day := 24 * time.Hour
	for _, tc := range []struct {
		name     string
		from, to time.Time
		want     []string
	}{
		{"hour", end, end.Add(time.Hour), []string{"Jun 1", "00:10", "00:20", "00:30", "00:40", "00:50", "01:00"}},
		{"day: hours", end.Add(-day), end, []string{"May 31", "03:00", "06:00", "09:00", "12:00", "15:00", "18:00", "21:00", "Jun 1"}},
		{"week: days", end.Add(-7 * day), end, []string{"May 25", "May 26", "May 27", "May 28", "May 29", "May 30", "May 31", "Jun 1"}},
		{"month: Mondays", end.Add(-30 * day), end, []string{"May 5", "May 12", "May 19", "May 26"}},
		{"year: months", time.Date(2025, 1, 15, 0, 0, 0, 0, time.UTC), time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC), []string{"Apr 2025", "Jul 2025", "Oct 2025"}},
		{"decade: years", time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), []string{"2015", "2016", "2017", "2018", "2019", "2020", "2021", "2022", "2023", "2024", "2025"}},
		{"UTC", time.Date(2025, 6, 1, 3, 0, 0, 0, time.FixedZone("ART", -3*3600)), time.Date(2025, 6, 1, 9, 0, 0, 0, time.FixedZone("ART", -3*3600)), []string{"06:00", "07:00", "08:00", "09:00", "10:00", "11:00", "12:00"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, tk := range timeTicks(tc.from, tc.to, 566) {
				got = append(got, tk.Label)
				if tk.T.Before(tc.from) || tk.T.After(tc.to) {
					t.Errorf("tick %v outside %v..%v", tk.T, tc.from, tc.to)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("labels %q, want %q", got, tc.want)
			}
		})
	}
}
