package charts

import (
	"math"
	"strings"
)

// BarItem is one bar.
type BarItem struct {
	Label string
	V     float64 // NaN or infinite: no bar, "no data"
	Note  string  // shown after the value, e.g. "3 failed"
	Warn  bool    // drawn in the warning colour, its value in bold
}

// Bar is a horizontal bar chart, one bar per item in the caller's order:
// success rate per backup job, growth per share, alerts per route.
type Bar struct {
	Title string // drawn at the top; also the <title> and aria-label
	Unit  string // tick labels and values carry it
	Bars  []BarItem
	// Max fixes the scale's end (100 for "%"); nil: a nice ceiling of the
	// values. Negative values draw left of a zero line.
	Max   *float64
	Width int // default 640; the height follows from the number of bars
}

// Bar geometry.
const (
	barTop    = 36.0 // first row
	barRow    = 24.0 // row pitch
	barHeight = 15.0
	barAxis   = 26.0 // below the rows: tick labels
)

// SVG draws the chart. Without items, or without a finite value, it draws
// the title and "no data".
func (b Bar) SVG() []byte {
	w := size(b.Width, DefaultWidth, minWidth)
	fw := float64(w)
	vals := make([]string, len(b.Bars))
	dlo, dhi := math.Inf(1), math.Inf(-1)
	labelW, valW := 0.0, 0.0
	for i, it := range b.Bars {
		vals[i] = fmtValue(it.V, b.Unit)
		if it.Note != "" {
			vals[i] += " (" + it.Note + ")"
		}
		if finite(it.V) {
			dlo, dhi = math.Min(dlo, it.V), math.Max(dhi, it.V)
		}
		labelW = math.Max(labelW, textWidth(it.Label, 12))
		valW = math.Max(valW, textWidth(vals[i], 12))
	}
	labelW = math.Min(labelW, 0.3*fw)
	valW = math.Min(valW, 0.3*fw)

	var s svg
	if math.IsInf(dlo, 1) {
		h := int(barTop + 40)
		s.open(w, h, b.Title, "")
		s.text(12, 20, `font-size="14" font-weight="bold" fill="`+colText+`"`, b.Title)
		s.noData(fw/2, barTop+20)
		return s.close()
	}
	rowsB := barTop + barRow*float64(len(b.Bars))
	h := int(math.Ceil(rowsB + barAxis))
	s.open(w, h, b.Title, b.describe(vals))
	s.text(12, 20, `font-size="14" font-weight="bold" fill="`+colText+`"`, b.Title)

	ax := axisFor(dlo, dhi, nil, b.Max)
	L, R := 12+labelW+8, fw-12-valW-6
	if R-L < 40 {
		R = L + 40
	}
	x := func(v float64) float64 { return L + ax.pos(v)*(R-L) }
	for _, v := range ax.Ticks {
		gx := x(v)
		stroke := colGrid
		if v == 0 {
			stroke = colAxis
		}
		s.line(gx, barTop-4, gx, rowsB, stroke, "")
		s.text(gx, rowsB+16, `text-anchor="middle" font-size="11" fill="`+colMuted+`"`, ax.tick(v, b.Unit))
	}
	zero := x(math.Max(ax.Lo, math.Min(0, ax.Hi)))
	for i, it := range b.Bars {
		y := barTop + barRow*float64(i)
		mid := y + barHeight/2 + 4
		s.text(12+labelW, mid, `text-anchor="end" fill="`+colText+`"`, truncate(it.Label, labelW, 12))
		valAttr := `fill="` + colText + `"`
		if it.Warn {
			valAttr = `fill="` + colWarnT + `" font-weight="bold"`
		}
		if !finite(it.V) {
			s.text(zero+4, mid, `fill="`+colMuted+`"`, truncate(vals[i], fw-zero-16, 12))
			continue
		}
		x0, x1 := zero, x(it.V)
		if x1 < x0 {
			x0, x1 = x1, x0
		}
		fill := colBar
		if it.Warn {
			fill = colWarn
		}
		s.raw(`<rect x="` + coord(x0) + `" y="` + coord(y) + `" width="` + coord(math.Max(x1-x0, 1)) +
			`" height="` + coord(barHeight) + `" fill="` + fill + `"><title>` + esc(b.itemWords(it, vals[i])) + `</title></rect>`)
		tx := math.Max(x1, zero) + 4
		s.text(tx, mid, valAttr, truncate(vals[i], fw-tx-4, 12))
	}
	return s.close()
}

// itemWords is one bar in words.
func (b Bar) itemWords(it BarItem, val string) string {
	s := it.Label + ": " + val
	if it.Warn {
		s += ", warning"
	}
	return s
}

// describe lists the bars in words for <desc>.
func (b Bar) describe(vals []string) string {
	parts := make([]string, len(b.Bars))
	for i, it := range b.Bars {
		parts[i] = b.itemWords(it, vals[i])
	}
	return strings.Join(parts, "; ") + "."
}
