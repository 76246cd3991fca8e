package diagram

import (
	"bytes"
	"strings"
)

// Colours: dark text on light fills, each box kind its own hue; offsite
// destinations are also dashed, so the difference does not rest on colour.
const (
	colBG     = "#ffffff"
	colText   = "#1a1a1a"
	colMuted  = "#57606a"
	colBand   = "#f8f9fa"
	colBandLn = "#d0d7de"
	colEdge   = "#57606a"
	font      = "sans-serif"
	arrowID   = "itlag-diagram-arrow"
)

// palette is fill, stroke and tag colour per style.
var palette = [...]struct{ fill, stroke, tag string }{
	styleWeb:     {"#e8f1fb", "#0a5ea8", colMuted},
	styleOffice:  {"#f1f3f5", "#57606a", colMuted},
	styleOnsite:  {"#e3f4e8", "#1a7f37", "#116329"},
	styleOffsite: {"#fff0e0", "#a64b00", "#8a3d00"},
	styleMonitor: {"#f1ecfb", "#6639ba", colMuted},
	styleRoute:   {"#fdeced", "#b42318", colMuted},
}

// svgDoc accumulates one document, one element per line.
type svgDoc struct{ b bytes.Buffer }

func (s *svgDoc) line(parts ...string) {
	for _, p := range parts {
		s.b.WriteString(p)
	}
	s.b.WriteByte('\n')
}

// render writes the laid-out model as a standalone SVG document.
func render(m model, l layout, empty string) []byte {
	var s svgDoc
	w, h := itoa(l.w), itoa(l.h)
	s.line(`<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="`, w, `" height="`, h,
		`" viewBox="0 0 `, w, ` `, h, `" role="img" aria-label="`, esc(m.title),
		`" font-family="`, font, `" font-size="`, itoa(int(lineSize)), `">`)
	s.line(`<title>`, esc(m.title), `</title>`)
	s.line(`<desc>`, esc(m.desc), `</desc>`)
	s.line(`<defs><marker id="`, arrowID, `" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto">`,
		`<path d="M0,0 L10,5 L0,10 z" fill="`, colEdge, `"/></marker></defs>`)
	s.line(`<rect width="`, w, `" height="`, h, `" fill="`, colBG, `"/>`)
	s.line(`<text x="`, itoa(margin), `" y="`, itoa(margin+14), `" font-size="16" font-weight="bold" fill="`, colText, `">`,
		esc(fit(m.title, float64(l.w-2*margin), 16, true)), `</text>`)
	if len(m.bands) == 0 {
		s.line(`<text x="`, itoa(margin), `" y="`, itoa(margin+titleH+8), `" font-size="13" fill="`, colMuted, `">`,
			esc(fit(empty, float64(l.w-2*margin), 13, false)), `</text>`)
	}
	for _, b := range l.bands {
		s.band(b)
	}
	s.edges(m.edges, l.at)
	for _, b := range l.bands {
		for _, p := range b.boxes {
			s.box(p)
		}
	}
	s.line(`</svg>`)
	return s.b.Bytes()
}

// band writes a band's background, title and column heads.
func (s *svgDoc) band(b bandPlace) {
	r := b.r
	s.line(`<g class="band">`)
	s.line(`<rect x="`, itoa(r.x), `" y="`, itoa(r.y), `" width="`, itoa(r.w), `" height="`, itoa(r.h),
		`" rx="6" fill="`, colBand, `" stroke="`, colBandLn, `"/>`)
	s.line(`<text x="`, itoa(r.x+bandPad), `" y="`, itoa(r.y+20), `" font-size="13" font-weight="bold" fill="`, colText, `">`,
		esc(fit(b.title, float64(r.w-2*bandPad), 13, true)), `</text>`)
	for _, hd := range b.heads {
		s.line(`<text x="`, itoa(hd.x), `" y="`, itoa(hd.y), `" fill="`, colMuted, `">`,
			esc(fit(hd.text, colW, lineSize, false)), `</text>`)
	}
	s.line(`</g>`)
}

// edges writes the routed edges, each with an arrowhead.
func (s *svgDoc) edges(edges []edge, at map[string]rect) {
	paths := route(edges, at)
	if len(paths) == 0 {
		return
	}
	s.line(`<g class="edges" fill="none" stroke="`, colEdge, `" stroke-width="1.5">`)
	for _, d := range paths {
		s.line(`<path d="`, d, `" marker-end="url(#`, arrowID, `)"/>`)
	}
	s.line(`</g>`)
}

// box writes one box: a <title> child with its whole text (a tooltip, and
// what a cut text stands for), the frame, the name, the tag and the lines.
func (s *svgDoc) box(p placed) {
	b, r := p.b, p.r
	pal := palette[b.style]
	full := []string{b.name}
	if b.tag != "" {
		full = append(full, b.tag)
	}
	full = append(full, b.lines...)
	s.line(`<g class="box">`)
	s.line(`<title>`, esc(strings.Join(full, "\n")), `</title>`)
	dash := ""
	if b.style == styleOffsite {
		dash = `" stroke-dasharray="6 3`
	}
	s.line(`<rect x="`, itoa(r.x), `" y="`, itoa(r.y), `" width="`, itoa(r.w), `" height="`, itoa(r.h),
		`" rx="4" fill="`, pal.fill, `" stroke="`, pal.stroke, dash, `" stroke-width="1.5"/>`)
	x := itoa(r.x + boxPad)
	inner := float64(r.w - 2*boxPad)
	y := r.y + nameBase
	s.line(`<text x="`, x, `" y="`, itoa(y), `" font-size="`, itoa(int(nameSize)), `" font-weight="bold" fill="`, colText, `">`,
		esc(fit(b.name, inner, nameSize, true)), `</text>`)
	if b.tag != "" {
		y += lineH
		s.line(`<text class="tag" x="`, x, `" y="`, itoa(y), `" font-weight="bold" fill="`, pal.tag, `">`,
			esc(fit(b.tag, inner, lineSize, true)), `</text>`)
	}
	for _, ln := range b.lines {
		y += lineH
		s.line(`<text x="`, x, `" y="`, itoa(y), `" fill="`, colText, `">`, esc(fit(ln, inner, lineSize, false)), `</text>`)
	}
	s.line(`</g>`)
}
