package diagram

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/publish/chromiumtest"
)

// probe is the test page's own script (the diagram has none): once the
// page has loaded it records whether the <img> decoded, its size and any
// error, in a hidden <pre id="probe"> that --dump-dom shows.
const probe = `<script>
var errs = [];
window.addEventListener("error", function (e) {
  errs.push(e.message || "failed to load " + (e.target && (e.target.src || e.target.tagName)));
}, true);
window.addEventListener("load", function () {
  var im = document.images[0];
  document.getElementById("probe").textContent = "IMAGE " + (im.complete && im.naturalWidth > 0 ? "ok" : "failed") +
    ":" + im.naturalWidth + "x" + im.naturalHeight + "\nERRORS " + errs.length + " " + errs.join(" | ");
});
</script>`

var probeResult = regexp.MustCompile(`(?s)<pre id="probe">(IMAGE .*?)</pre>`)

// badLog are what Chromium logs when a page or image is refused, broken or
// scripted wrongly.
var badLog = []string{"Uncaught", "Refused to load", "Failed to load resource", "ERR_FILE_NOT_FOUND", ":CONSOLE("}

// TestChromiumRendersDiagram writes the diagram as architecture.svg beside
// a page that shows it with <img src="architecture.svg">, as the handbook
// does, and opens both the page and the SVG itself in headless Chromium:
// no error logged, the image decodes at its declared size, and both
// screenshots show a drawing (not a blank page).
func TestChromiumRendersDiagram(t *testing.T) {
	chromiumtest.Need(t)
	// One state, the organisation's own and the biggest, in Spanish (its
	// accents): each Chromium run costs seconds on a busy CI machine.
	for _, tc := range []struct{ dir, lang string }{{"infra-state", "es"}} {
		t.Run(tc.dir+"/"+tc.lang, func(t *testing.T) {
			svg := draw(t, load(t, tc.dir), tc.lang)
			root := parse(t, svg)
			var w, h int
			fmt.Sscan(root.attr("width"), &w)
			fmt.Sscan(root.attr("height"), &h)
			dir := t.TempDir()
			svgPath, page := filepath.Join(dir, "architecture.svg"), filepath.Join(dir, "index.html")
			html := `<!doctype html><html lang="` + tc.lang + `"><head><meta charset="utf-8"><title>Architecture</title>` +
				`<style>body{margin:0;background:#fff}img{display:block}#probe{display:none}</style>` + probe +
				`</head><body><img src="architecture.svg" alt="architecture"><pre id="probe"></pre></body></html>`
			if err := os.WriteFile(svgPath, svg, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(page, []byte(html), 0o644); err != nil {
				t.Fatal(err)
			}

			// One run per file: its DOM, its log and a screenshot at the
			// diagram's size.
			run := func(path string) (dom string) {
				t.Helper()
				shot := path + ".png"
				dom, stderr := chromiumtest.Run(t, "file://"+path, "--dump-dom", "--screenshot="+shot,
					fmt.Sprintf("--window-size=%d,%d", w, h), "--hide-scrollbars", "--virtual-time-budget=5000",
					"--enable-logging=stderr", "--v=0")
				checkLog(t, filepath.Base(path), stderr)
				checkDrawn(t, shot, w, h)
				return dom
			}
			m := probeResult.FindStringSubmatch(run(page))
			if m == nil {
				t.Fatalf("the page's probe did not run")
			}
			if want := fmt.Sprintf("IMAGE ok:%dx%d\nERRORS 0 ", w, h); m[1] != want {
				t.Errorf("probe %q, want %q", m[1], want)
			}
			if dom := run(svgPath); !strings.Contains(dom, "<svg") || strings.Contains(dom, "parsererror") {
				t.Errorf("Chromium did not parse the SVG; DOM:\n%.2000s", dom)
			}
		})
	}
}

// checkLog fails the test when Chromium's log names a refused, broken or
// scripted resource.
func checkLog(t *testing.T, what, stderr string) {
	t.Helper()
	for _, bad := range badLog {
		if strings.Contains(stderr, bad) {
			t.Errorf("%s: chromium stderr contains %q:\n%s", what, bad, stderr)
		}
	}
}

// checkDrawn asserts that path is a w×h PNG with a drawing on it: at least
// 2 % of its pixels are not white.
func checkDrawn(t *testing.T, path string, w, h int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot %s is not a PNG: %v", path, err)
	}
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		t.Errorf("screenshot is %dx%d, want %dx%d", b.Dx(), b.Dy(), w, h)
	}
	if n, total := inked(img); n*50 < total {
		t.Errorf("screenshot %s has %d of %d pixels not white: blank", filepath.Base(path), n, total)
	}
}

// inked counts the pixels that are not (nearly) white.
func inked(img image.Image) (n, total int) {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r < 0xf000 || g < 0xf000 || bl < 0xf000 {
				n++
			}
		}
	}
	return n, b.Dx() * b.Dy()
}
