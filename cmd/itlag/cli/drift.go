package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/lagrieta/itlag/app"
)

const driftHelp = `Usage: itlag drift [flags]

Read-only: observes every provider, plans, and gathers every finding (NAS
thresholds, expiry dates, dynamic-DNS refusals, backups when restic is
installed), then writes into the repository (--out, default the root of the
Git repository holding --state):

  reports/drift.md       for people: overall state, areas, incidents, approvals, the plan
  reports/status.json    for machines: the contract other agents read (docs/formats.md)
  incidents/ID.md        one per incident: opened, updated, resolved by fingerprint
  reports/approvals.json for agents: the plans waiting for an approval

status.json carries CEO_LAG's headline figures over the last 7 days
(uptime, backup success rate, mean time to resolve, days to the next
renewal and until a volume fills). With --weekly-report DAY, the run on
that day (UTC) also writes the last complete week's report
(reports/weekly/, see itlag report --help) into the same commit, once.

Files change only when the situation did (a new time stamp or new metrics
alone change nothing). With --commit the reports and incidents that differ
from the last commit are committed (only them: this run's changes, and what
an earlier drift without --commit left uncommitted); with --push the commit is pushed, and a
push race is resolved by fetching, redoing the write on top, and retrying:
never a force push. A commit carries the audit trail too (audit/*.jsonl,
when it lies in the repository): the entries of the applies since the last
commit, and the commit's own drift-commit entry; after a lost push race the
entries are appended again on top of the remote's trail.

Exit codes: 0 in sync and nothing open; 2 drift or open findings; 1 error.
`

type driftOpts struct {
	out          string
	commit, push bool
	remote       string
	branch       string
	tokenEnv     string
	tokenFile    string
	sshKey       string
	knownHosts   string
	weeklyDay    string
}

func runDrift(ctx context.Context, e *env, args []string) (err error) {
	fs, g := newFlags(e, "drift", driftHelp)
	var o driftOpts
	fs.StringVar(&o.out, "out", "", "the repository `DIR` the reports go into (default the Git root of --state)")
	fs.BoolVar(&o.commit, "commit", false, "commit the reports and incidents that changed")
	fs.BoolVar(&o.push, "push", false, "push the commit (implies --commit)")
	fs.StringVar(&o.remote, "remote", "origin", "the `REMOTE` to push to")
	fs.StringVar(&o.branch, "branch", "", "the `BRANCH` to push (default the current one)")
	fs.StringVar(&o.tokenEnv, "token-env", "", "push over HTTPS with the token in environment variable `NAME` (GitHub: GITHUB_TOKEN)")
	fs.StringVar(&o.tokenFile, "token-file", "", "push over HTTPS with the token in `FILE`")
	fs.StringVar(&o.sshKey, "ssh-key", "", "push over SSH with the private key in `FILE`")
	fs.StringVar(&o.knownHosts, "known-hosts", "", "the known_hosts `FILE` pinning the Git server's host key (required with --ssh-key)")
	fs.StringVar(&o.weeklyDay, "weekly-report", "", "on this `DAY` (monday…sunday, UTC) also write last week's report, once")
	pos, err := parse(fs, g, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return exit(ExitError, fmt.Errorf("drift: unexpected argument %q", pos[0]))
	}
	if d := strings.ToLower(o.weeklyDay); d != "" && !slices.Contains([]string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}, d) {
		return exit(ExitError, fmt.Errorf("drift: --weekly-report %q: want a day of the week (monday…sunday)", o.weeklyDay))
	}
	do := app.DriftOptions{Out: o.out, Commit: o.commit || o.push, Push: o.push, Remote: o.remote, Branch: o.branch, WeeklyReportDay: o.weeklyDay,
		Progress: progressFor(e, g.format)}
	if o.push {
		if do.Auth, err = app.PushAuth(o.tokenEnv, o.tokenFile, o.sshKey, o.knownHosts); err != nil {
			return exit(ExitError, err)
		}
	}
	rt, err := openRuntime(e, g)
	if err != nil {
		return err
	}
	defer closeRuntime(rt, &err)
	res, err := rt.Drift(ctx, do)
	if res != nil {
		warnSkipped(e, res.Observation.Observed)
		noteSecurity(e, res.Observation.SecurityNotes)
		printDrift(e, res, do.Commit)
	}
	if err != nil {
		return exitFor(e, err)
	}
	if !res.Dirty() {
		return nil
	}
	return exit(ExitChanges, errSilent)
}

// printDrift says what drift found, wrote, committed and pushed.
func printDrift(e *env, res *app.DriftResult, commit bool) {
	fmt.Fprintf(e.stdout, "Drift: %s. Overall %s.\n", res.Summary, res.Status.Overall)
	if len(res.Changed) == 0 {
		fmt.Fprintln(e.stdout, "Nothing changed in the reports.")
	} else {
		fmt.Fprintf(e.stdout, "Changed: %s\n", strings.Join(res.Changed, ", "))
	}
	if !commit {
		return
	}
	if res.Committed != "" {
		fmt.Fprintf(e.stdout, "Committed %.12s: drift: %s\n", res.Committed, res.Summary)
	} else {
		fmt.Fprintln(e.stdout, "Nothing to commit.")
	}
	if res.Pushed {
		fmt.Fprintf(e.stdout, "Pushed to %s.\n", res.Remote)
	}
}
