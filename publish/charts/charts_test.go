package charts

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// goldens are the charts kept in testdata, by file name.
func goldens() []struct {
	name string
	svg  func() []byte
} {
	return []struct {
		name string
		svg  func() []byte
	}{
		{"line.svg", sampleLine().SVG},
		{"line-month.svg", sampleMonth().SVG},
		{"line-empty.svg", Line{Title: "Response time", Unit: "ms"}.SVG},
		{"line-all-gaps.svg", Line{Title: "Response time", Unit: "ms", Series: []Series{{Name: "down", Points: gap(wave(24, time.Hour, 50, 0), 0, 24)}}}.SVG},
		{"bar.svg", sampleBar().SVG},
		{"bar-negative.svg", sampleGrowth().SVG},
		{"bar-empty.svg", Bar{Title: "Alerts per route"}.SVG},
		{"spark.svg", func() []byte { return Spark(gap(wave(48, time.Hour, 100, 13), 20, 24)) }},
		{"spark-empty.svg", func() []byte { return Spark(nil) }},
	}
}

func TestGolden(t *testing.T) {
	for _, g := range goldens() {
		t.Run(g.name, func(t *testing.T) {
			got := g.svg()
			path := filepath.Join("testdata", g.name)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s (run go test -update and review the diff)", path)
			}
			checkSVG(t, got)
		})
	}
}

// external matches anything that could fetch or run something.
var external = regexp.MustCompile(`(?i)<script|<style|<image|<use|<foreignObject|\bon[a-z]+=|href|url\(|@import|\bid=`)

// checkSVG parses out as XML and asserts a standalone SVG root with the
// namespace, version, size and viewBox, a white background, an accessible
// name, and no script, style, id or external reference.
func checkSVG(t *testing.T, out []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(out))
	var root *xml.StartElement
	depth := 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, out)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if root == nil {
				e := e.Copy()
				root = &e
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
	if root == nil || depth != 0 {
		t.Fatalf("no root element or unbalanced: %s", out)
	}
	if root.Name.Space != "http://www.w3.org/2000/svg" || root.Name.Local != "svg" {
		t.Errorf("root is %v, want svg in the SVG namespace", root.Name)
	}
	attrs := map[string]string{}
	for _, a := range root.Attr {
		attrs[a.Name.Local] = a.Value
	}
	for _, k := range []string{"version", "width", "height", "viewBox", "role", "aria-label", "font-family"} {
		if attrs[k] == "" {
			t.Errorf("root lacks %s", k)
		}
	}
	if want := "0 0 " + attrs["width"] + " " + attrs["height"]; attrs["viewBox"] != want {
		t.Errorf("viewBox %q, want %q", attrs["viewBox"], want)
	}
	if !bytes.Contains(out, []byte(`<rect width="`+attrs["width"]+`" height="`+attrs["height"]+`" fill="#ffffff"/>`)) {
		t.Error("no white background")
	}
	if m := external.Find(out); m != nil {
		t.Errorf("output holds %q", m)
	}
}

func TestEscaping(t *testing.T) {
	const evil = `Disk <script>alert("x")</script> & 'more' </svg><svg>`
	pts := wave(24, time.Hour, 10, 0)
	for _, tc := range []struct {
		name string
		out  []byte
	}{
		{"line", Line{Title: evil, Unit: "<u>", Series: []Series{{Name: evil, Points: pts}}, Marks: []Mark{{Label: evil, V: 5}}}.SVG()},
		{"line empty", Line{Title: evil}.SVG()},
		{"bar", Bar{Title: evil, Unit: "&", Bars: []BarItem{{Label: evil, V: 1, Note: evil}}}.SVG()},
		{"bar empty", Bar{Title: evil}.SVG()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkSVG(t, tc.out)
			s := string(tc.out)
			if strings.Contains(s, "<script") || strings.Contains(s, "& ") || strings.Count(s, "<svg") != 1 {
				t.Errorf("unescaped text in:\n%s", s)
			}
			if !strings.Contains(s, "&lt;script&gt;") || !strings.Contains(s, "&amp;") {
				t.Errorf("escaped title missing in:\n%s", s)
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	for _, g := range goldens() {
		t.Run(g.name, func(t *testing.T) {
			a, b := g.svg(), g.svg()
			if !bytes.Equal(a, b) {
				t.Error("two renderings differ")
			}
		})
	}
	// The input order of points does not matter; the caller's slice is
	// left alone.
	pts := wave(48, time.Hour, 100, 13)
	rev := make([]Point, len(pts))
	for i, p := range pts {
		rev[len(pts)-1-i] = p
	}
	first := rev[0]
	if !bytes.Equal(Spark(pts), Spark(rev)) {
		t.Error("Spark depends on the order of its points")
	}
	if !bytes.Equal(Line{Series: []Series{{Points: pts}}}.SVG(), Line{Series: []Series{{Points: rev}}}.SVG()) {
		t.Error("Line depends on the order of its points")
	}
	if rev[0] != first {
		t.Error("the caller's points were reordered")
	}
}

func TestLineContent(t *testing.T) {
	out := string(sampleLine().SVG())
	for _, want := range []string{
		`width="640" height="240" viewBox="0 0 640 240"`,
		`aria-label="Response time, week 22 (May 25 – Jun 1, 2025)"`,
		`<desc>2025-05-25 01:00 to 2025-06-01 00:00 UTC. lagrieta.ar: min`,
		"Line SLO at 400 ms.",
		`stroke-dasharray="6 4"`, ">SLO 400 ms</text>",
		">lagrieta.ar</text>", ">mail.lagrieta.ar (IMAP)</text>",
		">May 26</text>", ">Jun 1</text>", // daily labels for a week
		">0 ms</text>", ">400 ms</text>",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("line chart lacks %q", want)
		}
	}
	// Series 1 is one polyline, series 2 two (its gap splits it).
	if n := strings.Count(out, `stroke="`+palette[0]+`" stroke-width="1.5"`); n != 1 {
		t.Errorf("series 1 drawn as %d polylines, want 1", n)
	}
	if n := strings.Count(out, `stroke="`+palette[1]+`" stroke-width="1.5"`); n != 2 {
		t.Errorf("series 2 drawn as %d polylines, want 2 (split by its gap)", n)
	}
}

func TestLineEdgeCases(t *testing.T) {
	pts := wave(24, time.Hour, 10, 0)
	many := make([]Series, 11)
	for i := range many {
		many[i] = Series{Points: pts}
	}
	for _, tc := range []struct {
		name string
		l    Line
		want []string
	}{
		{"empty", Line{Title: "x"}, []string{">no data</text>", "<desc>No data.</desc>"}},
		{"no title", Line{}, []string{`aria-label="Chart"`}},
		{"only NaN and Inf", Line{Series: []Series{{Points: []Point{{end, math.NaN()}, {end.Add(time.Hour), math.Inf(1)}}}}}, []string{">no data</text>"}},
		{"range excludes the data", Line{Series: []Series{{Points: pts}}, From: end.Add(time.Hour), To: end.Add(2 * time.Hour)}, []string{">no data</text>"}},
		{"one point", Line{Series: []Series{{Points: pts[:1]}}}, []string{"<circle "}},
		{"too many series", Line{Series: many}, []string{"(3 more not shown)", "3 more series not shown."}},
		{"negative", Line{Unit: "GB", Series: []Series{{Points: []Point{{end, -7}, {end.Add(time.Hour), 3}}}}}, []string{">-10 GB</text>", ">0 GB</text>", ">5 GB</text>"}},
		{"fixed range", Line{Unit: "%", YMin: ptr(99), YMax: ptr(100), Series: []Series{{Points: []Point{{end, 99.5}, {end.Add(time.Hour), 98}}}}}, []string{">99.0%</text>", ">100.0%</text>"}},
		{"nonsense fixed range", Line{YMin: ptr(5), YMax: ptr(1), Series: []Series{{Points: pts}}}, []string{"<polyline "}},
		{"tiny size", Line{Width: 3, Height: 2, Series: []Series{{Points: pts}}}, []string{`width="200" height="120"`}},
		{"seconds", Line{Unit: "ms", Series: []Series{{Points: []Point{{end, 100}, {end.Add(time.Hour), 2300}}}}}, []string{">2.5 s</text>", ">500 ms</text>"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := tc.l.SVG()
			checkSVG(t, out)
			for _, w := range tc.want {
				if !strings.Contains(string(out), w) {
					t.Errorf("lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestBarContent(t *testing.T) {
	out := string(sampleBar().SVG())
	for _, want := range []string{
		">nas-photos</text>", ">100% (31 of 31)</text>",
		`fill="` + colWarn + `"`, `font-weight="bold">90.32% (28 of 31, 3 failed)</text>`,
		"a-very-long-job-name-that…</text>", // truncated label, full in the bar's title
		"<title>a-very-long-job-name-that-does-not-fit-the-label-column: 50%, warning</title>",
		">no data (no runs yet)</text>",
		">0%</text>", ">100%</text>",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("bar chart lacks %q", want)
		}
	}
	if n := strings.Count(out, "<rect x="); n != 4 {
		t.Errorf("%d bars drawn, want 4 (one has no value)", n)
	}
}

func TestSpark(t *testing.T) {
	out := string(Spark(gap(wave(48, time.Hour, 100, 13), 20, 24)))
	for _, want := range []string{`width="120" height="24" viewBox="0 0 120 24"`, `aria-label="trend 2025-05-30 01:00 to 2025-06-01 00:00 UTC: min`, "<circle "} {
		if !strings.Contains(out, want) {
			t.Errorf("spark lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "<polyline"); n != 2 {
		t.Errorf("spark has %d polylines, want 2 (split by the gap)", n)
	}
	flat := string(Spark([]Point{{end, 5}, {end, 5}}))
	if !strings.Contains(flat, "<polyline") && !strings.Contains(flat, "<circle") {
		t.Errorf("flat spark draws nothing:\n%s", flat)
	}
}

// TestExtremeValues: huge, tiny and mixed magnitudes draw a chart without
// NaN or Inf coordinates and without hanging.
func TestExtremeValues(t *testing.T) {
	at := func(i int) time.Time { return end.Add(time.Duration(i) * time.Hour) }
	for _, tc := range []struct {
		name string
		pts  []Point
	}{
		{"huge span", []Point{{at(0), -1e308}, {at(1), 1e308}}},
		{"huge", []Point{{at(0), 1e308}, {at(1), math.MaxFloat64}}},
		{"tiny", []Point{{at(0), 1e-300}, {at(1), 3e-300}}},
		{"far times", []Point{{time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), 1}, {time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), 2}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, out := range [][]byte{
				Line{Series: []Series{{Points: tc.pts}}}.SVG(),
				Bar{Bars: []BarItem{{Label: "a", V: tc.pts[0].V}, {Label: "b", V: tc.pts[1].V}}}.SVG(),
				Spark(tc.pts),
			} {
				checkSVG(t, out)
				if bytes.Contains(out, []byte("NaN")) || bytes.Contains(out, []byte("Inf")) {
					t.Errorf("non-finite number in:\n%s", out)
				}
			}
		})
	}
}
