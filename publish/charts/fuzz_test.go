package charts

import (
	"bytes"
	"math"
	"testing"
	"time"
)

// FuzzCharts draws arbitrary values, times, ranges and text: every output
// must be well-formed SVG without NaN or Inf coordinates, and nothing may
// panic or hang. go test runs the seeds; go test -fuzz FuzzCharts explores.
func FuzzCharts(f *testing.F) {
	f.Add(1.0, 2.0, int64(0), int64(3600), 0.0, 100.0, "t", "ms")
	f.Add(math.NaN(), math.Inf(1), int64(-1), int64(1), 5.0, 1.0, "<&'\"", "%")
	f.Add(-1e308, 1e308, int64(math.MinInt64), int64(math.MaxInt64), -1e300, 1e300, "\x00\xff", "GB")
	f.Fuzz(func(t *testing.T, a, b float64, ta, tb int64, ymin, ymax float64, title, unit string) {
		pts := []Point{{time.Unix(ta, 0), a}, {time.Unix(tb, 0), b}, {time.Unix(ta/2+tb/2, 0), math.NaN()}}
		for _, out := range [][]byte{
			Line{Title: title, Unit: unit, Series: []Series{{Name: title, Points: pts}}, YMin: &ymin, YMax: &ymax, Marks: []Mark{{title, a}}}.SVG(),
			Line{Title: title, Series: []Series{{Points: pts}}, From: time.Unix(ta, 0), To: time.Unix(tb, 0)}.SVG(),
			Bar{Title: title, Unit: unit, Bars: []BarItem{{Label: title, V: a, Note: title}, {V: b, Warn: true}}, Max: &ymax}.SVG(),
			Spark(pts),
		} {
			checkSVG(t, out)
			if bytes.Contains(out, []byte(`"NaN`)) || bytes.Contains(out, []byte(`Inf"`)) || bytes.Contains(out, []byte(`,NaN`)) {
				t.Fatalf("non-finite coordinate in:\n%s", out)
			}
		}
	})
}
