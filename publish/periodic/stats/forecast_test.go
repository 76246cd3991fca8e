package stats

import (
	"math"
	"testing"
	"time"
)

// noise is a fixed pseudo-random sequence (splitmix64) so that the noisy
// tests are deterministic.
type noise uint64

func (n *noise) next() uint64 {
	*n += 0x9e3779b97f4a7c15
	z := uint64(*n)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// normal is approximately standard normal: the sum of 12 uniforms on
// [0, 1), minus 6.
func (n *noise) normal() float64 {
	s := 0.0
	for range 12 {
		s += float64(n.next()>>11) / (1 << 53)
	}
	return s - 6
}

// noisyLine is n points every step from t0 on V = a + b·days plus sd times
// the fixed noise sequence (the same sequence for every sd).
func noisyLine(n int, step time.Duration, a, b, sd float64) []Point {
	pts := line(n, step, a, b)
	src := noise(1)
	for i := range pts {
		pts[i].V += sd * src.normal()
	}
	return pts
}

func TestFillForecast(t *testing.T) {
	lastDay := t0.Add(9 * day)
	tests := []struct {
		name     string
		pts      []Point
		capacity float64
		now      time.Time
		want     Forecast // Fit is checked separately
	}{
		{"linear, crossing on day 40", line(10, day, 100, 10), 500, lastDay,
			Forecast{Date: t0.Add(40 * day), Earliest: t0.Add(40 * day), Latest: t0.Add(40 * day), Reason: "growing 10/day"}},
		{"linear, hourly, crossing mid-day", line(72, time.Hour, 0, 1.6), 100, t0,
			Forecast{Date: t0.Add(62*day + 12*time.Hour), Earliest: t0.Add(62*day + 12*time.Hour), Latest: t0.Add(62*day + 12*time.Hour), Reason: "growing 1.6/day"}},
		{"linear, now after the fitted crossing", line(10, day, 100, 10), 500, t0.Add(60 * day),
			Forecast{Date: t0.Add(60 * day), Earliest: t0.Add(60 * day), Latest: t0.Add(60 * day), Reason: "growing 10/day"}},
		{"flat", line(10, day, 50, 0), 100, lastDay, Forecast{Never: true, Reason: "flat"}},
		{"growing too little to count", line(10, day, 1000, 0.01), 2000, lastDay, Forecast{Never: true, Reason: "flat"}},
		{"shrinking", line(10, day, 100, -5), 200, lastDay, Forecast{Never: true, Reason: "shrinking"}},
		{"already full", line(10, day, 100, 10), 190, lastDay, Forecast{Full: true, Reason: "already full"}},
		{"above capacity", line(10, day, 100, 10), 150, lastDay, Forecast{Full: true, Reason: "already full"}},
		{"full from one point", daily(99), 90, lastDay, Forecast{Full: true, Reason: "already full"}},
		{"full though shrinking", line(10, day, 100, -5), 50, lastDay, Forecast{Full: true, Reason: "already full"}},
		{"no points", nil, 100, lastDay, Forecast{Reason: ReasonTooFew}},
		{"two points over 5 days", []Point{{t0, 1}, {t0.Add(5 * day), 2}}, 100, lastDay, Forecast{Reason: ReasonTooFew}},
		{"many points over a day", line(25, time.Hour, 1, 1), 100, lastDay, Forecast{Reason: ReasonTooFew}},
		{"3 points over 2 days less a second", []Point{{t0, 1}, {t0.Add(day), 2}, {t0.Add(2*day - time.Second), 3}}, 100, lastDay, Forecast{Reason: ReasonTooFew}},
		{"3 points over exactly 2 days", daily(1, 2, 3), 10, t0,
			Forecast{Date: t0.Add(9 * day), Earliest: t0.Add(9 * day), Latest: t0.Add(9 * day), Reason: "growing 1/day"}},
		{"capacity NaN", line(10, day, 100, 10), math.NaN(), lastDay, Forecast{Reason: ReasonCapacityUnknown}},
		{"capacity +Inf", line(10, day, 100, 10), math.Inf(1), lastDay, Forecast{Reason: ReasonCapacityUnknown}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FillForecast(tt.pts, tt.capacity, tt.now)
			got.Fit = Fit{}
			if !forecastEqual(got, tt.want) {
				t.Errorf("FillForecast =\n %+v\nwant\n %+v", got, tt.want)
			}
		})
	}
}

// forecastEqual compares dates to the microsecond: fitted crossings come
// from floating point.
func forecastEqual(a, b Forecast) bool {
	near := func(x, y time.Time) bool { return x.Sub(y).Abs() < time.Microsecond }
	return near(a.Date, b.Date) && near(a.Earliest, b.Earliest) && near(a.Latest, b.Latest) &&
		a.Never == b.Never && a.Full == b.Full && a.Reason == b.Reason
}

func TestFillForecastKeepsTheFit(t *testing.T) {
	pts := line(10, day, 100, 10)
	want, _ := LinearFit(pts)
	for _, capacity := range []float64{500, 150, math.NaN()} {
		if got := FillForecast(pts, capacity, t0).Fit; !fitEqual(got, want, 0) {
			t.Errorf("capacity %v: Fit = %+v, want %+v", capacity, got, want)
		}
	}
}

// TestFillForecastNoisy: 30 days of hourly points on V = 100 + 2·days plus
// noise; the true crossing of 300 is day 100. The same noise sequence is
// scaled, so the range must widen with the noise.
func TestFillForecastNoisy(t *testing.T) {
	truth := t0.Add(100 * day)
	now := t0.Add(30 * day)
	tests := []struct {
		sd      float64
		within  time.Duration // |Date - truth|
		reason  string
		rangeIn bool // truth within [Earliest, Latest]
	}{
		{0.5, 6 * time.Hour, "growing 2/day", true},
		{2, 12 * time.Hour, "growing 2/day", true},
		{8, 2 * day, "growing 1.99/day", true},
		{32, 5 * day, "growing 1.96/day", true},
	}
	prevWidth := time.Duration(0)
	for _, tt := range tests {
		pts := noisyLine(30*24, time.Hour, 100, 2, tt.sd)
		fc := FillForecast(pts, 300, now)
		t.Logf("sd %v: slope %.4f ± %.4f, R2 %.3f; date %s (%+.1f h from truth), range %s .. %s",
			tt.sd, fc.Fit.Slope, fc.Fit.SlopeStdErr, fc.Fit.R2, fc.Date.Format(time.DateOnly),
			fc.Date.Sub(truth).Hours(), fc.Earliest.Format(time.DateOnly), fc.Latest.Format(time.DateOnly))
		if fc.Never || fc.Full || fc.Reason != tt.reason {
			t.Errorf("sd %v: Never %v Full %v Reason %q, want a date and %q", tt.sd, fc.Never, fc.Full, fc.Reason, tt.reason)
			continue
		}
		if d := fc.Date.Sub(truth).Abs(); d > tt.within {
			t.Errorf("sd %v: Date %v is %v from the truth %v, want within %v", tt.sd, fc.Date, d, truth, tt.within)
		}
		if fc.Latest.IsZero() || fc.Earliest.After(fc.Date) || fc.Date.After(fc.Latest) {
			t.Errorf("sd %v: want Earliest ≤ Date ≤ Latest, got %v ≤ %v ≤ %v", tt.sd, fc.Earliest, fc.Date, fc.Latest)
		}
		if tt.rangeIn && (truth.Before(fc.Earliest) || truth.After(fc.Latest)) {
			t.Errorf("sd %v: truth %v outside [%v, %v]", tt.sd, truth, fc.Earliest, fc.Latest)
		}
		width := fc.Latest.Sub(fc.Earliest)
		if width <= prevWidth {
			t.Errorf("sd %v: range %v, not wider than %v with less noise", tt.sd, width, prevWidth)
		}
		prevWidth = width
	}
}

// TestFillForecastWeakSlope: a rising series whose slope is within 2
// standard errors of 0 is flat, so Never.
func TestFillForecastWeakSlope(t *testing.T) {
	pts := noisyLine(7*24, time.Hour, 100, 0.05, 40)
	fc := FillForecast(pts, 300, t0.Add(7*day))
	if !fc.Never || fc.Reason != "flat" {
		t.Errorf("slope %v ± %v: got %+v, want Never, flat", fc.Fit.Slope, fc.Fit.SlopeStdErr, fc)
	}
}

// TestFillForecastAboveTheLine: after a drop the latest point is below
// capacity while the centroid is above it, so the line crossed in the past
// and a steeper line crosses later: the bounds still enclose Date, and
// with now they are all now ("any moment").
func TestFillForecastAboveTheLine(t *testing.T) {
	pts := daily(0, 10, 20, 30, 40, 50, 60, 70, 80, 20)
	raw := FillForecast(pts, 30, time.Time{})
	if raw.Date.IsZero() || raw.Latest.IsZero() || raw.Earliest.After(raw.Date) || raw.Date.After(raw.Latest) {
		t.Fatalf("want Earliest ≤ Date ≤ Latest, got %+v", raw)
	}
	if !raw.Date.Before(t0.Add(9 * day)) {
		t.Errorf("Date %v, want before the latest point", raw.Date)
	}
	now := t0.Add(9 * day)
	fc := FillForecast(pts, 30, now)
	if !fc.Date.Equal(now) || !fc.Earliest.Equal(now) || !fc.Latest.Equal(now) {
		t.Errorf("with now: got %+v, want all dates now", fc)
	}
}

func TestAddDays(t *testing.T) {
	loc := time.FixedZone("X", 3600)
	base := time.Date(2026, 3, 1, 12, 0, 0, 500, loc)
	tests := []struct {
		name string
		d    float64
		want time.Time
	}{
		{"zero", 0, base},
		{"whole", 40, base.Add(40 * day)},
		{"fraction", 1.5, base.Add(36 * time.Hour)},
		{"negative", -2.25, base.Add(-54 * time.Hour)},
		{"beyond Duration", 1e6, base.AddDate(0, 0, 1_000_000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := addDays(base, tt.d)
			if !got.Equal(tt.want) || got.Location() != loc {
				t.Errorf("addDays(%v) = %v, want %v", tt.d, got, tt.want)
			}
		})
	}
}

func TestSig3(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{0, "0"}, {1.2, "1.2"}, {10, "10"}, {1234.5, "1230"}, {0.0012345, "0.00123"}, {-2.468, "-2.47"}, {999.6, "1000"},
	}
	for _, tt := range tests {
		if got := sig3(tt.v); got != tt.want {
			t.Errorf("sig3(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func BenchmarkFillForecast(b *testing.B) {
	pts := noisyLine(8760, time.Hour, 1e12, 2e9, 5e9) // a year, hourly
	now := pts[len(pts)-1].T
	b.ReportAllocs()
	for b.Loop() {
		if fc := FillForecast(pts, 4e12, now); fc.Date.IsZero() {
			b.Fatalf("no date: %+v", fc)
		}
	}
	b.ReportMetric(float64(len(pts))*float64(b.N)/b.Elapsed().Seconds(), "points/s")
}

// TestExtremeInputs: odd inputs give an answer, never a panic, and dates
// stay representable.
func TestExtremeInputs(t *testing.T) {
	far := time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name     string
		pts      []Point
		capacity float64
	}{
		{"all NaN", []Point{{t0, math.NaN()}, {t0.Add(day), math.NaN()}, {t0.Add(3 * day), math.NaN()}}, 10},
		{"tiny growth, huge capacity", line(10, day, 1, 1), 1e300},
		{"huge values", line(10, day, 1e300, 1e298), math.MaxFloat64},
		{"two centuries apart", []Point{{t0, 1}, {t0.Add(day), 2}, {far, 3}}, 1e9},
		{"nanoseconds apart and days", []Point{{t0, 1}, {t0.Add(1), 2}, {t0.Add(3 * day), 3}}, 100},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			fc := FillForecast(tt.pts, tt.capacity, t0)
			if fc.Reason == "" {
				t.Errorf("no reason: %+v", fc)
			}
			if !fc.Date.IsZero() && (fc.Date.Year() < 2026 || fc.Date.Year() > 13000) {
				t.Errorf("Date %v out of range", fc.Date)
			}
			Trend(tt.pts)
			GrowthPerWeek(tt.pts)
		})
	}
}
