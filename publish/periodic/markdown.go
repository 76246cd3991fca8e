package periodic

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/publish/render"
)

// Markdown renders r for people (CEO_LAG, MEDIA_LAG, IT): the headline,
// then each section with its tables and charts. charts are the chart
// files written beside it (name → its path relative to the Markdown),
// shown where they belong; a missing one is left out. It holds no clock
// other than r's, so the same report renders the same bytes.
func Markdown(r Report, charts map[string]string) []byte {
	var b bytes.Buffer
	p := r.Period
	fmt.Fprintf(&b, "# IT report %s (%s)\n\n", p.Name, p.Kind)
	fmt.Fprintf(&b, "%s to %s (UTC). Made %s. Figures that could not be computed say *no data*.\n\n",
		p.Start.Format(time.DateOnly), p.End.Add(-time.Second).Format(time.DateOnly), r.GeneratedAt.Format(time.RFC3339))
	h := r.Headline
	b.WriteString("## Headline\n\n| figure | value |\n|---|---|\n")
	fmt.Fprintf(&b, "| uptime (mean of the monitors) | %s |\n", ratio(h.Uptime))
	fmt.Fprintf(&b, "| backup success rate | %s |\n", ratio(h.BackupSuccessRate))
	fmt.Fprintf(&b, "| mean time to resolve | %s |\n", secs(h.MTTRSeconds))
	fmt.Fprintf(&b, "| incidents opened / open at the end | %d / %d |\n", h.IncidentsOpened, h.IncidentsOpen)
	fmt.Fprintf(&b, "| next renewal | %s |\n", daysOf(h.DaysToNextRenewal, h.NextRenewal))
	fmt.Fprintf(&b, "| first volume to fill | %s |\n\n", daysOf(h.DaysUntilVolumeFull, h.VolumeFillingFirst))

	b.WriteString("## Availability\n\n")
	chart(&b, charts, "uptime", "Uptime per monitor against its target")
	chart(&b, charts, "response", "Response time, hourly mean")
	if len(r.Availability.Monitors) == 0 {
		b.WriteString("No monitor is declared.\n\n")
	} else {
		b.WriteString("| monitor | uptime | target | p50 | p95 | trend | outages | longest |\n|---|---:|---:|---:|---:|---|---:|---:|\n")
		for _, m := range r.Availability.Monitors {
			target := "—"
			if m.SLO != nil {
				target = ratio(m.SLO)
				if m.MetSLO != nil && !*m.MetSLO {
					target += " **missed**"
				}
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %d | %s |\n", m.Name, ratio(m.Uptime), target, ms(m.P50Ms), ms(m.P95Ms),
				trendText(m.Trend, m.TrendMsPerDay, "ms/day"), m.Outages, dur(m.LongestOutageSeconds))
		}
		b.WriteString("\n")
	}
	in := r.Availability.Incidents
	fmt.Fprintf(&b, "Incidents opened: %s; resolved: %d; mean time to alert: %s; mean time to resolve: %s",
		bySeverity(in.Opened), in.Resolved, secs(in.MTTASeconds), secs(in.MTTRSeconds))
	if in.LongestID != "" {
		fmt.Fprintf(&b, "; the longest: [%s](../../incidents/%s.md) (%s)", in.LongestID, in.LongestID, dur(in.LongestSeconds))
	}
	b.WriteString(".\n\n")

	b.WriteString("## Backups\n\n")
	chart(&b, charts, "backups", "Backup success rate per job")
	if len(r.Backups) == 0 {
		b.WriteString("No backup job is declared.\n\n")
	} else {
		b.WriteString("| job | runs | success | median duration | added / read | repository | last check | last drill | 3-2-1 |\n|---|---:|---:|---:|---:|---:|---|---|---|\n")
		for _, j := range r.Backups {
			name := j.Job
			if j.Media {
				name += " (MEDIA_LAG)"
			}
			fmt.Fprintf(&b, "| %s | %d | %s | %s (%s) | %s / %s (%s; %s) | %s | %s | %s | %s |\n", name, j.Runs, ratio(j.SuccessRate), secs(j.DurationP50Seconds), j.DurationTrend,
				render.Size(j.DataAddedBytes), render.Size(j.ProcessedBytes), ratio(j.Efficiency), j.AddedTrend, bytesPtr(j.RepositoryBytes), day(j.LastCheck), day(j.LastDrill), j.ThreeTwoOne)
		}
		b.WriteString("\n")
	}

	b.WriteString("## Renewals and spend\n\n")
	if len(r.Subscriptions.Renewing) == 0 {
		b.WriteString("Nothing renews in the next 60 days.\n\n")
	} else {
		b.WriteString("| what | kind | provider | date | days left | renews by itself |\n|---|---|---|---|---:|---|\n")
		for _, rn := range r.Subscriptions.Renewing {
			date, left := "unknown", "—"
			if rn.Date != nil {
				date = rn.Date.Format(time.DateOnly) + " (" + rn.Source + ")"
				left = fmt.Sprint(*rn.DaysLeft)
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", rn.Name, rn.Kind, rn.Provider, date, left, yesNo(rn.AutoRenew))
		}
		b.WriteString("\n")
	}
	if len(r.Subscriptions.Spend) > 0 {
		b.WriteString("| subscription | provider | cost | per year |\n|---|---|---:|---:|\n")
		for _, s := range r.Subscriptions.Spend {
			fmt.Fprintf(&b, "| %s | %s | %.2f %s a %s | %.2f %s |\n", s.Name, s.Provider, s.Amount, s.Currency, s.Period, s.Yearly, s.Currency)
		}
		for _, c := range slices.Sorted(maps.Keys(r.Subscriptions.Total)) {
			fmt.Fprintf(&b, "| **total** | | | **%.2f %s** |\n", r.Subscriptions.Total[c], c)
		}
		b.WriteString("\n")
	} else {
		b.WriteString("No subscription declares a cost (`cost:` in the state), so there is no spend table.\n\n")
	}

	b.WriteString("## Storage (for MEDIA_LAG)\n\n")
	chart(&b, charts, "storage", "NAS volumes, used percent")
	if len(r.Storage.Volumes) == 0 {
		b.WriteString("No NAS volume was measured.\n\n")
	} else {
		b.WriteString("| NAS | volume | used | of | growth a week | full around | range |\n|---|---|---:|---:|---:|---|---|\n")
		for _, v := range r.Storage.Volumes {
			used := pctPoints(v.UsedPercent)
			if v.UsedBytes != nil {
				used += " (" + render.Size(*v.UsedBytes) + ")"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", v.NAS, v.Path, used, bytesPtr(v.SizeBytes), pointsWeek(v.GrowthPerWeek), fillText(v.Fill), fillRange(v.Fill))
		}
		b.WriteString("\n")
	}
	if len(r.Storage.Shares) > 0 {
		b.WriteString("Shares (the backed-up sources, as each backup run read them), the fastest-growing first:\n\n")
		b.WriteString("| share | job | size | growth a week | trend |\n|---|---|---:|---:|---|\n")
		for _, sh := range r.Storage.Shares {
			size, growth := noData, noData
			if sh.UsedBytes != nil {
				size = render.Size(*sh.UsedBytes)
			}
			if sh.GrowthBytesPerWeek != nil {
				sign := "+"
				g := *sh.GrowthBytesPerWeek
				if g < 0 {
					sign, g = "-", -g
				}
				growth = sign + render.Size(int64(g))
			}
			name := strings.Join(sh.Paths, ", ")
			if sh.Media {
				name += " (MEDIA_LAG)"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", name, sh.Job, size, growth, sh.Trend)
		}
		b.WriteString("\n")
	}

	b.WriteString("## Security\n\n")
	for _, u := range r.Security.PendingUpdates {
		fmt.Fprintf(&b, "- %s: %s pending updates, %s of them security (%s).\n", u.NAS, numText(u.Pending), numText(u.Security), u.Trend)
	}
	for _, c := range r.Security.Certificates {
		fmt.Fprintf(&b, "- certificate of %s: %d days left.\n", c.Monitor, c.DaysLeft)
	}
	for _, e := range r.Security.HostKeyEvents {
		fmt.Fprintf(&b, "- host key pinned for %s on %s.\n", e.Target, e.At.Format(time.DateOnly))
	}
	if len(r.Security.Findings) == 0 {
		b.WriteString("- no open vulnerability or exposure finding.\n")
	}
	for _, f := range r.Security.Findings {
		fmt.Fprintf(&b, "- **%s** %s: %s\n", f.Severity, f.Source, oneLine(f.Summary))
	}
	for _, l := range r.Security.FailedLogins {
		fmt.Fprintf(&b, "- %s: %s failed SSH logins at the last observation (at most %s in the period, %s).\n", l.NAS, numText(l.Latest), numText(l.Max), l.Trend)
	}
	if len(r.Security.FailedLogins) == 0 {
		b.WriteString("- failed logins: no NAS was observed.\n")
	}
	b.WriteString("\n")

	im := r.Improvement
	b.WriteString("## Continuous improvement\n\n")
	if len(im.Recommendations) == 0 {
		b.WriteString("No rule fired: nothing to recommend this period.\n\n")
	} else {
		b.WriteString("| recommendation | evidence |\n|---|---|\n")
		for _, x := range im.Recommendations {
			fmt.Fprintf(&b, "| %s (`%s`) | %s |\n", oneLine(x.Text), x.ID, strings.Join(x.Evidence, "; "))
		}
		b.WriteString("\n")
	}
	if len(im.Previous) > 0 {
		b.WriteString("Last period's recommendations: ")
		var parts []string
		for _, x := range im.Previous {
			parts = append(parts, fmt.Sprintf("`%s` %s", x.ID, x.State))
		}
		b.WriteString(strings.Join(parts, ", ") + ".\n\n")
	}
	if len(im.Recurring) > 0 {
		b.WriteString("Recurring problems (90 days): ")
		var parts []string
		for _, x := range im.Recurring {
			parts = append(parts, fmt.Sprintf("%s ×%d", x.Source, x.Times))
		}
		b.WriteString(strings.Join(parts, ", ") + ".\n\n")
	}
	if len(im.AlertVolume) > 0 {
		b.WriteString("Alerts sent per route: ")
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(im.AlertVolume)) {
			parts = append(parts, fmt.Sprintf("%s %d", k, im.AlertVolume[k]))
		}
		b.WriteString(strings.Join(parts, ", ") + ".\n\n")
	}
	return b.Bytes()
}

func chart(b *bytes.Buffer, charts map[string]string, name, alt string) {
	if path, ok := charts[name]; ok {
		fmt.Fprintf(b, "![%s](%s)\n\n", alt, path)
	}
}

// noData is what a figure without data reads as.
const noData = "*no data*"

// orNone formats *v with f, or says none when v is nil.
func orNone[T any](v *T, none string, f func(T) string) string {
	if v == nil {
		return none
	}
	return f(*v)
}

func ratio(v *float64) string { return orNone(v, noData, pct) }

func secs(v *float64) string { return orNone(v, noData, dur) }

func ms(v *float64) string {
	return orNone(v, "—", func(x float64) string { return fmt.Sprintf("%.0f ms", x) })
}

func numText(v *float64) string {
	return orNone(v, "unknown", func(x float64) string { return fmt.Sprintf("%.0f", x) })
}

func daysOf(d *int, what string) string {
	if d == nil {
		return noData
	}
	return fmt.Sprintf("%s in %d days", what, *d)
}

func trendText(dir string, slope float64, unit string) string {
	if dir == "" || dir == "flat" {
		return "flat"
	}
	return fmt.Sprintf("%s (%+.1f %s)", dir, slope, unit)
}

func bySeverity(m map[finding.Severity]int) string {
	var parts []string
	for _, s := range []finding.Severity{finding.Critical, finding.High, finding.Medium, finding.Low} {
		parts = append(parts, fmt.Sprintf("%d %s", m[s], s))
	}
	return strings.Join(parts, ", ")
}

func day(t *time.Time) string {
	return orNone(t, "never", func(x time.Time) string { return x.Format(time.DateOnly) })
}

func yesNo(v bool) string {
	if v {
		return "yes"
	}
	return "no"
}

func bytesPtr(n *int64) string { return orNone(n, "unknown", render.Size) }

func pointsWeek(v *float64) string {
	return orNone(v, noData, func(x float64) string { return fmt.Sprintf("%+.2f points", x) })
}

func fillText(f Fill) string {
	switch {
	case f.Full:
		return "**full**"
	case f.Never:
		return "not filling (" + f.Reason + ")"
	case f.Date != nil:
		return fmt.Sprintf("%s (%d days)", f.Date.Format(time.DateOnly), *f.DaysLeft)
	}
	return "*no forecast* (" + f.Reason + ")"
}

func fillRange(f Fill) string {
	switch {
	case f.Earliest != nil && f.Latest != nil:
		return f.Earliest.Format(time.DateOnly) + " – " + f.Latest.Format(time.DateOnly)
	case f.Earliest != nil:
		return "not before " + f.Earliest.Format(time.DateOnly) + ", maybe never"
	}
	return "—"
}
