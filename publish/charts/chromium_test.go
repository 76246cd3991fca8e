package charts

import (
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lagrieta/itlag/publish/chromiumtest"
)

// needChromium and chromium are the shared helpers' (package chromiumtest).
func needChromium(t *testing.T) { t.Helper(); chromiumtest.Need(t) }

func chromium(t *testing.T, url string, args ...string) (stdout, stderr string) {
	t.Helper()
	return chromiumtest.Run(t, url, args...)
}

// probe is the test page's own script (the charts have none): it records
// errors and, once the page has loaded, whether each <img> decoded and its
// size, in a hidden <pre id="probe"> that --dump-dom shows.
const probe = `<script>
var errs = [];
window.addEventListener("error", function (e) {
  errs.push(e.message || "failed to load " + (e.target && (e.target.src || e.target.tagName)));
}, true);
var ce = console.error;
console.error = function () { errs.push("console.error " + Array.prototype.join.call(arguments, " ")); ce.apply(console, arguments); };
window.addEventListener("load", function () {
  var r = [];
  for (var i = 0; i < document.images.length; i++) {
    var im = document.images[i];
    r.push(im.getAttribute("src") + "=" + (im.complete && im.naturalWidth > 0 ? "ok" : "failed") + ":" + im.naturalWidth + "x" + im.naturalHeight);
  }
  var svgs = document.querySelectorAll("svg").length;
  var p = document.getElementById("probe");
  p.textContent = "IMAGES " + r.join(" ") + "\nSVGS " + svgs + "\nERRORS " + errs.length + " " + errs.join(" | ");
});
</script>`

// chartFiles are the charts the page shows, written beside it.
func chartFiles() []struct {
	name string
	svg  []byte
} {
	return []struct {
		name string
		svg  []byte
	}{
		{"response.svg", sampleLine().SVG()},
		{"backups.svg", sampleBar().SVG()},
		{"growth.svg", sampleGrowth().SVG()},
		{"volume.svg", sampleMonth().SVG()},
		{"empty.svg", Line{Title: "Response time of the new site", Unit: "ms", Height: 120}.SVG()},
	}
}

// writePage writes dir/report.html and the chart files: a report-like page
// with the week's line chart inline, the others as <img>, and a table of
// sparks inline.
func writePage(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Report charts</title>
<style>body{font-family:system-ui,sans-serif;margin:16px;color:#1a1a1a;background:#f6f7f9;max-width:660px}
svg,img{display:block;max-width:100%;height:auto;margin:8px 0;border:1px solid #d0d4da}
td svg{display:inline;border:0;margin:0;vertical-align:middle}td,th{padding:2px 10px 2px 0;text-align:left}
#probe{display:none}</style>` + probe + "</head><body>\n<h1>Weekly report (sample charts)</h1>\n")
	for i, f := range chartFiles() {
		if err := os.WriteFile(filepath.Join(dir, f.name), f.svg, 0o644); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			b.Write(f.svg) // inline, as in the mail
		} else {
			fmt.Fprintf(&b, "<img src=%q alt=\"\">\n", f.name) // beside the Markdown
		}
	}
	b.WriteString("<table><tr><th>Site</th><th>Last 48 h</th><th>p95</th></tr>\n")
	for _, row := range []struct {
		name string
		pts  []Point
		p95  string
	}{
		{"lagrieta.ar", wave(48, time.Hour, 180, 13), "412 ms"},
		{"mail.lagrieta.ar", gap(wave(48, time.Hour, 60, 0), 20, 26), "88 ms"},
		{"new site", nil, "no data"},
	} {
		fmt.Fprintf(&b, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>\n", row.name, Spark(row.pts), row.p95)
	}
	b.WriteString("</table>\n<pre id=\"probe\"></pre>\n</body></html>\n")
	page := filepath.Join(dir, "report.html")
	if err := os.WriteFile(page, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return page
}

var probeResult = regexp.MustCompile(`(?s)<pre id="probe">(IMAGES .*?)</pre>`)

func TestChromiumRendersCharts(t *testing.T) {
	needChromium(t)
	page := writePage(t, t.TempDir())
	url := "file://" + page
	dom, stderr := chromium(t, url, "--dump-dom", "--virtual-time-budget=10000", "--enable-logging=stderr", "--v=0")
	for _, bad := range []string{"Uncaught", "Refused to load", "Failed to load resource", "ERR_FILE_NOT_FOUND"} {
		if strings.Contains(stderr, bad) {
			t.Errorf("chromium stderr contains %q:\n%s", bad, stderr)
		}
	}
	m := probeResult.FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("the page's probe did not run; DOM:\n%s", dom)
	}
	t.Logf("probe: %s", m[1])
	for _, f := range chartFiles()[1:] {
		w, h := svgSize(t, f.svg)
		if want := fmt.Sprintf("%s=ok:%dx%d", f.name, w, h); !strings.Contains(m[1], want) {
			t.Errorf("image %s: got %q, want %q", f.name, m[1], want)
		}
	}
	if !strings.Contains(m[1], "\nSVGS 4\n") { // the inline line chart and three sparks
		t.Errorf("inline SVGs missing; probe: %s", m[1])
	}
	if !strings.HasSuffix(m[1], "\nERRORS 0 ") {
		t.Errorf("page reported errors; probe: %s", m[1])
	}
}

var sizeAttrs = regexp.MustCompile(`^<svg [^>]*width="(\d+)" height="(\d+)"`)

func svgSize(t *testing.T, svg []byte) (w, h int) {
	t.Helper()
	m := sizeAttrs.FindSubmatch(svg)
	if m == nil {
		t.Fatalf("no size in %.200s", svg)
	}
	fmt.Sscan(string(m[1]), &w)
	fmt.Sscan(string(m[2]), &h)
	return w, h
}

// TestDocsScreenshot writes ../../docs/report-charts.png from the sample
// page; it runs only with -screenshot.
func TestDocsScreenshot(t *testing.T) {
	if !*screenshot {
		t.Skip("run with -screenshot to write ../../docs/report-charts.png")
	}
	needChromium(t)
	page := writePage(t, t.TempDir())
	out, err := filepath.Abs(filepath.Join("..", "..", "docs", "report-charts.png"))
	if err != nil {
		t.Fatal(err)
	}
	const w, h = 700, 1200
	chromium(t, "file://"+page, "--screenshot="+out, fmt.Sprintf("--window-size=%d,%d", w, h), "--hide-scrollbars", "--virtual-time-budget=10000")
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil || cfg.Width != w || cfg.Height != h {
		t.Fatalf("screenshot %s: %v, %dx%d, want %dx%d", out, err, cfg.Width, cfg.Height, w, h)
	}
	t.Logf("wrote %s", out)
}
