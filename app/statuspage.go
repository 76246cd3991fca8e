package app

import (
	"context"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/ops/mail/ledger"
	"github.com/lagrieta/itlag/ops/monitor"
	"github.com/lagrieta/itlag/providers/registry"
	"github.com/lagrieta/itlag/publish/gitrepo"
	"github.com/lagrieta/itlag/publish/incidents"
	"github.com/lagrieta/itlag/publish/statuspage"
	"github.com/lagrieta/itlag/store"
)

// StatusPage builds the status page from an observation (Observe) and the
// monitoring history: each monitor's state, uptime and response times;
// the backups, subscriptions (observed dates first) and NAS gauges the
// observation saw; and its findings as the open incidents, with the IDs of
// the incident files drift opened for them.
func (rt *Runtime) StatusPage(ctx context.Context, obs *Observation) (statuspage.Page, error) {
	now := obs.At
	page := statuspage.Page{Title: "Status", GeneratedAt: now, Overall: overall(obs.Findings)}
	if len(obs.Monitors) > 0 {
		db, err := rt.DB()
		if err != nil {
			return page, err
		}
		for _, ms := range obs.Monitors {
			page.Monitors = append(page.Monitors, pageMonitor(ctx, db, ms, now))
		}
	}
	for _, st := range obs.Backups {
		page.Backups = append(page.Backups, statuspage.Backup{Job: st.Job, Destination: st.Destination, State: string(st.State), Age: st.Age})
	}
	page.NAS = rt.gauges(obs)
	for _, ex := range obs.Expiries {
		sev := string(ex.Severity)
		if sev == "" {
			sev = "ok"
		}
		page.Subscriptions = append(page.Subscriptions, statuspage.Subscription{Name: ex.Name, Kind: ex.Kind, Date: ex.Date,
			DaysLeft: ex.DaysLeft, Severity: sev})
	}
	if obs.Mail != nil {
		for _, c := range obs.Mail.Confirmations {
			sev, days := ledger.ConfirmationSeverity(c.Deadline, now)
			pc := statuspage.Confirmation{ID: c.ID, What: c.What, Deadline: c.Deadline, DaysLeft: days, Severity: string(sev)}
			page.Confirmations = append(page.Confirmations, pc)
		}
	}
	open := map[string]incidents.Incident{}
	if all, err := incidents.Load(gitrepo.Root(rt.Opts.StateDir)); err == nil {
		for _, inc := range all {
			if inc.Status == incidents.StatusOpen {
				open[inc.Fingerprint] = inc
			}
		}
	}
	for _, f := range obs.Findings {
		in := statuspage.Incident{Severity: string(f.Severity), Summary: f.Summary, Source: f.Source, Fingerprint: f.Fingerprint, Since: now}
		if inc, ok := open[f.Fingerprint]; ok {
			in.ID, in.Since = inc.ID, inc.FirstSeen
		}
		page.Incidents = append(page.Incidents, in)
	}
	return page, nil
}

// overall is the page's headline from the worst finding.
func overall(fs []finding.Finding) string {
	worst := 4
	for _, f := range fs {
		worst = min(worst, f.Severity.Rank())
	}
	switch worst {
	case 0:
		return "critical"
	case 1:
		return "degraded"
	case 2:
		return "warning"
	}
	return "ok"
}

func pageMonitor(ctx context.Context, db *store.DB, ms monitor.Assessment, now time.Time) statuspage.Monitor {
	m := ms.Monitor
	pm := statuspage.Monitor{Name: m.Name, Kind: m.Kind, Target: monitor.DisplayTarget(m.Target), Up: !ms.Down, Since: ms.Since}
	for _, span := range []struct {
		d   time.Duration
		dst *float64
	}{{24 * time.Hour, &pm.Uptime24h}, {7 * 24 * time.Hour, &pm.Uptime7d}, {30 * 24 * time.Hour, &pm.Uptime30d}} {
		u, err := monitor.Uptime(ctx, db, m.Name, now.Add(-span.d), now)
		if err != nil {
			u = math.NaN()
		}
		*span.dst = u
	}
	if pts, err := monitor.Series(ctx, db, m.Name, now.Add(-24*time.Hour), 10*time.Minute); err == nil {
		for _, p := range pts {
			pm.Series = append(pm.Series, statuspage.Point{At: p.At, Ms: p.AvgMs})
		}
	}
	return pm
}

// gauges are each NAS's readings from the observation: every volume's
// use, memory in use, CPU. An unreachable NAS shows none (its finding
// says why).
func (rt *Runtime) gauges(obs *Observation) []statuspage.Gauge {
	var out []statuspage.Gauge
	for _, set := range rt.Desired.Resources {
		if set.Provider != "nas" {
			continue
		}
		ro, ok := obs.Observed.Resources[set.Key()]
		if !ok {
			continue
		}
		disk := registry.NASThresholds(rt.State.NAS[set.Target]).WithDefaults().DiskPercent
		for _, k := range slices.Sorted(maps.Keys(ro.Metrics)) {
			v := ro.Metrics[k]
			switch {
			case strings.HasPrefix(k, "disk_used_percent:"):
				out = append(out, statuspage.Gauge{Name: set.Target + " " + strings.TrimPrefix(k, "disk_used_percent:"), Value: v, Max: 100, Unit: "%", Warn: disk - 10, Crit: disk})
			case k == "mem_available_percent":
				out = append(out, statuspage.Gauge{Name: set.Target + " memory in use", Value: 100 - v, Max: 100, Unit: "%", Warn: 80, Crit: 90})
			case k == "cpu_percent":
				out = append(out, statuspage.Gauge{Name: set.Target + " CPU", Value: v, Max: 100, Unit: "%", Warn: 80, Crit: 95})
			}
		}
	}
	return out
}
