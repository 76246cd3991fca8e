package periodic

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/publish/periodic/stats"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// seeded is a week of LaGrieta's history with a fixed clock: a website that
// missed its target, a flapping DNS monitor, backups with one failure and
// an overdue drill, a volume filling, renewals, costs, updates, and the
// previous week's recommendations.
func seeded() Input {
	now := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	p, _ := ParsePeriod(Weekly, "2026-W49", now)
	at := func(d, h int) time.Time {
		return p.Start.Add(time.Duration(d)*24*time.Hour + time.Duration(h)*time.Hour)
	}
	var hourly []stats.Point
	for h := 0; h < 7*24; h++ {
		hourly = append(hourly, stats.Point{T: p.Start.Add(time.Duration(h) * time.Hour), V: 120 + float64(h%24) + float64(h)/10})
	}
	var vol []stats.Point
	for d := -21; d < 7; d++ {
		vol = append(vol, stats.Point{T: p.Start.AddDate(0, 0, d), V: 80 + 0.25*float64(d+21)})
	}
	up := func(v float64) *float64 { return &v }
	prev := &Report{Improvement: Improvement{Recommendations: []Recommendation{
		{ID: "slo-missed:website", Rule: "slo-missed", Text: "website missed"},
		{ID: "security-updates:attic", Rule: "security-updates", Text: "updates on attic"},
	}}}
	return Input{
		Period: p, Now: now,
		Monitors: []MonitorInput{
			{Name: "website", Kind: "http", SLO: 99.9, Uptime: up(0.9952), Hourly: hourly,
				Outages: []stats.Interval{{Start: at(2, 3), End: at(2, 3).Add(48 * time.Minute)}}},
			{Name: "dns-mx", Kind: "dns", Uptime: up(0.98), Outages: []stats.Interval{
				{Start: at(1, 1), End: at(1, 1).Add(5 * time.Minute)}, {Start: at(3, 1), End: at(3, 1).Add(5 * time.Minute)},
				{Start: at(5, 1), End: at(5, 1).Add(5 * time.Minute)}}},
		},
		Incidents: []IncidentInput{
			{ID: "2026-12-02-monitor-website-aa", Fingerprint: "aa", Source: "monitor:website", Summary: "website is down", Severity: finding.Critical,
				FirstSeen: at(2, 3), ResolvedAt: at(2, 4), PreventionEmpty: true},
			{ID: "2026-11-10-backup-docs-bb", Fingerprint: "bb", Source: "backup:documents/usb", Summary: "no snapshot", Severity: finding.High,
				FirstSeen: p.Start.AddDate(0, 0, -20), ResolvedAt: p.Start.AddDate(0, 0, -19)},
			{ID: "2026-11-20-backup-docs-bb", Fingerprint: "bb", Source: "backup:documents/usb", Summary: "no snapshot", Severity: finding.High,
				FirstSeen: p.Start.AddDate(0, 0, -10), ResolvedAt: p.Start.AddDate(0, 0, -9)},
			{ID: "2026-12-04-backup-docs-bb", Fingerprint: "bb", Source: "backup:documents/usb", Summary: "no snapshot", Severity: finding.High,
				FirstSeen: at(4, 6)},
		},
		Alerts: []AlertInput{
			{At: at(2, 3).Add(2 * time.Minute), Fingerprint: "aa", Route: "it", Kind: "start", OK: true},
			{At: at(2, 3).Add(2 * time.Minute), Fingerprint: "aa", Route: "ceo", Kind: "start", OK: true},
			{At: at(4, 7), Fingerprint: "bb", Route: "it", Kind: "start", OK: true},
		},
		Jobs: []JobInput{
			{Name: "documents", Sources: []string{"/volume1/documents"}, ThreeTwoOne: "ok", RepositoryBytes: 3 << 30, LastCheck: at(6, 4), LastDrill: p.Start.AddDate(0, 0, -50), Runs: []RunInput{
				{Started: p.Start.AddDate(0, 0, -21), OK: true, Duration: 4 * time.Minute, DataAdded: 1 << 20, BytesProcessed: 2<<30 - 3*(100<<20)},
				{Started: p.Start.AddDate(0, 0, -14), OK: true, Duration: 4 * time.Minute, DataAdded: 1 << 20, BytesProcessed: 2<<30 - 2*(100<<20)},
				{Started: p.Start.AddDate(0, 0, -7), OK: true, Duration: 4 * time.Minute, DataAdded: 1 << 20, BytesProcessed: 2<<30 - 100<<20},
				{Started: at(0, 3), OK: true, Duration: 4 * time.Minute, DataAdded: 20 << 20, BytesProcessed: 2 << 30},
				{Started: at(1, 3), OK: true, Duration: 5 * time.Minute, DataAdded: 30 << 20, BytesProcessed: 2 << 30},
				{Started: at(2, 3), OK: false, Duration: time.Minute},
				{Started: at(3, 3), OK: true, Duration: 6 * time.Minute, DataAdded: 10 << 20, BytesProcessed: 2 << 30}}},
			{Name: "media", Sources: []string{"/volume1/media"}, Media: true, ThreeTwoOne: "no offsite copy", RepositoryBytes: -1},
		},
		Expiries: []ExpiryInput{
			{Name: "lagrieta.es", Kind: "domain", Provider: "godaddy", Source: "observed", Date: now.AddDate(0, 0, 5), AutoRenew: true},
			{Name: "lagrieta.ddns.net", Kind: "dns-hostname", Provider: "noip", Source: "mail", Date: now.AddDate(0, 0, 7)},
			{Name: "hosting", Kind: "plan", Provider: "unknown", Source: "unknown"},
			{Name: "later", Kind: "plan", Provider: "x", Source: "declared", Date: now.AddDate(1, 0, 0)},
		},
		Costs: []Spend{
			{Name: "mail", Provider: "zoho", Amount: 3, Currency: "EUR", Period: "month", Yearly: 36},
			{Name: "cloudflare-plan", Provider: "cloudflare", Amount: 0, Currency: "EUR", Period: "year", Yearly: 0},
		},
		Volumes:          []SeriesInput{{NAS: "office", Path: "/volume1", Points: vol, UsedBytes: up(3.47e12), SizeBytes: up(4e12)}},
		Updates:          []UpdatesInput{{NAS: "office", Pending: []stats.Point{{T: at(0, 0), V: 3}, {T: at(6, 0), V: 7}}, Security: []stats.Point{{T: at(6, 0), V: 2}}}},
		FailedLogins:     []SeriesInput{{NAS: "office", Points: []stats.Point{{T: at(0, 1), V: 3}, {T: at(3, 1), V: 27}, {T: at(6, 1), V: 12}}}},
		Certificates:     []Certificate{{Monitor: "website-tls", DaysLeft: 41}},
		HostKeyEvents:    []Event{{At: at(1, 10), Target: "nas:office", Note: "ssh-ed25519 SHA256:…"}},
		SecurityFindings: []finding.Finding{finding.New(finding.High, "security:nas/office", "updates", "2 security updates pending")},
		Previous:         prev,
	}
}

func TestGolden(t *testing.T) {
	r := Build(seeded())
	js, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	md := Markdown(r, map[string]string{"uptime": "2026-W49/uptime.svg", "storage": "2026-W49/storage.svg"})
	for name, got := range map[string][]byte{"weekly.json": append(js, '\n'), "weekly.md": md} {
		path := filepath.Join("testdata", name)
		if *update {
			if err := os.MkdirAll("testdata", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (go test ./publish/periodic -update writes it)", err)
		}
		if string(got) != string(want) {
			t.Errorf("%s differs (go test ./publish/periodic -update to accept):\n%s", name, got)
		}
	}
}

// TestBuildFigures checks the figures the golden files hold, one by one.
func TestBuildFigures(t *testing.T) {
	r := Build(seeded())
	h := r.Headline
	if h.BackupSuccessRate == nil || *h.BackupSuccessRate != 0.75 {
		t.Errorf("backup success rate %v, want 3 of 4", h.BackupSuccessRate)
	}
	if h.MTTRSeconds == nil || *h.MTTRSeconds != 3600 {
		t.Errorf("MTTR %v, want the one resolved in the week: 1h", h.MTTRSeconds)
	}
	if a := r.Availability.Incidents.MTTASeconds; a == nil || *a != 1860 {
		t.Errorf("MTTA %v, want (2m + 1h)/2", a)
	}
	if h.DaysToNextRenewal == nil || *h.DaysToNextRenewal != 5 || h.NextRenewal != "lagrieta.es" {
		t.Errorf("next renewal %v %q", h.DaysToNextRenewal, h.NextRenewal)
	}
	if h.IncidentsOpened != 2 || h.IncidentsOpen != 1 {
		t.Errorf("incidents opened %d, open %d; want 2, 1", h.IncidentsOpened, h.IncidentsOpen)
	}
	web := r.Availability.Monitors[0]
	if web.MetSLO == nil || *web.MetSLO || web.LongestOutageSeconds != 48*60 || web.Outages != 1 {
		t.Errorf("website: %+v", web)
	}
	if v := r.Storage.Volumes[0]; v.Fill.DaysLeft == nil || *v.Fill.DaysLeft != 52 {
		t.Errorf("volume fill %+v, want 52 days (86.75%% on 2026-12-06, growing 0.25 points a day)", v.Fill)
	}
	rules := map[string]bool{}
	for _, x := range r.Improvement.Recommendations {
		rules[x.ID] = true
	}
	for _, want := range []string{"slo-missed:website", "flapping:dns-mx", "recurring:bb", "no-prevention:2026-12-02-monitor-website-aa",
		"backup-failing:documents", "backup-failing:media", "drill-overdue:documents", "volume-filling:office:/volume1",
		"renewal-manual:lagrieta.ddns.net", "security-updates:office"} {
		if !rules[want] {
			t.Errorf("no recommendation %s in %v", want, rules)
		}
	}
	if rules["renewal-manual:lagrieta.es"] {
		t.Error("an auto-renewing domain was recommended for manual renewal")
	}
	prev := map[string]string{}
	for _, x := range r.Improvement.Previous {
		prev[x.ID] = x.State
	}
	if prev["slo-missed:website"] != "open" || prev["security-updates:attic"] != "resolved" {
		t.Errorf("previous recommendations %v", prev)
	}
	if l := r.Security.FailedLogins; len(l) != 1 || *l[0].Latest != 12 || *l[0].Max != 27 {
		t.Errorf("failed logins %+v", l)
	}
	if sh := r.Storage.Shares; len(sh) != 2 || sh[0].Job != "documents" || sh[0].GrowthBytesPerWeek == nil || *sh[0].UsedBytes != 2<<30 || sh[1].UsedBytes != nil {
		t.Errorf("shares %+v", sh)
	} else if g := *sh[0].GrowthBytesPerWeek; g < 50<<20 || g > 100<<20 {
		t.Errorf("documents grows %.0f bytes a week, want between 50 and 100 MiB", g)
	}
	if len(r.Subscriptions.Renewing) != 3 || r.Subscriptions.Total["EUR"] != 36 {
		t.Errorf("renewals %+v, total %v", r.Subscriptions.Renewing, r.Subscriptions.Total)
	}
}

func TestCharts(t *testing.T) {
	in := seeded()
	cs := Charts(Build(in), in)
	for _, name := range []string{"uptime", "response", "backups", "storage"} {
		svg, ok := cs[name]
		if !ok {
			t.Errorf("no %s chart", name)
			continue
		}
		d := xml.NewDecoder(bytes.NewReader(svg))
		for {
			if _, err := d.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Errorf("%s: not XML: %v", name, err)
				break
			}
		}
	}
	if cs := Charts(Report{}, Input{}); len(cs) != 0 {
		t.Errorf("charts of nothing: %v", cs)
	}
}

func TestHTML(t *testing.T) {
	in := seeded()
	r := Build(in)
	h := string(HTML(r, Charts(r, in)))
	for _, want := range []string{"<h1>IT report 2026-W49 (weekly)</h1>", "<svg", "<th>monitor</th>", "<td>99.90% <strong>missed</strong></td>",
		"<li>office: 7 pending updates"} {
		if !strings.Contains(h, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	for _, bad := range []string{"<script", "![", "](", "|---"} {
		if strings.Contains(h, bad) {
			t.Errorf("HTML holds %q", bad)
		}
	}
}
