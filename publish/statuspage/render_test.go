package statuspage

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func render(t *testing.T, p Page) string {
	t.Helper()
	var b bytes.Buffer
	if err := Render(&b, p); err != nil {
		t.Fatalf("Render: %v", err)
	}
	return b.String()
}

func TestGolden(t *testing.T) {
	got := render(t, samplePage())
	golden := filepath.Join("testdata", "index.html")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run go test -update and review the diff)", golden)
	}
}

func TestSamplePageContent(t *testing.T) {
	out := render(t, samplePage())
	for _, want := range []string{
		"Degraded: some services are impaired",
		">Website</h3>", "✓</span> Up</span>", "✕</span> Down</span>",
		"Down since 2025-06-01 11:18 UTC (42m)",
		"Up since 2025-05-29 08:00 UTC (3d 4h)",
		"<dd class=\"ok\">100%</dd>", "<dd class=\"ok\">99.95%</dd>", "<dd class=\"warn\">99.87%</dd>", "<dd class=\"unknown\">no data</dd>",
		`<polyline class="line" points="44,`,
		`aria-label="Response time of Website from 2025-05-30 13:00 UTC to 2025-06-01 12:00 UTC`,
		"No response time data.", // Backup server has no series
		"INC-0037 resolved 2025-05-28: certificate expired",
		"2d 2h ago", "9d 0h ago", "in 9 days", "expired 2 days ago",
		"7.2 / 8 TB (90%)", `aria-label="CPU temperature: 81 / 100 °C (81%), Warning"`,
		"3 of 4 up", "✓</span> Resolved</span>", "●</span> Open</span>",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
}

var externalRef = regexp.MustCompile(`(?i)(src|href|xlink:href|action)\s*=\s*["']?\s*(https?:)?//|url\(|@import|<script|<link|<img|<iframe`)

func TestNoExternalReferences(t *testing.T) {
	out := render(t, samplePage())
	if m := externalRef.FindString(out); m != "" {
		t.Errorf("output holds an external reference or script: %q", m)
	}
	// The sample's target https://lagrieta.ar/ appears, but only as text.
	if !strings.Contains(out, "https://lagrieta.ar/") {
		t.Error("monitor target missing from output")
	}
}

func TestEscapesHostileNames(t *testing.T) {
	const evil = `"><script>alert(1)</script>`
	p := Page{
		Title:       evil,
		GeneratedAt: genAt,
		Overall:     evil,
		Monitors: []Monitor{{
			Name: evil, Kind: evil, Target: evil, Up: true,
			Series: series(genAt, 5, 10, 0),
			Recent: []string{evil},
		}},
		Backups:       []Backup{{Job: evil, Destination: evil, State: evil}},
		Subscriptions: []Subscription{{Name: evil, Kind: evil, Severity: evil}},
		NAS:           []Gauge{{Name: evil, Unit: evil, Value: 1, Max: 2}},
		Incidents:     []Incident{{ID: evil, Severity: evil, Summary: evil}},
	}
	out := render(t, p)
	if strings.Contains(strings.ToLower(out), "<script") {
		t.Errorf("hostile name reached the output unescaped:\n%s", out)
	}
	if !strings.Contains(out, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("escaped hostile name missing from output")
	}
	if strings.Contains(out, `"><`) && strings.Contains(out, `aria-label=""`) {
		t.Error("attribute broken out of")
	}
}

func TestEmptyPage(t *testing.T) {
	out := render(t, Page{GeneratedAt: genAt, Overall: "ok"})
	for _, want := range []string{"No monitors are configured.", "<title>Status</title>", "All systems operational"} {
		if !strings.Contains(out, want) {
			t.Errorf("empty page lacks %q", want)
		}
	}
	for _, absent := range []string{"<svg", "<table", "Incidents</h2>", "Backups</h2>"} {
		if strings.Contains(out, absent) {
			t.Errorf("empty page holds %q", absent)
		}
	}
}

func TestWrite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	for i, title := range []string{"first", "second"} {
		p := samplePage()
		p.Title = title
		if err := Write(dir, p); err != nil {
			t.Fatalf("Write #%d: %v", i, err)
		}
		b, err := os.ReadFile(filepath.Join(dir, "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), "<title>"+title+"</title>") {
			t.Errorf("Write #%d: index.html does not hold the new page", i)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("dir holds %d entries, want only index.html (temporary file left behind?)", len(entries))
	}
}

func TestWriteErrorLeavesNoFile(t *testing.T) {
	parent := t.TempDir()
	file := filepath.Join(parent, "notadir")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	err := Write(file, samplePage())
	if err == nil || !strings.Contains(err.Error(), "statuspage: write") {
		t.Errorf("Write into a file path: err = %v, want a wrapped statuspage error", err)
	}
}

func TestFormatting(t *testing.T) {
	tests := []struct {
		name, got, want string
	}{
		{"uptime full", fmtUptime(1), "100%"},
		{"uptime never rounds up to 100", fmtUptime(0.999999), "99.99%"},
		{"uptime NaN", fmtUptime(math.NaN()), "no data"},
		{"uptime clamps", fmtUptime(1.5), "100%"},
		{"duration seconds", fmtDuration(45 * time.Second), "45s"},
		{"duration minutes", fmtDuration(12 * time.Minute), "12m"},
		{"duration hours", fmtDuration(5*time.Hour + 3*time.Minute), "5h 3m"},
		{"duration days", fmtDuration(76 * time.Hour), "3d 4h"},
		{"duration negative", fmtDuration(-time.Hour), "0s"},
		{"days left plural", daysLeft(3), "in 3 days"},
		{"days left one", daysLeft(1), "in 1 day"},
		{"days left today", daysLeft(0), "today"},
		{"days left past", daysLeft(-5), "expired 5 days ago"},
		{"ms", fmtMs(123.4), "123 ms"},
		{"seconds", fmtMs(2500), "2.5 s"},
		{"num", fmtNum(7.25), "7.2"},
		{"num integer", fmtNum(8), "8"},
		{"overall unknown", overallBadge("weird").Text, "Unknown"},
		{"severity kept as text", severityBadge("stale").Text, "stale"},
		{"severity class", severityBadge("FAILED").Class, "crit"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestGauge(t *testing.T) {
	tests := []struct {
		name            string
		g               Gauge
		state, pct, txt string
	}{
		{"ok", Gauge{Name: "v", Value: 1, Max: 4, Unit: "TB", Warn: 3, Crit: 3.5}, "OK", "25", "1 / 4 TB (25%)"},
		{"warn", Gauge{Name: "v", Value: 3, Max: 4, Warn: 3, Crit: 3.5}, "Warning", "75", "3 / 4 (75%)"},
		{"crit", Gauge{Name: "v", Value: 3.9, Max: 4, Warn: 3, Crit: 3.5}, "Critical", "97.5", "3.9 / 4 (98%)"},
		{"over max clamps bar", Gauge{Name: "v", Value: 5, Max: 4}, "OK", "100", "5 / 4 (125%)"},
		{"no max", Gauge{Name: "v", Value: 42, Unit: "°C"}, "OK", "0", "42 °C"},
	}
	for _, tt := range tests {
		gv := newGaugeView(tt.g)
		if gv.State.Text != tt.state || gv.Pct != tt.pct || gv.Text != tt.txt {
			t.Errorf("%s: got state %q pct %q text %q, want %q %q %q", tt.name, gv.State.Text, gv.Pct, gv.Text, tt.state, tt.pct, tt.txt)
		}
	}
}

func TestChartScaling(t *testing.T) {
	t0 := genAt
	c := newChart("m", []Point{
		{At: t0, Ms: 0},
		{At: t0.Add(time.Hour), Ms: math.NaN()},
		{At: t0.Add(2 * time.Hour), Ms: 100},
		{At: t0.Add(4 * time.Hour), Ms: 50},
	})
	// Top is 100 ms: x 44..312 over 4 h, y 108 (0 ms) .. 8 (100 ms).
	if want := "44,108 178,8 312,58"; c.Points != want {
		t.Errorf("points = %q, want %q", c.Points, want)
	}
	if c.Grid[0].Label != "100 ms" || c.Grid[2].Label != "0 ms" {
		t.Errorf("y labels = %q, %q", c.Grid[0].Label, c.Grid[2].Label)
	}
	if !strings.Contains(c.Label, "min 0 ms, average 50 ms, max 100 ms, last 50 ms") {
		t.Errorf("aria label = %q", c.Label)
	}
	if c := newChart("m", []Point{{At: t0, Ms: math.NaN()}}); !c.Empty {
		t.Error("chart of only NaN samples is not empty")
	}
	if c := newChart("m", []Point{{At: t0, Ms: 10}}); strings.Count(c.Points, ",") != 2 {
		t.Errorf("one sample draws %q, want a flat two-point line", c.Points)
	}
	long := series(t0, 720, 100, 50)
	c = newChart("m", long)
	if n := strings.Count(c.Points, ","); n != maxChartPoints {
		t.Errorf("720 samples drew %d points, want %d", n, maxChartPoints)
	}
	// Bucketing keeps the spikes: the top is the series' maximum rounded up.
	hi := 0.0
	for _, p := range long {
		hi = math.Max(hi, p.Ms)
	}
	if want := fmtMs(niceCeil(hi)); c.Grid[0].Label != want {
		t.Errorf("bucketed top label = %q, want %q", c.Grid[0].Label, want)
	}
}
