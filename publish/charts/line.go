package charts

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Point is one measurement. A NaN (or infinite) V is a gap: the line stops
// before it and starts again after it.
type Point struct {
	T time.Time
	V float64
}

// Series is one named line. Points need not be sorted.
type Series struct {
	Name   string
	Points []Point
}

// Mark is a horizontal reference line (an SLO, a capacity, a threshold),
// drawn dashed and labelled at its right end.
type Mark struct {
	Label string
	V     float64
}

// Line is a time-series chart.
type Line struct {
	Title  string   // drawn at the top; also the <title> and aria-label
	Unit   string   // "ms", "%", "GB": tick labels and values carry it
	Series []Series // at most MaxSeries; each its own colour and a legend entry
	// From and To are the x range; a zero one is taken from the data.
	// Points outside the range are not drawn.
	From, To time.Time
	// YMin and YMax fix the y range; nil: from 0 (or the data's minimum
	// when negative) to a nice ceiling of the data and the marks. Values
	// outside a fixed range are drawn on its edge.
	YMin, YMax *float64
	Marks      []Mark
	Width      int // default 640
	Height     int // default 240
}

// Default and minimum sizes of a Line.
const (
	DefaultWidth, DefaultHeight = 640, 240
	minWidth, minHeight         = 200, 120
)

// SVG draws the chart. Without a finite value (or with an x range that
// holds none) it draws the title and "no data".
func (l Line) SVG() []byte {
	w, h := size(l.Width, DefaultWidth, minWidth), size(l.Height, DefaultHeight, minHeight)
	series, extra := l.Series, 0
	if len(series) > MaxSeries {
		series, extra = series[:MaxSeries], len(series)-MaxSeries
	}
	from, to := l.xRange(series)
	lines := make([][]Point, len(series))
	dlo, dhi := math.Inf(1), math.Inf(-1)
	hasData := false
	for i, s := range series {
		lines[i] = clip(s.Points, from, to)
		for _, p := range lines[i] {
			if finite(p.V) {
				dlo, dhi, hasData = math.Min(dlo, p.V), math.Max(dhi, p.V), true
			}
		}
	}
	var s svg
	s.open(w, h, l.Title, l.describe(series, lines, from, to, extra, hasData))
	s.text(12, 20, `font-size="14" font-weight="bold" fill="`+colText+`"`, l.Title)
	top := l.legend(&s, series, extra, w)
	if !hasData {
		s.noData(float64(w)/2, (top+float64(h))/2)
		return s.close()
	}
	for _, m := range l.Marks {
		if finite(m.V) {
			dlo, dhi = math.Min(dlo, m.V), math.Max(dhi, m.V)
		}
	}
	ax := axisFor(dlo, dhi, l.YMin, l.YMax)
	labels := make([]string, len(ax.Ticks))
	labelW := 0.0
	for i, v := range ax.Ticks {
		labels[i] = ax.tick(v, l.Unit)
		labelW = math.Max(labelW, textWidth(labels[i], 11))
	}
	p := plot{L: math.Max(40, labelW+18), R: float64(w) - 16, T: top + 8, B: float64(h) - 24, from: from, to: to, y: ax}

	// Grid, y labels, x labels.
	for i, v := range ax.Ticks {
		y := p.Y(v)
		stroke := colGrid
		if v == 0 && ax.Lo < 0 {
			stroke = colAxis
		}
		s.line(p.L, y, p.R, y, stroke, "")
		s.text(p.L-6, y+4, `text-anchor="end" font-size="11" fill="`+colMuted+`"`, labels[i])
	}
	for _, tk := range timeTicks(from, to, p.R-p.L) {
		x := p.X(tk.T)
		s.line(x, p.T, x, p.B+4, colGrid, "")
		// Centred under its tick, or flush with it at the picture's edges.
		anchor, half := "middle", textWidth(tk.Label, 11)/2
		switch {
		case x-half < 2:
			anchor = "start"
		case x+half > float64(w)-2:
			anchor = "end"
		}
		s.text(x, p.B+17, `text-anchor="`+anchor+`" font-size="11" fill="`+colMuted+`"`, tk.Label)
	}
	s.line(p.L, p.B, p.R, p.B, colAxis, "")

	for _, m := range l.Marks {
		if !finite(m.V) {
			continue
		}
		y := p.Y(m.V)
		s.line(p.L, y, p.R, y, colMark, `stroke-width="1" stroke-dasharray="6 4"`)
		s.text(p.R-2, y-4, `text-anchor="end" font-size="11" fill="`+colMark+`"`, m.Label+" "+fmtValue(m.V, l.Unit))
	}
	for i := range lines {
		p.series(&s, lines[i], palette[i])
	}
	return s.close()
}

func size(v, def, lo int) int {
	if v <= 0 {
		return def
	}
	return max(v, lo)
}

// xRange returns From and To, filling a zero end from the data; an empty
// or reversed range is widened to an hour around its start.
func (l Line) xRange(series []Series) (time.Time, time.Time) {
	from, to := l.From, l.To
	if from.IsZero() || to.IsZero() {
		var lo, hi time.Time
		for _, s := range series {
			for _, p := range s.Points {
				if lo.IsZero() || p.T.Before(lo) {
					lo = p.T
				}
				if hi.IsZero() || p.T.After(hi) {
					hi = p.T
				}
			}
		}
		if from.IsZero() {
			from = lo
		}
		if to.IsZero() {
			to = hi
		}
	}
	if !to.After(from) {
		from, to = from.Add(-30*time.Minute), from.Add(30*time.Minute)
	}
	return from, to
}

// clip returns the points in [from, to] sorted by time (a copy).
func clip(pts []Point, from, to time.Time) []Point {
	out := make([]Point, 0, len(pts))
	for _, p := range pts {
		if !p.T.Before(from) && !p.T.After(to) {
			out = append(out, p)
		}
	}
	slices.SortStableFunc(out, func(a, b Point) int { return a.T.Compare(b.T) })
	return out
}

// legend writes one entry per series (wrapping), and returns the y below it.
func (l Line) legend(s *svg, series []Series, extra int, w int) float64 {
	y := 30.0
	if len(series) == 0 || len(series) == 1 && series[0].Name == "" && extra == 0 {
		return y
	}
	y += 12
	x := 12.0
	for i, sr := range series {
		name := seriesName(sr, i)
		ew := 22 + textWidth(name, 12)
		if x > 12 && x+ew > float64(w)-12 {
			x, y = 12, y+18
		}
		s.line(x, y-4, x+16, y-4, palette[i], `stroke-width="3"`)
		s.text(x+20, y, `fill="`+colText+`"`, name)
		x += ew + 14
	}
	if extra > 0 {
		msg := fmt.Sprintf("(%d more not shown)", extra)
		if x+textWidth(msg, 12) > float64(w)-12 {
			x, y = 12, y+18
		}
		s.text(x, y, `fill="`+colMuted+`"`, msg)
	}
	return y + 4
}

func seriesName(s Series, i int) string {
	if s.Name == "" {
		return "series " + strconv.Itoa(i+1)
	}
	return s.Name
}

// describe states the chart in words for <desc>: the range, each series'
// minimum, average, maximum and last value, and the marks.
func (l Line) describe(series []Series, lines [][]Point, from, to time.Time, extra int, hasData bool) string {
	if !hasData && l.From.IsZero() && l.To.IsZero() {
		return "No data."
	}
	var b strings.Builder
	b.WriteString(from.UTC().Format("2006-01-02 15:04") + " to " + to.UTC().Format("2006-01-02 15:04") + " UTC")
	if !hasData {
		b.WriteString(": no data.")
		return b.String()
	}
	b.WriteString(".")
	for i, pts := range lines {
		lo, hi, mean, n, last := math.Inf(1), math.Inf(-1), 0.0, 0, math.NaN()
		for _, p := range pts {
			if finite(p.V) {
				n++
				lo, hi, mean, last = math.Min(lo, p.V), math.Max(hi, p.V), mean+(p.V-mean)/float64(n), p.V // running mean: no overflow
			}
		}
		b.WriteString(" " + seriesName(series[i], i) + ": ")
		if n == 0 {
			b.WriteString("no data.")
			continue
		}
		fmt.Fprintf(&b, "min %s, average %s, max %s, last %s.", fmtValue(lo, l.Unit), fmtValue(mean, l.Unit), fmtValue(hi, l.Unit), fmtValue(last, l.Unit))
	}
	for _, m := range l.Marks {
		if finite(m.V) {
			fmt.Fprintf(&b, " Line %s at %s.", m.Label, fmtValue(m.V, l.Unit))
		}
	}
	if extra > 0 {
		fmt.Fprintf(&b, " %d more series not shown.", extra)
	}
	return b.String()
}

// plot is the plotting area and its scales.
type plot struct {
	L, R, T, B float64
	from, to   time.Time
	y          axis
}

func (p plot) X(t time.Time) float64 {
	return p.L + float64(t.Sub(p.from))/float64(p.to.Sub(p.from))*(p.R-p.L)
}

func (p plot) Y(v float64) float64 { return p.B - p.y.pos(v)*(p.B-p.T) }

// series draws pts (sorted) as polylines broken at gaps; a point alone
// between gaps is a dot.
func (p plot) series(s *svg, pts []Point, colour string) {
	var run []string
	flush := func() {
		switch len(run) {
		case 0:
		case 1:
			xy := strings.SplitN(run[0], ",", 2)
			s.raw(`<circle cx="` + xy[0] + `" cy="` + xy[1] + `" r="2" fill="` + colour + `"/>`)
		default:
			s.raw(`<polyline points="` + strings.Join(run, " ") + `" fill="none" stroke="` + colour +
				`" stroke-width="1.5" stroke-linejoin="round" stroke-linecap="round"/>`)
		}
		run = run[:0]
	}
	for _, pt := range pts {
		if !finite(pt.V) {
			flush()
			continue
		}
		xy := coord(p.X(pt.T)) + "," + coord(p.Y(pt.V))
		if len(run) > 0 && run[len(run)-1] == xy {
			continue // same pixel as before: nothing to draw
		}
		run = append(run, xy)
	}
	flush()
}
