package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/ops/alert"
	"github.com/lagrieta/itlag/ops/backup"
	"github.com/lagrieta/itlag/ops/monitor"
	"github.com/lagrieta/itlag/publish/statuspage"
	"github.com/lagrieta/itlag/reconcile"
	"github.com/lagrieta/itlag/schema"
	"github.com/lagrieta/itlag/schema/secret"
	"github.com/lagrieta/itlag/store"
)

const checkHelp = `Usage: itlag check [flags]

Runs every monitor the state declares once, all at once (bounded), prints a
table, records the results in the local database (--data-dir), and turns the
monitors that are down (failure_threshold failures in a row) into findings
with the monitor's severity. It also watches, read-only, what the state
declares besides probes: subscription and domain expiry, each NAS's
thresholds, and backup freshness (where restic is installed). The findings go to the alert routes of the
state (alerts:): one alert when a problem starts, reminders at the route's
interval, one recovery message; nothing during a maintenance window.

Exit codes: 0 nothing wrong; 2 a monitor is down or a finding is open; 1 error.
`

func runCheck(ctx context.Context, e *env, args []string) error {
	fs, g := newFlags(e, "check", checkHelp)
	noAlerts := fs.Bool("no-alerts", false, "record and report, but send no alert")
	pos, err := parse(fs, g, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return exit(ExitError, fmt.Errorf("check: unexpected argument %q", pos[0]))
	}
	l, monitors, db, err := monitoring(e, g)
	if err != nil {
		return err
	}
	defer db.Close()
	results := monitor.Check(ctx, monitors, len(monitors))
	if err := monitor.Record(ctx, db, results); err != nil {
		return exit(ExitError, fmt.Errorf("check: %w", err))
	}
	findings, err := monitor.Findings(ctx, db, monitors)
	if err != nil {
		return exit(ExitError, fmt.Errorf("check: %w", err))
	}
	more, err := watchedFindings(ctx, e, g, l, time.Now().UTC())
	if err != nil {
		return exit(ExitError, fmt.Errorf("check: %w", err))
	}
	findings = append(findings, more...)
	if g.format == "json" {
		err = checkJSON(e.stdout, results, findings)
	} else {
		printChecks(e.stdout, results, findings)
	}
	if err != nil {
		return exit(ExitError, err)
	}
	if !*noAlerts {
		n, err := notifier(l.state, db)
		if err != nil {
			return exit(ExitError, err)
		}
		rep, err := n.Process(ctx, findings)
		if err != nil {
			return exit(ExitError, fmt.Errorf("check: alerts: %w", err))
		}
		if rep.Sent+rep.Failed+rep.Held > 0 {
			fmt.Fprintf(e.stderr, "Alerts: %d sent, %d failed, %d held (maintenance).\n", rep.Sent, rep.Failed, rep.Held)
		}
	}
	if len(findings) > 0 {
		return exit(ExitChanges, errSilent)
	}
	return nil
}

// watchedFindings are the findings check watches besides its probes:
// subscription and domain expiry (registrars asked, declared dates
// otherwise), each NAS's thresholds (observed read-only) and backup
// freshness (where restic is installed).
func watchedFindings(ctx context.Context, e *env, g *globals, l *loaded, now time.Time) ([]finding.Finding, error) {
	d := reconcile.Desired{Domains: l.desired.Domains, Subscriptions: l.desired.Subscriptions}
	for _, set := range l.desired.Resources {
		if set.Provider == "nas" {
			d.Resources = append(d.Resources, set)
		}
	}
	var out []finding.Finding
	if len(d.Domains)+len(d.Subscriptions)+len(d.Resources) > 0 {
		w, err := open(ctx, g, &loaded{state: l.state, desired: d})
		if err != nil {
			return nil, err
		}
		obs, err := reconcile.Observe(ctx, d, w.providers)
		if cerr := w.close(); err == nil && cerr != nil {
			err = cerr
		}
		if err != nil {
			return nil, err
		}
		warnSkipped(e, obs)
		obs.At = now
		out = append(out, reconcile.ExpiryFindings(reconcile.Expiries(d, obs))...)
		out = append(out, obs.Findings...)
		for _, ro := range obs.Resources {
			out = append(out, ro.Findings...)
		}
	}
	return append(out, backupFindings(ctx, g, l, now)...), nil
}

// monitoring loads the state, its monitors and the local database: what
// check, status-page and watch start from. The caller closes the database.
func monitoring(e *env, g *globals) (*loaded, []monitor.Monitor, *store.DB, error) {
	l, err := load(e, g)
	if err != nil {
		return nil, nil, nil, err
	}
	monitors, err := monitorsFromState(l.state, l.desired)
	if err != nil {
		return nil, nil, nil, exit(ExitInvalid, err)
	}
	db, err := openDB(g)
	if err != nil {
		return nil, nil, nil, exit(ExitError, err)
	}
	return l, monitors, db, nil
}

// openDB opens the local database: the sandbox's, or the data directory's.
func openDB(g *globals) (*store.DB, error) {
	if g.sandbox != "" {
		return store.Open(filepath.Join(g.sandbox, store.DefaultFile))
	}
	dir, err := g.dataDirectory(true)
	if err != nil {
		return nil, err
	}
	return store.Open(store.DefaultPath(dir))
}

// expectFromDesired is what a name must resolve to by the desired state:
// its A and AAAA records, when the state declares the name in a zone and
// none of them is proxied (a proxied name answers the proxy's addresses) nor
// a CNAME. It catches drift at the resolver.
func expectFromDesired(d reconcile.Desired, target string) []string {
	name := strings.TrimSuffix(strings.ToLower(target), ".")
	for _, z := range d.Zones {
		rel := ""
		switch {
		case name == z.Name:
			rel = "@"
		case strings.HasSuffix(name, "."+z.Name):
			rel = strings.TrimSuffix(name, "."+z.Name)
		default:
			continue
		}
		var out []string
		for _, r := range z.Records {
			if r.Name != rel {
				continue
			}
			switch {
			case r.Proxied || r.Type == "CNAME":
				return nil
			case r.Type == "A" || r.Type == "AAAA":
				out = append(out, r.Content)
			}
		}
		return out
	}
	return nil
}

// monitorsFromState turns the declared monitors into probes, by name; a
// dns monitor without expect takes it from the desired state.
func monitorsFromState(st *schema.State, d reconcile.Desired) ([]monitor.Monitor, error) {
	var out []monitor.Monitor
	var errs []error
	for _, name := range slices.Sorted(maps.Keys(st.Monitors)) {
		sm := st.Monitors[name]
		m := monitor.Monitor{Name: name, Kind: sm.Kind, Target: sm.Target, Expect: sm.Expect, Resolver: sm.Resolver,
			FailureThreshold: sm.FailureThreshold, SuccessThreshold: sm.SuccessThreshold, Severity: finding.Severity(sm.Severity)}
		if m.Kind == monitor.DNS && len(m.Expect) == 0 {
			m.Expect = expectFromDesired(d, m.Target)
		}
		iv, err := parseInterval(sm.Interval)
		if err != nil {
			errs = append(errs, fmt.Errorf("monitors.%s.interval: %w", name, err))
		}
		m.Interval = iv
		for _, c := range sm.Conditions {
			pc, err := monitor.ParseCondition(c)
			if err != nil {
				errs = append(errs, fmt.Errorf("monitors.%s.conditions: %w", name, err))
				continue
			}
			m.Conditions = append(m.Conditions, pc)
		}
		if err := m.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("monitors.%s: %w", name, err))
		}
		out = append(out, m)
	}
	return out, errors.Join(errs...)
}

// parseInterval reads 30s, 5m, 6h or 1d ("" is the default minute).
func parseInterval(s string) (time.Duration, error) {
	if s == "" {
		return monitor.DefaultInterval, nil
	}
	if strings.HasSuffix(s, "d") {
		n, err := strconv.Atoi(strings.TrimSuffix(s, "d"))
		if err != nil || n <= 0 {
			return 0, fmt.Errorf("%q is not a duration like 1d", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q is not a duration like 5m", s)
	}
	return d, nil
}

// notifier builds the alert routes and maintenance windows of the state.
func notifier(st *schema.State, db *store.DB) (*alert.Notifier, error) {
	n := &alert.Notifier{DB: db}
	for _, name := range slices.Sorted(maps.Keys(st.Alerts.Routes)) {
		sr := st.Alerts.Routes[name]
		r := alert.Route{Name: name}
		for _, s := range sr.Severities {
			r.Severities = append(r.Severities, finding.Severity(s))
		}
		if sr.Repeat != "" {
			d, err := parseInterval(sr.Repeat)
			if err != nil {
				return nil, fmt.Errorf("alerts.routes.%s.repeat: %w", name, err)
			}
			r.Repeat = d
		}
		if e := sr.Email; e != nil {
			em := &alert.Email{Host: e.Host, Port: e.Port, From: e.From, To: e.To, StartTLS: e.StartTLS}
			for _, c := range []struct {
				ref *schema.CredentialRef
				dst *string
			}{{e.Username, &em.Username}, {e.Password, &em.Password}} {
				if c.ref == nil {
					continue
				}
				v, err := secret.Resolve(*c.ref)
				if err != nil {
					return nil, fmt.Errorf("alerts.routes.%s.email: %w", name, err)
				}
				*c.dst = v
			}
			r.Email = em
		}
		if w := sr.Webhook; w != nil {
			u, err := secret.Resolve(w.URL)
			if err != nil {
				return nil, fmt.Errorf("alerts.routes.%s.webhook.url: %w", name, err)
			}
			r.Webhook = &alert.Webhook{URL: strings.TrimSpace(u)}
		}
		if err := r.Validate(); err != nil {
			return nil, fmt.Errorf("alerts.routes.%s: %w", name, err)
		}
		n.Routes = append(n.Routes, r)
	}
	for _, name := range slices.Sorted(maps.Keys(st.Monitors)) {
		for _, w := range st.Monitors[name].Maintenance {
			wk, err := alert.ParseWeekly(w, time.Local)
			if err != nil {
				return nil, fmt.Errorf("monitors.%s.maintenance %q: %w", name, w, err)
			}
			if n.SourceWindows == nil {
				n.SourceWindows = map[string][]alert.Window{}
			}
			src := "monitor:" + name
			n.SourceWindows[src] = append(n.SourceWindows[src], alert.Window{Name: w, Weekly: &wk})
		}
	}
	for _, w := range st.Monitoring.Maintenance {
		wk, err := alert.ParseWeekly(w, time.Local)
		if err != nil {
			return nil, fmt.Errorf("monitoring.maintenance %q: %w", w, err)
		}
		n.Windows = append(n.Windows, alert.Window{Name: w, Weekly: &wk})
	}
	return n, nil
}

func printChecks(w io.Writer, rs []monitor.Result, findings []finding.Finding) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "MONITOR\tRESULT\tVALUE\tTIME\tDETAIL")
	for _, r := range rs {
		res, detail := "ok", ""
		if !r.OK {
			res = "FAIL"
			detail = strings.Join(append(slices.Clone(r.Failed), r.Error), "; ")
			detail = strings.Trim(detail, "; ")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Monitor, res, r.Value, r.Duration.Round(time.Millisecond), detail)
	}
	tw.Flush()
	if len(rs) == 0 {
		fmt.Fprintln(w, "No monitors are declared in the state.")
	}
	for _, f := range findings {
		fmt.Fprintf(w, "%s %s: %s\n", f.Severity, f.Source, f.Summary)
	}
}

func checkJSON(w io.Writer, rs []monitor.Result, findings []finding.Finding) error {
	type row struct {
		Monitor    string    `json:"monitor"`
		At         time.Time `json:"at"`
		OK         bool      `json:"ok"`
		DurationMs float64   `json:"duration_ms"`
		Value      string    `json:"value,omitempty"`
		Failed     []string  `json:"failed,omitempty"`
		Error      string    `json:"error,omitempty"`
	}
	out := struct {
		FormatVersion string            `json:"format_version"`
		Results       []row             `json:"results"`
		Findings      []finding.Finding `json:"findings"`
	}{FormatVersion: reconcile.FormatVersion, Results: []row{}, Findings: findings}
	if out.Findings == nil {
		out.Findings = []finding.Finding{}
	}
	for _, r := range rs {
		out.Results = append(out.Results, row{r.Monitor, r.At, r.OK, float64(r.Duration.Microseconds()) / 1000, r.Value, r.Failed, r.Error})
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// pageGauges observes each NAS of the state (read-only, one connection
// each) for the page's gauges: every volume's use, memory in use, CPU. An
// unreachable NAS shows no gauge (its finding is drift's business).
func pageGauges(ctx context.Context, g *globals, l *loaded) []statuspage.Gauge {
	var d reconcile.Desired
	for _, set := range l.desired.Resources {
		if set.Provider == "nas" {
			d.Resources = append(d.Resources, set)
		}
	}
	if len(d.Resources) == 0 {
		return nil
	}
	w, err := open(ctx, g, &loaded{state: l.state, desired: d})
	if err != nil {
		return nil
	}
	defer w.close()
	obs, _ := reconcile.Observe(ctx, d, w.providers)
	var out []statuspage.Gauge
	for _, set := range d.Resources {
		ro, ok := obs.Resources[set.Key()]
		if !ok {
			continue
		}
		disk := 90.0
		if t := l.state.NAS[set.Target].Thresholds; t != nil && t.DiskPercent > 0 {
			disk = t.DiskPercent
		}
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

// pageBackups is each backup destination's freshness, when the state
// declares backups and restic is installed here (nothing otherwise).
func pageBackups(ctx context.Context, g *globals, l *loaded, now time.Time) []statuspage.Backup {
	if len(l.state.Backups) == 0 {
		return nil
	}
	if _, err := exec.LookPath("restic"); err != nil {
		return nil
	}
	jobs, deps, closeFn, err := backupSetup(g, l)
	if err != nil {
		return nil
	}
	defer closeFn()
	sts, err := backup.Status(ctx, deps, jobs, now)
	if err != nil {
		return nil
	}
	var out []statuspage.Backup
	for _, st := range sts {
		out = append(out, statuspage.Backup{Job: st.Job, Destination: st.Destination, State: string(st.State), Age: st.Age})
	}
	return out
}

const statusPageHelp = `Usage: itlag status-page --out DIR

Writes DIR/index.html: a static status page from the local database's
history (no external assets; works offline; readable on a phone): per
monitor its current state, uptime over 24 h, 7 d and 30 d, and a
response-time chart; plus the subscriptions' countdowns, each NAS's gauges
(volumes, memory, CPU; observed read-only) and, where restic is installed,
each backup destination's freshness. Run "itlag check"
(or watch) first to fill the history.
`

func runStatusPage(ctx context.Context, e *env, args []string) error {
	fs, g := newFlags(e, "status-page", statusPageHelp)
	out := fs.String("out", "", "write DIR/index.html")
	pos, err := parse(fs, g, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 || *out == "" {
		return exit(ExitError, errors.New("status-page: want --out DIR"))
	}
	l, monitors, db, err := monitoring(e, g)
	if err != nil {
		return err
	}
	defer db.Close()
	now := time.Now().UTC()
	page := statuspage.Page{Title: "Status", GeneratedAt: now, Overall: "ok"}
	for _, m := range monitors {
		pm := statuspage.Monitor{Name: m.Name, Kind: m.Kind, Target: m.Target, Up: true}
		down, since, err := monitor.State(ctx, db, m)
		if err != nil && !errors.Is(err, monitor.ErrNoData) {
			return exit(ExitError, err)
		}
		pm.Up, pm.Since = !down, since
		if down {
			page.Overall = "degraded"
		}
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
		pts, err := monitor.Series(ctx, db, m.Name, now.Add(-24*time.Hour), 10*time.Minute)
		if err == nil {
			for _, p := range pts {
				pm.Series = append(pm.Series, statuspage.Point{At: p.At, Ms: p.AvgMs})
			}
		}
		page.Monitors = append(page.Monitors, pm)
	}
	page.Backups = pageBackups(ctx, g, l, now)
	page.NAS = pageGauges(ctx, g, l)
	for _, ex := range reconcile.Expiries(l.desired, reconcile.Observed{At: now}) {
		page.Subscriptions = append(page.Subscriptions, statuspage.Subscription{Name: ex.Name, Kind: ex.Kind, Date: ex.Date,
			DaysLeft: ex.DaysLeft, Severity: string(ex.Severity)})
	}
	if err := statuspage.Write(*out, page); err != nil {
		return exit(ExitError, err)
	}
	fmt.Fprintf(e.stdout, "Wrote %s.\n", filepath.Join(*out, "index.html"))
	return nil
}
