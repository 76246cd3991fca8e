package charts

import (
	"math"
	"slices"
	"strings"
)

// Spark geometry: a 120 x 24 picture for a table cell.
const sparkW, sparkH, sparkPad = 120, 24, 2.5

// Spark draws a tiny trend line of pts for a table: no axes, no legend,
// the y scale from the minimum to the maximum value, a dot on the last
// value, NaN values as gaps. Its aria-label and <title> give the span and
// the minimum, maximum and last value. No finite value: "no data".
func Spark(pts []Point) []byte {
	sorted := slices.Clone(pts)
	slices.SortStableFunc(sorted, func(a, b Point) int { return a.T.Compare(b.T) })
	lo, hi, last, n := math.Inf(1), math.Inf(-1), Point{}, 0
	for _, p := range sorted {
		if finite(p.V) {
			lo, hi, last, n = math.Min(lo, bound(p.V)), math.Max(hi, bound(p.V)), p, n+1
		}
	}
	var s svg
	if n == 0 {
		s.open(sparkW, sparkH, "trend: no data", "")
		s.text(sparkW/2, sparkH/2+3, `text-anchor="middle" font-size="9" fill="`+colMuted+`"`, "no data")
		return s.close()
	}
	first := sorted[0].T
	for _, p := range sorted {
		if finite(p.V) {
			first = p.T
			break
		}
	}
	label := "trend " + first.UTC().Format("2006-01-02 15:04") + " to " + last.T.UTC().Format("2006-01-02 15:04") +
		" UTC: min " + fmtValue(lo, "") + ", max " + fmtValue(hi, "") + ", last " + fmtValue(last.V, "")
	s.open(sparkW, sparkH, label, "")

	t0, span := sorted[0].T, sorted[len(sorted)-1].T.Sub(sorted[0].T)
	xy := func(i int, p Point) (float64, float64) {
		fx := 0.5
		switch {
		case span > 0:
			fx = float64(p.T.Sub(t0)) / float64(span)
		case len(sorted) > 1:
			fx = float64(i) / float64(len(sorted)-1)
		}
		fy := 0.5
		if hi > lo {
			fy = (bound(p.V) - lo) / (hi - lo)
		}
		return sparkPad + fx*(sparkW-2*sparkPad), sparkH - sparkPad - fy*(sparkH-2*sparkPad)
	}
	var run []string
	flush := func() {
		if len(run) > 1 {
			s.raw(`<polyline points="` + strings.Join(run, " ") + `" fill="none" stroke="` + colBar +
				`" stroke-width="1.25" stroke-linejoin="round" stroke-linecap="round"/>`)
		}
		run = run[:0]
	}
	var lx, ly float64
	for i, p := range sorted {
		if !finite(p.V) {
			flush()
			continue
		}
		x, y := xy(i, p)
		c := coord(x) + "," + coord(y)
		if len(run) == 0 || run[len(run)-1] != c {
			run = append(run, c)
		}
		lx, ly = x, y
	}
	flush()
	s.raw(`<circle cx="` + coord(lx) + `" cy="` + coord(ly) + `" r="2" fill="` + colBar + `"/>`)
	return s.close()
}
