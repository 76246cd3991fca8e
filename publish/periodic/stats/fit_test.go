package stats

import (
	"math"
	"slices"
	"testing"
	"time"
)

// daily is one point a day from t0: vs[i] at t0 + i days.
func daily(vs ...float64) []Point {
	pts := make([]Point, len(vs))
	for i, v := range vs {
		pts[i] = Point{T: t0.Add(time.Duration(i) * day), V: v}
	}
	return pts
}

// line is n points every step from t0 on V = a + b·days.
func line(n int, step time.Duration, a, b float64) []Point {
	pts := make([]Point, n)
	for i := range pts {
		x := time.Duration(i) * step
		pts[i] = Point{T: t0.Add(x), V: a + b*days(x)}
	}
	return pts
}

func TestLinearFit(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name   string
		pts    []Point
		want   Fit
		wantOK bool
		tol    float64 // for the floats; 0 means exact
	}{
		{"empty", nil, Fit{}, false, 0},
		{"one point", daily(5), Fit{}, false, 0},
		{"same time", []Point{{t0, 1}, {t0, 2}, {t0, 3}}, Fit{}, false, 0},
		{"one point after NaNs", daily(nan, 4, nan), Fit{}, false, 0},
		{"exact line", daily(10, 12, 14, 16, 18), Fit{Slope: 2, Intercept: 10, R2: 1, SlopeStdErr: 0, N: 5, Origin: t0}, true, 0},
		{"exact line, hourly, falling", line(48, time.Hour, 3.5, -0.25), Fit{Slope: -0.25, Intercept: 3.5, R2: 1, SlopeStdErr: 0, N: 48, Origin: t0}, true, 1e-12},
		{"two points", []Point{{t0, 1}, {t0.Add(2 * day), 5}}, Fit{Slope: 2, Intercept: 1, R2: 1, SlopeStdErr: nan, N: 2, Origin: t0}, true, 0},
		{"constant", daily(7, 7, 7), Fit{Slope: 0, Intercept: 7, R2: 1, SlopeStdErr: 0, N: 3, Origin: t0}, true, 0},
		// By hand: x̄=2 ȳ=3 Sxx=10 Sxy=8 → b=0.8 a=1.4; SSE=3.6, SST=10
		// → R2=0.64, SE=√(3.6/3/10)=√0.12.
		{"noisy, by hand", daily(1, 3, 2, 5, 4), Fit{Slope: 0.8, Intercept: 1.4, R2: 0.64, SlopeStdErr: math.Sqrt(0.12), N: 5, Origin: t0}, true, 1e-12},
		{"NaN and Inf values ignored", daily(1, nan, 5, math.Inf(1)), Fit{Slope: 2, Intercept: 1, R2: 1, SlopeStdErr: nan, N: 2, Origin: t0}, true, 0},
		{"unsorted: origin is the earliest", []Point{{t0.Add(2 * day), 5}, {t0, 1}, {t0.Add(day), 3}}, Fit{Slope: 2, Intercept: 1, R2: 1, SlopeStdErr: 0, N: 3, Origin: t0}, true, 0},
		// By hand: x=0,0,1 y=0,2,3: b=2 a=1, residuals -1,1,0: SSE=2,
		// SST=14/3, Sxx=2/3 → SE=√(2/1/(2/3))=√3.
		{"two values at one time", []Point{{t0, 0}, {t0, 2}, {t0.Add(day), 3}}, Fit{Slope: 2, Intercept: 1, R2: 1 - 2/(14.0/3), SlopeStdErr: math.Sqrt(3), N: 3, Origin: t0}, true, 1e-12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := slices.Clone(tt.pts)
			got, ok := LinearFit(tt.pts)
			if ok != tt.wantOK {
				t.Fatalf("LinearFit ok = %v, want %v (%+v)", ok, tt.wantOK, got)
			}
			if !fitEqual(got, tt.want, tt.tol) {
				t.Errorf("LinearFit = %+v\nwant        %+v", got, tt.want)
			}
			if !slices.EqualFunc(tt.pts, before, func(a, b Point) bool { return a.T.Equal(b.T) && same(a.V, b.V) }) {
				t.Errorf("pts changed")
			}
		})
	}
}

func fitEqual(a, b Fit, tol float64) bool {
	near := func(x, y float64) bool {
		if math.IsNaN(x) || math.IsNaN(y) {
			return math.IsNaN(x) && math.IsNaN(y)
		}
		return math.Abs(x-y) <= tol
	}
	return near(a.Slope, b.Slope) && near(a.Intercept, b.Intercept) && near(a.R2, b.R2) &&
		near(a.SlopeStdErr, b.SlopeStdErr) && a.N == b.N && a.Origin.Equal(b.Origin)
}

func TestFitAt(t *testing.T) {
	f, ok := LinearFit(daily(10, 12, 14))
	if !ok {
		t.Fatal("no fit")
	}
	if got := f.At(t0.Add(36 * time.Hour)); got != 13 {
		t.Errorf("At(1.5 days) = %v, want 13", got)
	}
}

func TestTrend(t *testing.T) {
	tests := []struct {
		name      string
		pts       []Point
		slope     float64
		direction string
	}{
		{"no points", nil, 0, Flat},
		{"one point", daily(5), 0, Flat},
		{"rising", daily(10, 12, 14, 16), 2, Rising},
		{"falling", daily(16, 14, 12, 10), -2, Falling},
		{"constant", daily(3, 3, 3, 3), 0, Flat},
		{"all zero", daily(0, 0, 0), 0, Flat},
		{"two points rising (no error known)", daily(1, 2), 1, Rising},
		// 0.01/day over 9 days is 0.09, under 1% of 1000.
		{"small against the level", line(10, day, 1000, 0.01), 0.01, Flat},
		// 0.2/day over 9 days is 1.8, over 1% of ~100.9.
		{"large enough against the level", line(10, day, 100, 0.2), 0.2, Rising},
		// b=0.8 but SE≈3.75: not significant, though 3.2 is 17% of the mean.
		{"not significant", daily(10, 30, 10, 30, 14), 0.8, Flat},
		// b=0.8, SE≈0.35 < 0.4: significant.
		{"significant", daily(1, 3, 2, 5, 4), 0.8, Rising},
		{"through zero", daily(-5, -2.5, 0, 2.5, 5), 2.5, Rising},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			slope, dir := Trend(tt.pts)
			if math.Abs(slope-tt.slope) > 1e-12 || dir != tt.direction {
				t.Errorf("Trend = %v, %q; want %v, %q", slope, dir, tt.slope, tt.direction)
			}
		})
	}
}

func TestGrowthPerWeek(t *testing.T) {
	tests := []struct {
		name   string
		pts    []Point
		want   float64
		wantOK bool
	}{
		{"no fit", daily(1), 0, false},
		{"2 a day", daily(10, 12, 14), 14, true},
		{"shrinking", line(24, time.Hour, 50, -1), -7, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := GrowthPerWeek(tt.pts)
			if math.Abs(got-tt.want) > 1e-9 || ok != tt.wantOK {
				t.Errorf("GrowthPerWeek = %v, %v; want %v, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}
