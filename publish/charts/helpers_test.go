package charts

import (
	"flag"
	"math"
	"time"
)

var (
	update     = flag.Bool("update", false, "rewrite testdata/*.svg from the current output")
	screenshot = flag.Bool("screenshot", false, "write ../../docs/report-charts.png from the sample charts (needs chromium)")
)

// end is the fixed end of the sample data (a Sunday night).
var end = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

func ptr(f float64) *float64 { return &f }

// wave returns n samples every step ending at end: base with a daily wave
// and a spike every spikeEvery samples (0: none). Deterministic.
func wave(n int, step time.Duration, base float64, spikeEvery int) []Point {
	pts := make([]Point, n)
	for i := range pts {
		t := end.Add(time.Duration(i-n+1) * step)
		v := base + base/3*math.Sin(float64(t.Hour())*2*math.Pi/24) + float64((i*7)%11)
		if spikeEvery > 0 && i%spikeEvery == spikeEvery-1 {
			v *= 2.5
		}
		pts[i] = Point{T: t, V: v}
	}
	return pts
}

// gap sets V to NaN for samples [from, to).
func gap(pts []Point, from, to int) []Point {
	for i := from; i < to && i < len(pts); i++ {
		pts[i].V = math.NaN()
	}
	return pts
}

// sampleLine is a week of hourly response times of two sites, one with an
// outage (a gap), and an SLO mark: the golden file, the Chromium test and
// the docs screenshot use it.
func sampleLine() Line {
	return Line{
		Title: "Response time, week 22 (May 25 – Jun 1, 2025)",
		Unit:  "ms",
		Series: []Series{
			{Name: "lagrieta.ar", Points: wave(7*24, time.Hour, 180, 29)},
			{Name: "mail.lagrieta.ar (IMAP)", Points: gap(wave(7*24, time.Hour, 60, 0), 70, 79)},
		},
		Marks: []Mark{{Label: "SLO", V: 400}},
	}
}

// sampleBar is the backup success rate per job over a month.
func sampleBar() Bar {
	return Bar{
		Title: "Backup success rate, May 2025",
		Unit:  "%",
		Max:   ptr(100),
		Bars: []BarItem{
			{Label: "nas-photos", V: 100, Note: "31 of 31"},
			{Label: "mail", V: 90.32, Note: "28 of 31, 3 failed", Warn: true},
			{Label: "db", V: 96.77, Note: "30 of 31"},
			{Label: "a-very-long-job-name-that-does-not-fit-the-label-column", V: 50, Warn: true},
			{Label: "new-job", V: math.NaN(), Note: "no runs yet"},
		},
	}
}

// sampleGrowth is a bar chart with negative values (growth per share).
func sampleGrowth() Bar {
	return Bar{
		Title: "Growth per share, May 2025",
		Unit:  "GB",
		Bars: []BarItem{
			{Label: "photos", V: 182.4},
			{Label: "documents", V: 3.25},
			{Label: "scratch", V: -41, Note: "cleaned up"},
			{Label: "video", V: 510, Warn: true, Note: "fills in 40 days"},
		},
	}
}

// sampleMonth is a month of hourly disk usage (a capacity mark).
func sampleMonth() Line {
	pts := make([]Point, 30*24)
	for i := range pts {
		pts[i] = Point{T: end.Add(time.Duration(i-len(pts)+1) * time.Hour), V: 5200 + float64(i)*1.7 + float64((i*13)%29)}
	}
	return Line{Title: "Volume 1 used, May 2025", Unit: "GB", Series: []Series{{Name: "Volume 1", Points: pts}},
		Marks: []Mark{{Label: "capacity", V: 8000}}}
}
