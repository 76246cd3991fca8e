package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/lagrieta/itlag/app"
	"github.com/lagrieta/itlag/publish/periodic"
)

const reportHelp = `Usage: itlag report weekly|monthly [--period P] [--out DIR] [--commit]

Writes the weekly or monthly IT report for CEO_LAG and MEDIA_LAG into the
repository: reports/KIND/NAME.md (Markdown, with its SVG charts in
reports/KIND/NAME/) and reports/KIND/NAME.json (the same figures for agents;
format_version "1", documented in docs/reports.md).

It observes the world once (today's renewal dates, certificates, security
findings) and reads the history of the period: the monitors' results
(uptime against each monitor's slo, response-time percentiles and trend,
outages), the incidents (opened, resolved, mean time to alert and to
resolve), the alerts sent, the backup runs (success rate, durations, data
added against data read, last check and restore drill, 3-2-1), the numbers
check, drift and watch measured (NAS volumes with their growth and the
date each fills, pending updates), the audit trail (host keys pinned), and
the previous period's report (last period's recommendations and whether
they still hold). Recommendations come from fixed, documented rules, each
with its evidence.

A figure without data is null in JSON and "no data" in Markdown, never 0.

Flags:
  --period P   the period: an ISO week (2026-W49, or a day of it, 2026-12-01)
               or a month (2026-11); default the last complete one. A period
               not over yet is reported up to now.
  --out DIR    the repository to write into (default: the state's repository)
  --commit     commit the report's files (never an empty commit)
  --mail ROUTE send the report to the alert route's e-mail (alerts.routes.ROUTE.email)
               as HTML with the charts inline; under --sandbox it lands in DIR/outbox/
`

func runReport(ctx context.Context, e *env, args []string) (err error) {
	fs, g := newFlags(e, "report", reportHelp)
	period := fs.String("period", "", "the week (2026-W49) or month (2026-11)")
	out := fs.String("out", "", "the repository to write into")
	commit := fs.Bool("commit", false, "commit the report's files")
	mailTo := fs.String("mail", "", "send it to this alert `ROUTE`'s e-mail")
	pos, err := parse(fs, g, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || (pos[0] != periodic.Weekly && pos[0] != periodic.Monthly) {
		return exit(ExitError, errors.New("report: want weekly or monthly (see itlag report --help)"))
	}
	if g.format == "markdown" {
		return exit(ExitError, errors.New("report: --format markdown is not supported: the Markdown is written into the repository; want text or json"))
	}
	rt, err := openRuntime(e, g)
	if err != nil {
		return err
	}
	defer closeRuntime(rt, &err)
	res, err := rt.Report(ctx, app.ReportOptions{Kind: pos[0], Period: *period, Out: *out, Commit: *commit})
	if err != nil {
		return exit(ExitError, err)
	}
	sent := ""
	if *mailTo != "" {
		if sent, err = rt.MailReport(ctx, res, *mailTo); err != nil {
			return exit(ExitError, err)
		}
	}
	if g.format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res.Report)
	}
	r := res.Report
	fmt.Fprintf(e.stdout, "Report %s %s (%s to %s):\n", r.Period.Kind, r.Period.Name, r.Period.Start.Format("2006-01-02"), r.Period.End.Format("2006-01-02"))
	for _, f := range res.Files {
		fmt.Fprintf(e.stdout, "  wrote %s\n", f)
	}
	fmt.Fprintf(e.stdout, "%d recommendation(s).", len(r.Improvement.Recommendations))
	if res.Committed != "" {
		fmt.Fprintf(e.stdout, " Committed %.12s.", res.Committed)
	}
	if sent != "" {
		fmt.Fprintf(e.stdout, " Mailed to %s.", sent)
	}
	fmt.Fprintln(e.stdout)
	return nil
}
