package stats

import (
	"math"
	"strconv"
	"time"
)

// Forecast is when a growing series (a disk's used bytes, say) reaches
// capacity. Exactly one of these holds, and Reason says which in a few
// words:
//
//   - Full: the latest point is at or above capacity ("already full");
//   - Never: the series is flat or shrinking (Trend's rule), so no
//     crossing lies ahead ("flat", "shrinking");
//   - Date is set: the series is rising ("growing 1.2/day", the fitted
//     slope to 3 significant digits, without units: callers that know
//     the unit phrase their own from Fit.Slope);
//   - none of these: it cannot tell ("too few points (need 3 over 2
//     days)", "capacity unknown").
//
// A straight line through a step (a prune drops the usage, a first big
// backup raises it) is wrong on both sides of it: callers should pass
// only the points since the last step.
type Forecast struct {
	// Date is when the fitted line reaches capacity. Earliest and Latest
	// bound it by refitting the slope as Slope ± 2·SlopeStdErr (about a
	// 95% range for the slope), pivoting on the points' centroid, through
	// which every least-squares line passes. Latest is zero when the lower
	// slope is not positive: "not before Earliest, maybe never"; as a
	// slope within 2 standard errors of 0 is flat (Never), that happens
	// only when Slope is exactly 2·SlopeStdErr. None of
	// the three is before the forecast's now: a line that should already
	// have crossed while the latest point has not means "any moment".
	// Earliest ≤ Date ≤ Latest (when Latest is set).
	Date, Earliest, Latest time.Time
	// Never is set when the series is flat or shrinking; Full when the
	// latest point is already at or above capacity.
	Never, Full bool
	// Reason says in a few words why.
	Reason string
	// Fit is the least-squares fit behind the forecast, set whenever
	// LinearFit succeeds (even when Full or too few points).
	Fit Fit
}

// Reasons FillForecast gives when it cannot forecast.
const (
	ReasonTooFew          = "too few points (need 3 over 2 days)"
	ReasonCapacityUnknown = "capacity unknown"
)

// MinForecastPoints and MinForecastSpan are the least data FillForecast
// extrapolates from.
const (
	MinForecastPoints = 3
	MinForecastSpan   = 2 * day
)

// maxDays caps forecast dates at about 10,000 years after the fit's origin
// so that they stay representable.
const maxDays = 3_652_500

// FillForecast says when pts, fitted by LinearFit, reach capacity (see
// Forecast for the rules). Points with a NaN or infinite V are ignored.
// The checks run in this order: a NaN or infinite capacity gives only
// ReasonCapacityUnknown; a latest point at or above capacity gives Full
// (one point is enough); fewer than MinForecastPoints points, or points
// spanning less than MinForecastSpan, give only ReasonTooFew; then Trend's
// rule gives Never or a Date. Fit is set whenever LinearFit succeeds. now is the
// time of the report: no date returned is before it (pass the zero time to
// get the raw fitted dates). pts is not modified.
func FillForecast(pts []Point, capacity float64, now time.Time) Forecast {
	var fc Forecast
	s, ok := fitSeries(pts)
	if ok {
		fc.Fit = s.fit
	}
	if !finite(capacity) {
		fc.Reason = ReasonCapacityUnknown
		return fc
	}
	if last, ok := latest(pts); ok && last.V >= capacity {
		fc.Full = true
		fc.Reason = "already full"
		return fc
	}
	if !ok || s.fit.N < MinForecastPoints || s.span < days(MinForecastSpan) {
		fc.Reason = ReasonTooFew
		return fc
	}
	switch s.direction() {
	case Flat:
		fc.Never, fc.Reason = true, "flat"
		return fc
	case Falling:
		fc.Never, fc.Reason = true, "shrinking"
		return fc
	}
	b, se := s.fit.Slope, s.fit.SlopeStdErr
	fc.Reason = "growing " + sig3(b) + "/day"
	fc.Date = s.crossing(capacity, b)
	fast := s.crossing(capacity, b+2*se)
	var slow time.Time
	if b-2*se > 0 {
		slow = s.crossing(capacity, b-2*se)
	}
	// When the centroid is already above capacity (the latest point fell
	// below the line), a steeper line crosses later, not earlier.
	fc.Earliest, fc.Latest = fast, slow
	if !slow.IsZero() && slow.Before(fast) {
		fc.Earliest, fc.Latest = slow, fast
	}
	if fc.Latest.IsZero() && fast.After(fc.Date) {
		// Centroid above capacity and no positive lower slope (only when
		// Slope == 2·SlopeStdErr exactly, as smaller slopes are flat):
		// keep Earliest ≤ Date.
		fc.Earliest = fc.Date
	}
	fc.Date = notBefore(fc.Date, now)
	fc.Earliest = notBefore(fc.Earliest, now)
	if !fc.Latest.IsZero() {
		fc.Latest = notBefore(fc.Latest, now)
	}
	return fc
}

// crossing is when the line of slope b through the centroid reaches c.
func (s series) crossing(c, b float64) time.Time {
	x := s.xMean + (c-s.yMean)/b
	return addDays(s.fit.Origin, math.Max(-maxDays, math.Min(maxDays, x)))
}

// latest is the point with the latest T and a finite V (the later in pts
// among equal times).
func latest(pts []Point) (Point, bool) {
	var last Point
	found := false
	for _, p := range pts {
		if finite(p.V) && (!found || !p.T.Before(last.T)) {
			last, found = p, true
		}
	}
	return last, found
}

// addDays is t plus d days of 24 h, for |d| beyond time.Duration's range.
func addDays(t time.Time, d float64) time.Time {
	secs := d * 86400
	whole := math.Floor(secs)
	ns := math.Round((secs - whole) * 1e9)
	return time.Unix(t.Unix()+int64(whole), int64(t.Nanosecond())+int64(ns)).In(t.Location())
}

func notBefore(t, now time.Time) time.Time {
	if t.Before(now) {
		return now
	}
	return t
}

// sig3 formats v to 3 significant digits without an exponent: 1.23,
// 1230, 0.00123.
func sig3(v float64) string {
	if v == 0 {
		return "0"
	}
	e := math.Floor(math.Log10(math.Abs(v)))
	scale := math.Pow(10, 2-e)
	return strconv.FormatFloat(math.Round(v*scale)/scale, 'f', -1, 64)
}
