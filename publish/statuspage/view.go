package statuspage

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// The view model: everything the template shows, already formatted, so the
// template holds no logic beyond loops and conditions.

type badge struct {
	Class string // ok, warn, crit, unknown: a CSS class
	Icon  string // a symbol that repeats the state without colour
	Text  string
}

type view struct {
	Title         string
	Generated     string
	GeneratedISO  string
	Overall       badge
	Monitors      []monitorView
	UpCount       int
	Backups       []backupView
	Subscriptions []subView
	Confirmations []confirmView
	NAS           []gaugeView
	Incidents     []incidentView
}

type uptimeView struct {
	Label, Text, Class string
}

type monitorView struct {
	Name, Kind, Target string
	State              badge
	Since              string
	Uptimes            []uptimeView
	Chart              chart
	Recent             []string
}

type backupView struct {
	Job, Destination, Age string
	State                 badge
}

type subView struct {
	Name, Kind, Date, Left string
	Severity               badge
}

type confirmView struct {
	ID                   int64
	What, Deadline, Left string
	Severity             badge
}

type gaugeView struct {
	Name, Text, Label string
	Pct               string // bar width in percent, formatted
	Warn, Crit        string // threshold marker positions in percent; "" if none
	State             badge
}

type incidentView struct {
	ID, Summary, Since  string
	Source, Fingerprint string
	Severity, Status    badge
}

const timeLayout = "2006-01-02 15:04 UTC"

func newView(p Page) view {
	now := p.GeneratedAt.UTC()
	v := view{
		Title:        p.Title,
		Generated:    fmtTime(p.GeneratedAt),
		GeneratedISO: now.Format(time.RFC3339),
		Overall:      overallBadge(p.Overall),
	}
	if v.Title == "" {
		v.Title = "Status"
	}
	for _, m := range p.Monitors {
		if m.Up {
			v.UpCount++
		}
		v.Monitors = append(v.Monitors, newMonitorView(m, p.GeneratedAt))
	}
	for _, b := range p.Backups {
		v.Backups = append(v.Backups, backupView{
			Job: b.Job, Destination: b.Destination,
			Age:   fmtDuration(b.Age) + " ago",
			State: severityBadge(b.State),
		})
	}
	for _, s := range p.Subscriptions {
		v.Subscriptions = append(v.Subscriptions, subView{
			Name: s.Name, Kind: s.Kind,
			Date:     dateOrUnknown(s.Date),
			Left:     daysLeft(s.DaysLeft),
			Severity: severityBadge(s.Severity),
		})
	}
	for _, c := range p.Confirmations {
		left := "unknown"
		if !c.Deadline.IsZero() {
			left = daysLeft(c.DaysLeft)
		}
		v.Confirmations = append(v.Confirmations, confirmView{ID: c.ID, What: c.What,
			Deadline: dateOrUnknown(c.Deadline), Left: left, Severity: severityBadge(c.Severity)})
	}
	for _, g := range p.NAS {
		v.NAS = append(v.NAS, newGaugeView(g))
	}
	for _, in := range p.Incidents {
		st := badge{Class: "crit", Icon: "●", Text: "Open"}
		if in.Resolved {
			st = badge{Class: "ok", Icon: "✓", Text: "Resolved"}
		}
		v.Incidents = append(v.Incidents, incidentView{
			ID: in.ID, Summary: in.Summary, Since: fmtTime(in.Since), Source: in.Source, Fingerprint: in.Fingerprint,
			Severity: severityBadge(in.Severity), Status: st,
		})
	}
	return v
}

func newMonitorView(m Monitor, now time.Time) monitorView {
	mv := monitorView{
		Name: m.Name, Kind: m.Kind, Target: m.Target,
		State:  badge{Class: "crit", Icon: "✕", Text: "Down"},
		Recent: m.Recent,
		Chart:  newChart(m.Name, m.Series),
	}
	if m.Up {
		mv.State = badge{Class: "ok", Icon: "✓", Text: "Up"}
	}
	if !m.Since.IsZero() {
		mv.Since = "since " + fmtTime(m.Since)
		if d := now.Sub(m.Since); d > 0 {
			mv.Since += " (" + fmtDuration(d) + ")"
		}
	}
	for _, u := range []struct {
		label string
		v     float64
	}{{"24 h", m.Uptime24h}, {"7 d", m.Uptime7d}, {"30 d", m.Uptime30d}} {
		mv.Uptimes = append(mv.Uptimes, uptimeView{Label: u.label, Text: fmtUptime(u.v), Class: uptimeClass(u.v)})
	}
	return mv
}

func newGaugeView(g Gauge) gaugeView {
	gv := gaugeView{Name: g.Name, State: badge{Class: "ok", Icon: "✓", Text: "OK"}}
	switch {
	case g.Crit > 0 && g.Value >= g.Crit:
		gv.State = badge{Class: "crit", Icon: "✕", Text: "Critical"}
	case g.Warn > 0 && g.Value >= g.Warn:
		gv.State = badge{Class: "warn", Icon: "!", Text: "Warning"}
	}
	unit := ""
	if g.Unit != "" {
		unit = " " + g.Unit
	}
	gv.Text = fmtNum(g.Value) + unit
	gv.Pct = "0"
	if g.Max > 0 {
		pct := clamp(g.Value/g.Max*100, 0, 100)
		gv.Pct = fmtNum(pct)
		gv.Text = fmt.Sprintf("%s / %s%s (%s%%)", fmtNum(g.Value), fmtNum(g.Max), unit, fmtNum(math.Round(g.Value/g.Max*100)))
		if g.Warn > 0 && g.Warn < g.Max {
			gv.Warn = fmtNum(g.Warn / g.Max * 100)
		}
		if g.Crit > 0 && g.Crit < g.Max {
			gv.Crit = fmtNum(g.Crit / g.Max * 100)
		}
	}
	gv.Label = fmt.Sprintf("%s: %s, %s", g.Name, gv.Text, gv.State.Text)
	return gv
}

func overallBadge(s string) badge {
	switch strings.ToLower(s) {
	case "ok":
		return badge{Class: "ok", Icon: "✓", Text: "All systems operational"}
	case "warning":
		return badge{Class: "warn", Icon: "!", Text: "Warning: some checks need attention"}
	case "degraded":
		return badge{Class: "warn", Icon: "!", Text: "Degraded: some services are impaired"}
	case "critical":
		return badge{Class: "crit", Icon: "✕", Text: "Critical: major outage"}
	}
	return badge{Class: "unknown", Icon: "?", Text: "Unknown"}
}

// severityBadge maps a free-form severity or state to a badge that shows
// the given text.
func severityBadge(s string) badge {
	text := s
	if text == "" {
		text = "unknown"
	}
	switch strings.ToLower(s) {
	case "ok", "fresh", "info", "success", "healthy":
		return badge{Class: "ok", Icon: "✓", Text: text}
	case "low":
		return badge{Class: "ok", Icon: "i", Text: text}
	case "medium", "high", "late", "warning", "warn", "degraded", "stale", "minor", "notice":
		return badge{Class: "warn", Icon: "!", Text: text}
	case "critical", "crit", "failed", "failure", "error", "missing", "major", "expired":
		return badge{Class: "crit", Icon: "✕", Text: text}
	}
	return badge{Class: "unknown", Icon: "?", Text: text}
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.UTC().Format(timeLayout)
}

func dateOrUnknown(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.UTC().Format("2006-01-02")
}

func daysLeft(n int) string {
	switch {
	case n > 1:
		return fmt.Sprintf("in %d days", n)
	case n == 1:
		return "in 1 day"
	case n == 0:
		return "today"
	case n == -1:
		return "expired 1 day ago"
	}
	return fmt.Sprintf("expired %d days ago", -n)
}

// fmtDuration prints a duration coarsely: "45s", "12m", "5h 3m", "3d 4h".
func fmtDuration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh %dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
	}
	return fmt.Sprintf("%dd %dh", int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour))
}

func fmtUptime(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "no data"
	}
	f = clamp(f, 0, 1) * 100
	if f == 100 {
		return "100%"
	}
	// Floor, so 99.999% never prints as 100%.
	return fmt.Sprintf("%.2f%%", math.Floor(f*100)/100)
}

func uptimeClass(f float64) string {
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0):
		return "unknown"
	case f >= 0.999:
		return "ok"
	case f >= 0.99:
		return "warn"
	}
	return "crit"
}

// fmtNum prints a number with at most one decimal, without trailing zeros.
func fmtNum(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "?"
	}
	s := fmt.Sprintf("%.1f", f)
	s = strings.TrimSuffix(s, ".0")
	if s == "-0" {
		s = "0"
	}
	return s
}

func clamp(f, lo, hi float64) float64 {
	return math.Max(lo, math.Min(hi, f))
}
