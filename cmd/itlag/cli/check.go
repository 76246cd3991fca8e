package cli

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/lagrieta/itlag/app"
	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/publish/render"
	"github.com/lagrieta/itlag/publish/statuspage"
)

const checkHelp = `Usage: itlag check [flags]

Runs every monitor the state declares once, all at once (bounded), prints a
table, records the results in the local database (--data-dir), then
observes the whole world read-only, as drift does: the providers (drift is
a finding only when it is a problem, not a plan), subscription and domain
expiry, each NAS's thresholds, dynamic-DNS holds, backup freshness (where
restic is installed), the monitors that are down (failure_threshold
failures in a row, with the monitor's severity), and the security checks:
the TLS of every https and tls monitor, each NAS's sshd, listening ports
and pending updates, and (when exposure: is declared) the office's public
address (see docs/security.md; under --sandbox only
loopback addresses are contacted, and stderr says what was skipped). check, watch, drift and
status-page see the same findings with the same fingerprints. The findings
go to the alert routes of the state (alerts:): one alert when a problem
starts, reminders at the route's interval, one recovery message when it is
gone; nothing during a maintenance window.

When the world cannot be observed (a provider refuses, say), the probes are
still printed and no alert is sent: a partial view would "resolve" problems
nobody looked at.

Exit codes: 0 nothing wrong; 2 a monitor is down or a finding is open; 1 error.
`

func runCheck(ctx context.Context, e *env, args []string) (err error) {
	fs, g := newFlags(e, "check", checkHelp)
	noAlerts := fs.Bool("no-alerts", false, "record and report, but send no alert")
	pos, err := parse(fs, g, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return exit(ExitError, fmt.Errorf("check: unexpected argument %q", pos[0]))
	}
	rt, err := openRuntime(e, g)
	if err != nil {
		return err
	}
	defer closeRuntime(rt, &err)
	res, err := rt.Check(ctx, app.CheckOptions{NoAlerts: *noAlerts})
	if res == nil {
		return exitFor(e, err)
	}
	var findings []finding.Finding
	if obs := res.Observation; obs != nil {
		warnSkipped(e, obs.Observed)
		noteSecurity(e, obs.SecurityNotes)
		findings = obs.Findings
	}
	if g.format == "json" {
		if jerr := render.ChecksJSON(e.stdout, res.Results, findings); jerr != nil {
			return exit(ExitError, jerr)
		}
	} else {
		render.Checks(e.stdout, res.Results, findings)
	}
	if err != nil {
		return exit(ExitError, err)
	}
	if a := res.Alerts; a != nil && a.Sent+a.Failed+a.Held > 0 {
		fmt.Fprintf(e.stderr, "Alerts: %d sent, %d failed, %d held (maintenance).\n", a.Sent, a.Failed, a.Held)
	}
	if len(findings) > 0 {
		return exit(ExitChanges, errSilent)
	}
	return nil
}

const statusPageHelp = `Usage: itlag status-page --out DIR

Writes DIR/index.html: a static status page (no external assets; works
offline; readable on a phone) from one observation of the world, the same
as check and drift make (read-only), and the local database's history: per
monitor its current state, uptime over 24 h, 7 d and 30 d, and a
response-time chart; the open problems (every finding, with the ID of the
incident file drift opened for it); the subscriptions' countdowns (observed
dates first); each NAS's gauges (volumes, memory, CPU) and, where restic is
installed, each backup destination's freshness. Run "itlag check" (or
watch) first to fill the history.
`

func runStatusPage(ctx context.Context, e *env, args []string) (err error) {
	fs, g := newFlags(e, "status-page", statusPageHelp)
	out := fs.String("out", "", "write DIR/index.html")
	pos, err := parse(fs, g, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 || *out == "" {
		return exit(ExitError, fmt.Errorf("status-page: want --out DIR"))
	}
	rt, err := openRuntime(e, g)
	if err != nil {
		return err
	}
	defer closeRuntime(rt, &err)
	obs, err := rt.Observe(ctx, app.ObserveOptions{})
	if err != nil {
		return exitFor(e, err)
	}
	warnSkipped(e, obs.Observed)
	page, err := rt.StatusPage(ctx, obs)
	if err == nil {
		err = statuspage.Write(*out, page)
	}
	if err != nil {
		return exit(ExitError, err)
	}
	fmt.Fprintf(e.stdout, "Wrote %s.\n", filepath.Join(*out, "index.html"))
	return nil
}
