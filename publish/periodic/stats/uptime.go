package stats

import (
	"math"
	"slices"
	"time"
)

// Interval is the half-open span of time [Start, End). In outage lists a
// zero End means "still open": the outage runs to the end of the window.
type Interval struct{ Start, End time.Time }

// Duration is End - Start (0 for a zero or inverted interval).
func (iv Interval) Duration() time.Duration {
	if !iv.End.After(iv.Start) {
		return 0
	}
	return iv.End.Sub(iv.Start)
}

// Merge clips outages to the window [from, to) and merges those that
// overlap or touch (one's End equals the next's Start), returning them
// sorted by Start. An outage with a zero End is open and runs to `to`; an
// outage that ends at or before it starts is ignored, as is one wholly
// outside the window. The result is nil when no outage is left or the
// window is empty (to ≤ from). outages is not modified.
func Merge(outages []Interval, from, to time.Time) []Interval {
	if !to.After(from) {
		return nil
	}
	var clipped []Interval
	for _, o := range outages {
		if o.End.IsZero() {
			o.End = to
		}
		if o.Start.Before(from) {
			o.Start = from
		}
		if o.End.After(to) {
			o.End = to
		}
		if o.End.After(o.Start) {
			clipped = append(clipped, o)
		}
	}
	slices.SortFunc(clipped, func(a, b Interval) int { return a.Start.Compare(b.Start) })
	var merged []Interval
	for _, o := range clipped {
		if n := len(merged); n > 0 && !o.Start.After(merged[n-1].End) {
			if o.End.After(merged[n-1].End) {
				merged[n-1].End = o.End
			}
			continue
		}
		merged = append(merged, o)
	}
	return merged
}

// Uptime is the time-based availability over the window [from, to): the
// fraction (0 to 1) of the window not covered by any outage, after Merge
// (clipped to the window, open outages running to `to`, overlaps counted
// once). It is 1 with no outage in the window and NaN when the window is
// empty (to ≤ from). Windows longer than about 292 years are measured as
// 292 years (time.Duration's limit).
func Uptime(outages []Interval, from, to time.Time) float64 {
	if !to.After(from) {
		return math.NaN()
	}
	window := to.Sub(from)
	var down time.Duration
	for _, o := range Merge(outages, from, to) {
		down += o.Duration()
	}
	if down >= window {
		return 0
	}
	return 1 - float64(down)/float64(window)
}

// Longest is the longest outage within [from, to) after Merge, so two
// outages that overlap or touch count as one, and an outage is only as
// long as its part inside the window. Of equally long outages it returns
// the earliest. It returns false when no outage is left.
func Longest(outages []Interval, from, to time.Time) (Interval, bool) {
	var best Interval
	found := false
	for _, o := range Merge(outages, from, to) {
		if !found || o.Duration() > best.Duration() {
			best, found = o, true
		}
	}
	return best, found
}
