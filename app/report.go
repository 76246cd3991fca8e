package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lagrieta/itlag/ops/alert"
	"github.com/lagrieta/itlag/ops/backup"
	"github.com/lagrieta/itlag/ops/history"
	"github.com/lagrieta/itlag/ops/monitor"
	"github.com/lagrieta/itlag/publish/audit"
	"github.com/lagrieta/itlag/publish/gitrepo"
	"github.com/lagrieta/itlag/publish/incidents"
	"github.com/lagrieta/itlag/publish/periodic"
	"github.com/lagrieta/itlag/publish/periodic/stats"
	"github.com/lagrieta/itlag/store"
	"github.com/lagrieta/itlag/store/safefile"
)

// ReportOptions say which report to make and where.
type ReportOptions struct {
	// Kind is periodic.Weekly or periodic.Monthly; Period its name
	// ("2026-W49", "2026-11"), "" for the last complete one.
	Kind, Period string
	// Out is the repository the report is written into (under
	// reports/KIND/); default the state's repository.
	Out string
	// Commit commits the report's files.
	Commit bool
	// Now is the clock; zero means time.Now.
	Now time.Time
}

// ReportResult is a report made.
type ReportResult struct {
	Report periodic.Report
	// Input is what it was computed from (for MailReport's charts).
	Input periodic.Input
	// Files are the files written, relative to Out.
	Files     []string
	Committed string
}

// historyLead is how far before the period the storage forecast looks.
const historyLead = 60 * 24 * time.Hour

// Report makes the weekly or monthly report: it observes the world once
// (for the dates, certificates and security findings of today), reads the
// history of the period (monitors, incidents, alerts, backup runs, the
// measured numbers, the audit trail) and the previous period's report,
// and writes reports/KIND/NAME.md and .json (and the charts beside them).
func (rt *Runtime) Report(ctx context.Context, o ReportOptions) (*ReportResult, error) {
	if o.Now.IsZero() {
		o.Now = time.Now().UTC()
	}
	if o.Out == "" {
		o.Out = gitrepo.Root(rt.Opts.StateDir)
	}
	p, err := periodic.ParsePeriod(o.Kind, o.Period, o.Now)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	obs, err := rt.Observe(ctx, ObserveOptions{})
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	in, err := rt.gather(ctx, p, o, obs, true)
	if err != nil {
		return nil, fmt.Errorf("report %s: %w", p.Name, err)
	}
	r := periodic.Build(in)
	files, err := writeReport(o.Out, r, in)
	if err != nil {
		return nil, fmt.Errorf("report %s: %w", p.Name, err)
	}
	res := &ReportResult{Report: r, Input: in, Files: files}
	if o.Commit {
		hash, did, err := gitrepo.Commit(o.Out, files, fmt.Sprintf("report: %s %s", p.Kind, p.Name), gitrepo.Signature{})
		if err != nil {
			return res, fmt.Errorf("report --commit: %w", err)
		}
		if did {
			res.Committed = hash
		}
	}
	return res, nil
}

// reportDir is where reports of kind live, relative to the repository.
func reportDir(kind string) string { return path.Join("reports", kind) }

// writeReport writes the JSON, the Markdown and its charts; it returns
// the paths written, relative to out.
func writeReport(out string, r periodic.Report, in periodic.Input) ([]string, error) {
	dir := reportDir(r.Period.Kind)
	charts := periodic.Charts(r, in)
	links := map[string]string{}
	var files []string
	for _, name := range slices.Sorted(maps.Keys(charts)) {
		rel := path.Join(dir, r.Period.Name, name+".svg")
		if err := safefile.WriteFile(out, rel, charts[name], 0o644); err != nil {
			return nil, err
		}
		links[name] = path.Join(r.Period.Name, name+".svg")
		files = append(files, rel)
	}
	js, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, err
	}
	for rel, b := range map[string][]byte{
		path.Join(dir, r.Period.Name+".json"): append(js, '\n'),
		path.Join(dir, r.Period.Name+".md"):   periodic.Markdown(r, links),
	} {
		if err := safefile.WriteFile(out, rel, b, 0o644); err != nil {
			return nil, err
		}
		files = append(files, rel)
	}
	slices.Sort(files)
	return files, nil
}

// previousReport reads the previous period's JSON report, nil when none.
func previousReport(out string, p periodic.Period) (*periodic.Report, error) {
	prev := p.Previous()
	f, err := safefile.OpenFile(out, path.Join(reportDir(p.Kind), prev.Name+".json"), os.O_RDONLY, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 32<<20))
	if err != nil {
		return nil, err
	}
	var r periodic.Report
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("previous report %s: %w", prev.Name, err)
	}
	return &r, nil
}

// gather collects what the report of p is computed from; previous reads
// the previous period's report (for last period's recommendations).
func (rt *Runtime) gather(ctx context.Context, p periodic.Period, o ReportOptions, obs *Observation, previous bool) (periodic.Input, error) {
	in := periodic.Input{Period: p, Now: o.Now}
	db, err := rt.DB()
	if err != nil {
		return in, err
	}
	end := p.End
	if o.Now.Before(end) {
		end = o.Now // a period not over yet: up to now
	}
	monitors, err := rt.Monitors()
	if err != nil {
		return in, err
	}
	if in.Monitors, err = rt.reportMonitors(ctx, db, monitors, p.Start, end); err != nil {
		return in, err
	}
	if in.Incidents, err = reportIncidents(o.Out); err != nil {
		return in, err
	}
	sent, err := alert.SentBetween(ctx, db, p.Start.Add(-recurringLookback), end)
	if err != nil {
		return in, err
	}
	for _, s := range sent {
		in.Alerts = append(in.Alerts, periodic.AlertInput{At: s.At, Fingerprint: s.Fingerprint, Route: s.Route, Kind: s.Kind, OK: s.OK})
	}
	if in.Jobs, err = rt.reportJobs(ctx, db, p.Start, end, obs); err != nil {
		return in, err
	}
	for _, e := range obs.Expiries {
		in.Expiries = append(in.Expiries, periodic.ExpiryInput{Name: e.Name, Kind: e.Kind, Provider: e.Provider, Source: e.Source,
			Date: e.Date, AutoRenew: e.AutoRenew})
	}
	for _, name := range slices.Sorted(maps.Keys(rt.State.Subscriptions)) {
		if c := rt.State.Subscriptions[name].Cost; c != nil {
			in.Costs = append(in.Costs, periodic.Spend{Name: name, Provider: rt.State.Subscriptions[name].Provider,
				Amount: c.Amount, Currency: c.Currency, Period: c.Period, Yearly: c.Yearly()})
		}
	}
	if in.Volumes, in.Updates, in.FailedLogins, err = reportSeries(ctx, db, p.Start.Add(-historyLead), end); err != nil {
		return in, err
	}
	if in.Certificates, err = reportCertificates(ctx, db, monitors, end); err != nil {
		return in, err
	}
	entries, err := AuditEntries(rt.Opts, p.Start)
	if err != nil {
		return in, err
	}
	for _, e := range entries {
		if e.Action == audit.ActionHostKeyPin {
			in.HostKeyEvents = append(in.HostKeyEvents, periodic.Event{At: e.TS, Target: e.Target, Note: strings.Join(e.Detail.Addresses, " ")})
		}
	}
	for _, f := range obs.Findings {
		if strings.HasPrefix(f.Source, "security:") {
			in.SecurityFindings = append(in.SecurityFindings, f)
		}
	}
	if previous {
		if in.Previous, err = previousReport(o.Out, p); err != nil {
			return in, err
		}
	}
	return in, nil
}

// recurringLookback is how far back alerts are read (for the incidents
// that opened before the period).
const recurringLookback = 90 * 24 * time.Hour

func (rt *Runtime) reportMonitors(ctx context.Context, db *store.DB, ms []monitor.Monitor, from, to time.Time) ([]periodic.MonitorInput, error) {
	var out []periodic.MonitorInput
	for _, m := range ms {
		mi := periodic.MonitorInput{Name: m.Name, Kind: m.Kind, SLO: rt.State.Monitors[m.Name].SLO}
		if up, err := monitor.Uptime(ctx, db, m.Name, from, to); err == nil {
			mi.Uptime = &up
		} else if !errors.Is(err, monitor.ErrNoData) {
			return nil, err
		}
		pts, err := monitor.Series(ctx, db, m.Name, from, time.Hour)
		if err != nil {
			return nil, err
		}
		for _, pt := range pts {
			if pt.At.Before(to) && pt.Checks > pt.Failures {
				mi.Hourly = append(mi.Hourly, stats.Point{T: pt.At, V: pt.AvgMs})
			}
		}
		outs, err := monitor.Outages(ctx, db, m.Name, from, to)
		if err != nil {
			return nil, err
		}
		for _, o := range outs {
			mi.Outages = append(mi.Outages, stats.Interval{Start: o.Start, End: o.End})
		}
		out = append(out, mi)
	}
	return out, nil
}

func reportIncidents(repo string) ([]periodic.IncidentInput, error) {
	all, err := incidents.Load(repo)
	if err != nil {
		return nil, err
	}
	var out []periodic.IncidentInput
	for _, i := range all {
		ii := periodic.IncidentInput{ID: i.ID, Fingerprint: i.Fingerprint, Source: i.Source, Summary: i.Summary,
			Severity: i.Severity, FirstSeen: i.FirstSeen, ResolvedAt: i.ResolvedAt}
		if k := i.Body.Index(incidents.Prevention); k >= 0 {
			t := strings.TrimSpace(i.Body[k].Text)
			ii.PreventionEmpty = t == "" || t == incidents.Placeholder
		}
		out = append(out, ii)
	}
	return out, nil
}

func (rt *Runtime) reportJobs(ctx context.Context, db *store.DB, from, to time.Time, obs *Observation) ([]periodic.JobInput, error) {
	jobs, err := backup.JobsFromStateUnresolved(rt.State)
	if err != nil {
		return nil, err
	}
	var out []periodic.JobInput
	for _, job := range jobs {
		name := job.Name
		j := periodic.JobInput{Name: name, Sources: job.Sources, ThreeTwoOne: threeTwoOne(job), Media: strings.Contains(name, "media"), RepositoryBytes: -1}
		runs, err := backup.Runs(ctx, db, name, from.Add(-historyLead), to) // before the period: the shares' growth
		if err != nil {
			return nil, err
		}
		for _, r := range runs {
			j.Runs = append(j.Runs, periodic.RunInput{Started: r.StartedAt, OK: r.OK, Duration: r.Duration,
				DataAdded: r.DataAdded, BytesProcessed: r.BytesProcessed})
		}
		known := true
		var size int64
		for _, st := range obs.Backups {
			if st.Job != name {
				continue
			}
			if st.SizeBytes < 0 {
				known = false
			}
			size += st.SizeBytes
			if st.LastCheck != nil && st.LastCheck.At.After(j.LastCheck) {
				j.LastCheck = st.LastCheck.At
			}
			if st.LastDrill != nil && st.LastDrill.At.After(j.LastDrill) {
				j.LastDrill = st.LastDrill.At
			}
		}
		if known && size > 0 {
			j.RepositoryBytes = size
		}
		out = append(out, j)
	}
	return out, nil
}

// threeTwoOne is the report's word on a job's 3-2-1 standing
// (backup.ThreeTwoOne): "ok", "waived: WHY", or what it breaks.
func threeTwoOne(job backup.Job) string {
	r := backup.ThreeTwoOne(job)
	if r.Waiver != "" {
		return "waived: " + r.Waiver
	}
	if broken := r.Broken(); len(broken) > 0 {
		return strings.Join(broken, ", ")
	}
	return "ok"
}

// reportSeries reads the volumes' used percent and the pending updates
// from the measured numbers' history.
func reportSeries(ctx context.Context, db *store.DB, from, to time.Time) (vols []periodic.SeriesInput, ups []periodic.UpdatesInput, logins []periodic.SeriesInput, err error) {
	keys, err := history.Keys(ctx, db, "nas:", from, to)
	if err != nil {
		return nil, nil, nil, err
	}
	points := func(key string) ([]stats.Point, error) {
		hs, err := history.Series(ctx, db, key, from, to)
		var pts []stats.Point
		for _, h := range hs {
			pts = append(pts, stats.Point{T: h.Hour, V: h.Avg})
		}
		return pts, err
	}
	for _, k := range keys {
		nas, metric, ok := strings.Cut(strings.TrimPrefix(k, "nas:"), "/")
		mount, isDisk := strings.CutPrefix(metric, "disk_used_percent:")
		if !ok || (!isDisk && metric != "failed_logins") {
			continue
		}
		pts, err := points(k)
		if err != nil {
			return nil, nil, nil, err
		}
		if isDisk {
			v := periodic.SeriesInput{NAS: nas, Path: mount, Points: pts}
			for kind, dst := range map[string]**float64{"disk_used_bytes:": &v.UsedBytes, "disk_size_bytes:": &v.SizeBytes} {
				hs, err := history.Series(ctx, db, "nas:"+nas+"/"+kind+mount, from, to)
				if err != nil {
					return nil, nil, nil, err
				}
				if len(hs) > 0 {
					last := hs[len(hs)-1].Last
					*dst = &last
				}
			}
			vols = append(vols, v)
		} else {
			logins = append(logins, periodic.SeriesInput{NAS: nas, Points: pts})
		}
	}
	keys, err = history.Keys(ctx, db, "updates:", from, to)
	if err != nil {
		return nil, nil, nil, err
	}
	byNAS := map[string]*periodic.UpdatesInput{}
	for _, k := range keys {
		nas, what, _ := strings.Cut(strings.TrimPrefix(k, "updates:"), "/")
		pts, err := points(k)
		if err != nil {
			return nil, nil, nil, err
		}
		u, ok := byNAS[nas]
		if !ok {
			u = &periodic.UpdatesInput{NAS: nas}
			byNAS[nas] = u
		}
		if what == "security" {
			u.Security = pts
		} else {
			u.Pending = pts
		}
	}
	for _, nas := range slices.Sorted(maps.Keys(byNAS)) {
		ups = append(ups, *byNAS[nas])
	}
	return vols, ups, logins, nil
}

// reportCertificates are the days left on the tls monitors' certificates,
// from their latest result ("41d").
func reportCertificates(ctx context.Context, db *store.DB, ms []monitor.Monitor, to time.Time) ([]periodic.Certificate, error) {
	var out []periodic.Certificate
	for _, m := range ms {
		if m.Kind != monitor.TLS {
			continue
		}
		v, err := monitor.LastValue(ctx, db, m.Name, to)
		if err != nil {
			return nil, err
		}
		if d, err := strconv.Atoi(strings.TrimSuffix(v, "d")); err == nil && strings.HasSuffix(v, "d") {
			out = append(out, periodic.Certificate{Monitor: m.Name, DaysLeft: d})
		}
	}
	return out, nil
}

// rollingHeadline is the headline of the last 7 days before obs, for
// status.json (CEO_LAG's figures between two weekly reports).
func (rt *Runtime) rollingHeadline(ctx context.Context, obs *Observation, out string) (*periodic.Headline, error) {
	p := periodic.Period{Kind: periodic.Weekly, Name: "last-7-days", Start: obs.At.Add(-7 * 24 * time.Hour), End: obs.At}
	in, err := rt.gather(ctx, p, ReportOptions{Out: out, Now: obs.At}, obs, false)
	if err != nil {
		return nil, fmt.Errorf("status headline: %w", err)
	}
	h := periodic.Build(in).Headline
	return &h, nil
}

// weeklyReportDue writes the last complete week's report when o asks for
// it on this day and it is not written yet; it returns the files written.
func (rt *Runtime) weeklyReportDue(ctx context.Context, obs *Observation, o DriftOptions) ([]string, error) {
	if o.WeeklyReportDay == "" || !strings.EqualFold(obs.At.UTC().Weekday().String(), o.WeeklyReportDay) {
		return nil, nil
	}
	p, err := periodic.ParsePeriod(periodic.Weekly, "", obs.At)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(o.Out, filepath.FromSlash(path.Join(reportDir(p.Kind), p.Name+".json")))); err == nil {
		return nil, nil // written already (an earlier run today)
	}
	in, err := rt.gather(ctx, p, ReportOptions{Out: o.Out, Now: obs.At}, obs, true)
	if err != nil {
		return nil, fmt.Errorf("weekly report %s: %w", p.Name, err)
	}
	return writeReport(o.Out, periodic.Build(in), in)
}
