package statuspage

import (
	"flag"
	"math"
	"time"
)

var (
	update     = flag.Bool("update", false, "rewrite testdata/index.html from the current output")
	screenshot = flag.Bool("screenshot", false, "write a screenshot of the sample page to ../docs/status-page.png (needs chromium)")
)

var genAt = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// series returns n hourly samples ending at end, with a daily wave and a
// spike every spikeEvery samples (0: none). Deterministic.
func series(end time.Time, n int, base float64, spikeEvery int) []Point {
	pts := make([]Point, n)
	for i := range pts {
		ms := base + base/3*math.Sin(float64(i)*2*math.Pi/24) + float64((i*7)%11)
		if spikeEvery > 0 && i%spikeEvery == spikeEvery-1 {
			ms *= 4
		}
		pts[i] = Point{At: end.Add(time.Duration(i-n+1) * time.Hour), Ms: ms}
	}
	return pts
}

// samplePage is a fixed, realistic page: the golden file, the Chromium test
// and the docs screenshot all use it.
func samplePage() Page {
	return Page{
		Title:       "lagrieta.ar status",
		GeneratedAt: genAt,
		Overall:     "degraded",
		Monitors: []Monitor{
			{
				Name: "Website", Kind: "https", Target: "https://lagrieta.ar/", Up: true,
				Since:     genAt.Add(-76 * time.Hour),
				Uptime24h: 1, Uptime7d: 0.9995, Uptime30d: 0.99871,
				Series: series(genAt, 48, 120, 17),
			},
			{
				Name: "Mail (IMAP)", Kind: "tcp", Target: "mail.lagrieta.ar:993", Up: false,
				Since:     genAt.Add(-42 * time.Minute),
				Uptime24h: 0.9708, Uptime7d: 0.9958, Uptime30d: 0.9990,
				Series: append(series(genAt.Add(-time.Hour), 47, 40, 0), Point{At: genAt, Ms: math.NaN()}),
				Recent: []string{"INC-0042 open since 2025-06-01 11:18 UTC: connection refused", "INC-0037 resolved 2025-05-28: certificate expired"},
			},
			{
				Name: "DNS", Kind: "dns", Target: "ns1.lagrieta.ar", Up: true,
				Since:     genAt.Add(-20 * 24 * time.Hour),
				Uptime24h: 1, Uptime7d: 1, Uptime30d: math.NaN(),
				Series: series(genAt, 48, 8, 0),
			},
			{
				Name: "Backup server", Kind: "ping", Target: "10.0.0.5", Up: true,
				Uptime24h: math.NaN(), Uptime7d: math.NaN(), Uptime30d: math.NaN(),
			},
		},
		Backups: []Backup{
			{Job: "nas-photos", Destination: "b2:lagrieta-photos", State: "ok", Age: 5*time.Hour + 12*time.Minute},
			{Job: "mail", Destination: "s3:lagrieta-mail", State: "stale", Age: 50 * time.Hour},
			{Job: "db", Destination: "local:/srv/backup", State: "failed", Age: 9 * 24 * time.Hour},
		},
		Subscriptions: []Subscription{
			{Name: "lagrieta.ar", Kind: "domain", Date: genAt.AddDate(0, 0, 9), DaysLeft: 9, Severity: "warning"},
			{Name: "*.lagrieta.ar", Kind: "certificate", Date: genAt.AddDate(0, 0, 61), DaysLeft: 61, Severity: "ok"},
			{Name: "NAS support", Kind: "licence", Date: genAt.AddDate(0, 0, -2), DaysLeft: -2, Severity: "critical"},
		},
		Confirmations: []Confirmation{
			{ID: 4, What: "confirm lagrieta.ddns.net at No-IP before 2026-12-10", Deadline: genAt.AddDate(0, 0, 3), DaysLeft: 3, Severity: "high"},
		},
		NAS: []Gauge{
			{Name: "Volume 1", Value: 7.2, Max: 8, Unit: "TB", Warn: 6.4, Crit: 7.6},
			{Name: "Volume 2", Value: 1.1, Max: 4, Unit: "TB", Warn: 3.2, Crit: 3.8},
			{Name: "CPU temperature", Value: 81, Max: 100, Unit: "°C", Warn: 70, Crit: 85},
		},
		Incidents: []Incident{
			{ID: "INC-0042", Severity: "critical", Summary: "Mail (IMAP) is down: connection refused", Since: genAt.Add(-42 * time.Minute)},
			{ID: "INC-0041", Severity: "warning", Summary: "Domain lagrieta.ar expires in 9 days", Since: genAt.Add(-26 * time.Hour)},
			{ID: "INC-0037", Severity: "critical", Summary: "Certificate of mail.lagrieta.ar expired", Since: genAt.Add(-4 * 24 * time.Hour), Resolved: true},
		},
	}
}
