package statuspage

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Chart geometry in SVG user units (the viewBox); the SVG scales to the
// width of its container.
const (
	chartW, chartH = 320, 132
	plotL, plotR   = 44, 312 // plot area x range
	plotT, plotB   = 8, 108  // plot area y range
	maxChartPoints = 240     // longer series are bucketed (max per bucket)
)

type gridLine struct {
	X1, X2, Y      int // the line
	LabelX, LabelY int // the label's anchor (end) and baseline
	Label          string
}

type chart struct {
	Empty        bool
	W, H         int
	PlotL, PlotR int
	PlotT, PlotB int
	Points       string // polyline points
	Grid         []gridLine
	XStart, XEnd string
	XLabelY      int
	Label        string // aria-label: the chart in words
}

// newChart scales the response times of one monitor into a polyline: x by
// time from the first to the last sample, y from 0 to a rounded maximum.
func newChart(name string, series []Point) chart {
	c := chart{W: chartW, H: chartH, PlotL: plotL, PlotR: plotR, PlotT: plotT, PlotB: plotB, XLabelY: chartH - 6}
	pts := make([]Point, 0, len(series))
	for _, p := range series {
		if !math.IsNaN(p.Ms) && !math.IsInf(p.Ms, 0) && p.Ms >= 0 {
			pts = append(pts, p)
		}
	}
	if len(pts) == 0 {
		c.Empty = true
		c.Label = fmt.Sprintf("Response time of %s: no data", name)
		return c
	}
	pts = bucket(pts, maxChartPoints)

	lo, hi, sum := math.Inf(1), math.Inf(-1), 0.0
	for _, p := range pts {
		lo, hi, sum = math.Min(lo, p.Ms), math.Max(hi, p.Ms), sum+p.Ms
	}
	top := niceCeil(hi)
	t0, t1 := pts[0].At, pts[len(pts)-1].At
	span := t1.Sub(t0)

	var b strings.Builder
	for i, p := range pts {
		var fx float64
		switch {
		case span > 0:
			fx = float64(p.At.Sub(t0)) / float64(span)
		case len(pts) > 1:
			fx = float64(i) / float64(len(pts)-1)
		}
		x := plotL + fx*(plotR-plotL)
		y := plotB - p.Ms/top*(plotB-plotT)
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(coord(x))
		b.WriteByte(',')
		b.WriteString(coord(y))
	}
	if len(pts) == 1 { // a polyline of one point draws nothing
		b.WriteString(" " + coord(plotR) + "," + coord(plotB-pts[0].Ms/top*(plotB-plotT)))
	}
	c.Points = b.String()
	for _, f := range []float64{1, 0.5, 0} {
		y := plotB - int(f*(plotB-plotT))
		c.Grid = append(c.Grid, gridLine{X1: plotL, X2: plotR, Y: y, LabelX: plotL - 4, LabelY: y + 4, Label: fmtMs(top * f)})
	}
	c.XStart, c.XEnd = chartTime(t0, span), chartTime(t1, span)
	c.Label = fmt.Sprintf("Response time of %s from %s to %s: min %s, average %s, max %s, last %s",
		name, fmtTime(t0), fmtTime(t1), fmtMs(lo), fmtMs(sum/float64(len(pts))), fmtMs(hi), fmtMs(pts[len(pts)-1].Ms))
	return c
}

// bucket reduces pts to at most n points, keeping each bucket's slowest
// sample so spikes stay visible.
func bucket(pts []Point, n int) []Point {
	if len(pts) <= n {
		return pts
	}
	out := make([]Point, 0, n)
	for i := 0; i < n; i++ {
		lo, hi := i*len(pts)/n, (i+1)*len(pts)/n
		best := pts[lo]
		for _, p := range pts[lo+1 : hi] {
			if p.Ms > best.Ms {
				best.Ms = p.Ms
			}
		}
		best.At = pts[hi-1].At
		if i == 0 {
			best.At = pts[0].At
		}
		out = append(out, best)
	}
	return out
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten (at least 1).
func niceCeil(v float64) float64 {
	if v <= 1 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

func coord(f float64) string { return strconv.FormatFloat(math.Round(f*10)/10, 'f', -1, 64) }

func fmtMs(ms float64) string {
	if ms >= 1000 {
		return fmtNum(ms/1000) + " s"
	}
	return strconv.FormatFloat(math.Round(ms), 'f', -1, 64) + " ms"
}

// chartTime labels an axis end: the time of day for spans under two days,
// the date otherwise.
func chartTime(t time.Time, span time.Duration) string {
	if span < 48*time.Hour {
		return t.UTC().Format("Jan 2 15:04")
	}
	return t.UTC().Format("Jan 2")
}
