package stats

import (
	"math"
	"time"
)

// Point is one measurement V taken at time T.
type Point struct {
	T time.Time
	V float64
}

// Fit is an ordinary least-squares line V = Intercept + Slope·x, where x is
// the number of days (of 24 h) since Origin, the earliest T of the points
// fitted. For points given in time order Origin is the first point's T.
type Fit struct {
	// Slope is the change of V per day.
	Slope float64
	// Intercept is the fitted V at Origin.
	Intercept float64
	// R2 is the coefficient of determination, 1 - SSE/SST, from 0 to 1:
	// the share of V's variance the line explains. It is 1 when all V are
	// equal (nothing to explain, and the flat line does).
	R2 float64
	// SlopeStdErr is the standard error of Slope,
	// √(SSE/(N-2) / Σ(x-x̄)²): 0 for points exactly on a line, NaN for
	// N = 2 (two points always lie on a line; the error is unknown).
	SlopeStdErr float64
	// N is the number of points fitted (those with a finite V).
	N int
	// Origin is the time x = 0.
	Origin time.Time
}

// At is the fitted V at time t.
func (f Fit) At(t time.Time) float64 {
	return f.Intercept + f.Slope*days(t.Sub(f.Origin))
}

const day = 24 * time.Hour

func days(d time.Duration) float64 { return float64(d) / float64(day) }

// LinearFit fits a least-squares line to pts. Points whose V is NaN or ±Inf
// are ignored; points may come in any order and may share a time (several
// values at one x are fine). It returns false when the remaining points
// have fewer than 2 distinct times: no line is determined. pts is not
// modified. Spans longer than about 292 years, and |V| beyond about 1e150
// (whose squares overflow), are not supported: the fit's floats may then
// be Inf or NaN.
func LinearFit(pts []Point) (Fit, bool) {
	s, ok := fitSeries(pts)
	return s.fit, ok
}

// series is a fit with the facts about its points that Trend and
// FillForecast need.
type series struct {
	fit     Fit
	span    float64 // days from the earliest to the latest point
	meanAbs float64 // mean |V|
	last    Point   // the latest point (the later in pts among equal times)
	xMean   float64 // the centroid, through which the line passes
	yMean   float64
}

func fitSeries(pts []Point) (series, bool) {
	var s series
	n := 0
	var first, last time.Time
	for _, p := range pts {
		if !finite(p.V) {
			continue
		}
		if n == 0 || p.T.Before(first) {
			first = p.T
		}
		if n == 0 || !p.T.Before(last) {
			last = p.T
			s.last = p
		}
		n++
	}
	if n < 2 || !last.After(first) {
		return series{}, false
	}
	// Two passes over centred values: accurate even for large V or x.
	var sx, sy, sabs float64
	for _, p := range pts {
		if finite(p.V) {
			sx += days(p.T.Sub(first))
			sy += p.V
			sabs += math.Abs(p.V)
		}
	}
	xm, ym := sx/float64(n), sy/float64(n)
	var sxx, sxy, syy float64
	for _, p := range pts {
		if finite(p.V) {
			dx, dy := days(p.T.Sub(first))-xm, p.V-ym
			sxx += dx * dx
			sxy += dx * dy
			syy += dy * dy
		}
	}
	b := sxy / sxx
	a := ym - b*xm
	var sse float64
	for _, p := range pts {
		if finite(p.V) {
			r := p.V - (a + b*days(p.T.Sub(first)))
			sse += r * r
		}
	}
	r2 := 1.0
	if syy > 0 {
		r2 = math.Max(0, math.Min(1, 1-sse/syy))
	}
	se := math.NaN()
	if n > 2 {
		se = math.Sqrt(sse / float64(n-2) / sxx)
	}
	s.fit = Fit{Slope: b, Intercept: a, R2: r2, SlopeStdErr: se, N: n, Origin: first}
	s.span = days(last.Sub(first))
	s.meanAbs = sabs / float64(n)
	s.xMean, s.yMean = xm, ym
	return s, true
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Directions returned by Trend.
const (
	Rising  = "rising"
	Falling = "falling"
	Flat    = "flat"
)

// Trend says how the series moves: the fitted slope per day and Rising,
// Falling or Flat. "Flat" means "no evidence that it moves"; it is returned
// when
//
//   - there is no fit (fewer than 2 distinct times; the slope is then 0), or
//   - the slope is 0, or
//   - the fitted change over the series, |slope|·span (span = days from the
//     earliest to the latest point), is below 1% of the mean |V|, or
//   - the slope is not significant: |slope| < 2·SlopeStdErr (skipped for
//     two points, whose error is unknown).
//
// Otherwise the direction is the slope's sign. The returned slope is the
// fitted one even when the direction is Flat.
func Trend(pts []Point) (slopePerDay float64, direction string) {
	s, ok := fitSeries(pts)
	if !ok {
		return 0, Flat
	}
	return s.fit.Slope, s.direction()
}

func (s series) direction() string {
	b := s.fit.Slope
	switch {
	case b == 0,
		math.Abs(b)*s.span < 0.01*s.meanAbs,
		math.Abs(b) < 2*s.fit.SlopeStdErr: // false for NaN
		return Flat
	case b > 0:
		return Rising
	default:
		return Falling
	}
}

// GrowthPerWeek is the fitted slope times 7: the change per week. It
// returns 0 and false when LinearFit does.
func GrowthPerWeek(pts []Point) (float64, bool) {
	f, ok := LinearFit(pts)
	if !ok {
		return 0, false
	}
	return f.Slope * 7, true
}
