package statuspage

import (
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/publish/chromiumtest"
)

// needChromium and chromium are the shared helpers' (package chromiumtest).
func needChromium(t *testing.T) { t.Helper(); chromiumtest.Need(t) }

func chromium(t *testing.T, url string, args ...string) (stdout, stderr string) {
	t.Helper()
	return chromiumtest.Run(t, url, args...)
}

func TestChromiumRendersPhonePage(t *testing.T) {
	needChromium(t)
	p := samplePage()
	dir := t.TempDir()
	if err := Write(dir, p); err != nil {
		t.Fatal(err)
	}
	html, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if m := externalRef.FindString(string(html)); m != "" {
		t.Fatalf("page holds an external reference: %q", m)
	}
	url := "file://" + filepath.Join(dir, "index.html")

	shot := filepath.Join(dir, "out.png")
	_, stderr := chromium(t, url, "--screenshot="+shot, "--window-size=412,915", "--enable-logging=stderr", "--v=0")
	for _, bad := range []string{"Uncaught", "Refused to load"} {
		if strings.Contains(stderr, bad) {
			t.Errorf("chromium stderr contains %q:\n%s", bad, stderr)
		}
	}
	checkPNG(t, shot, 412, 915)

	dom, _ := chromium(t, url, "--dump-dom", "--window-size=412,915")
	for _, m := range p.Monitors {
		state := "Down"
		if m.Up {
			state = "Up"
		}
		if !strings.Contains(dom, ">"+m.Name+"</h3>") {
			t.Errorf("rendered DOM lacks monitor %q", m.Name)
		}
		// The card of m, up to the next card, must state its state in text.
		i := strings.Index(dom, ">"+m.Name+"</h3>")
		if i < 0 {
			continue
		}
		card := dom[i:]
		if j := strings.Index(card, "<article"); j >= 0 {
			card = card[:j]
		}
		if !strings.Contains(card, "</span> "+state+"</span>") {
			t.Errorf("rendered card of %q does not say %q", m.Name, state)
		}
	}
}

// checkPNG asserts that path is a PNG of the given size and not trivially
// small (a blank page compresses to a few hundred bytes).
func checkPNG(t *testing.T, path string, w, h int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	if st.Size() < 10_000 || st.Size() > 10_000_000 {
		t.Errorf("screenshot is %d bytes, want 10 kB..10 MB", st.Size())
	}
	cfg, err := png.DecodeConfig(f)
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	if cfg.Width != w || cfg.Height != h {
		t.Errorf("screenshot is %dx%d, want %dx%d", cfg.Width, cfg.Height, w, h)
	}
}

// TestDocsScreenshot writes ../docs/status-page.png from the sample page;
// it runs only with -screenshot.
func TestDocsScreenshot(t *testing.T) {
	if !*screenshot {
		t.Skip("run with -screenshot to write ../docs/status-page.png")
	}
	needChromium(t)
	dir := t.TempDir()
	if err := Write(dir, samplePage()); err != nil {
		t.Fatal(err)
	}
	out, err := filepath.Abs(filepath.Join("..", "..", "docs", "status-page.png"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		t.Fatal(err)
	}
	const w, h = 412, 3400
	chromium(t, "file://"+filepath.Join(dir, "index.html"), "--screenshot="+out, fmt.Sprintf("--window-size=%d,%d", w, h), "--hide-scrollbars")
	checkPNG(t, out, w, h)
	t.Logf("wrote %s", out)
}
