package charts

import (
	"bytes"
	"encoding/xml"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Colours. The series palette is Okabe and Ito's colour-blind-safe set with
// its yellow (unreadable on white) replaced by Tol's wine; text and lines
// are dark on the white background.
const (
	colBG    = "#ffffff"
	colText  = "#1a1a1a"
	colMuted = "#525252"
	colGrid  = "#e1e4e8"
	colAxis  = "#8c959f"
	colMark  = "#3d3d3d"
	colBar   = "#0072b2"
	colWarn  = "#d55e00"
	colWarnT = "#a3330a" // warning text: darker than the bar for contrast on white
	font     = "system-ui, sans-serif"
)

// MaxSeries is the number of series a Line draws; more are left out.
const MaxSeries = 8

var palette = [MaxSeries]string{"#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#882255"}

// svg accumulates one SVG document, one element per line.
type svg struct{ b bytes.Buffer }

// open writes the root element, the white background, <title> and, when
// not empty, <desc>.
func (s *svg) open(w, h int, title, desc string) {
	if strings.TrimSpace(title) == "" {
		title = "Chart"
	}
	ws, hs := strconv.Itoa(w), strconv.Itoa(h)
	s.b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="` + ws + `" height="` + hs +
		`" viewBox="0 0 ` + ws + ` ` + hs + `" role="img" aria-label="` + esc(title) +
		`" font-family="` + font + `" font-size="12">` + "\n")
	s.b.WriteString("<title>" + esc(title) + "</title>\n")
	if desc != "" {
		s.b.WriteString("<desc>" + esc(desc) + "</desc>\n")
	}
	s.b.WriteString(`<rect width="` + ws + `" height="` + hs + `" fill="` + colBG + `"/>` + "\n")
}

func (s *svg) close() []byte {
	s.b.WriteString("</svg>\n")
	return s.b.Bytes()
}

// raw writes one element as given; the caller escapes any text in it.
func (s *svg) raw(el string) { s.b.WriteString(el + "\n") }

// text writes a <text> element; attrs are extra attributes (already
// escaped), content is escaped here.
func (s *svg) text(x, y float64, attrs, content string) {
	if attrs != "" {
		attrs = " " + attrs
	}
	s.b.WriteString(`<text x="` + coord(x) + `" y="` + coord(y) + `"` + attrs + `>` + esc(content) + "</text>\n")
}

func (s *svg) line(x1, y1, x2, y2 float64, stroke, extra string) {
	if extra != "" {
		extra = " " + extra
	}
	s.b.WriteString(`<line x1="` + coord(x1) + `" y1="` + coord(y1) + `" x2="` + coord(x2) + `" y2="` + coord(y2) +
		`" stroke="` + stroke + `"` + extra + "/>\n")
}

// noData writes the centred "no data" message of an empty chart.
func (s *svg) noData(x, y float64) {
	s.text(x, y, `text-anchor="middle" fill="`+colMuted+`"`, "no data")
}

// esc escapes text for XML character data and attribute values (<, >, &,
// both quotes, control characters; invalid UTF-8 becomes U+FFFD).
func esc(str string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(str)) // a strings.Builder never fails
	return b.String()
}

// coord formats an SVG coordinate rounded to 0.1 user unit.
func coord(f float64) string {
	f = math.Round(f*10) / 10
	if f == 0 { // no "-0"
		f = 0
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// textWidth estimates the width of s set in system-ui at size; it only
// lays out (legends, margins, truncation), so an estimate is enough.
func textWidth(s string, size float64) float64 {
	return 0.6 * size * float64(utf8.RuneCountInString(s))
}

// truncate shortens s with "…" so that it fits in width at size.
func truncate(s string, width, size float64) string {
	if textWidth(s, size) <= width {
		return s
	}
	n := int(width/(0.6*size)) - 1
	if n < 1 {
		return "…"
	}
	r := []rune(s)
	if n > len(r) {
		n = len(r)
	}
	return strings.TrimSpace(string(r[:n])) + "…"
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
