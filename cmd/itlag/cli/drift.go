package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/ops/backup"
	"github.com/lagrieta/itlag/publish/gitrepo"
	"github.com/lagrieta/itlag/publish/incidents"
	"github.com/lagrieta/itlag/publish/reports"
	"github.com/lagrieta/itlag/reconcile"
	"github.com/lagrieta/itlag/schema"
)

const driftHelp = `Usage: itlag drift [flags]

Read-only: observes every provider, plans, and gathers every finding (NAS
thresholds, expiry dates, dynamic-DNS refusals, backups when restic is
installed), then writes into the repository (--out, default the root of the
Git repository holding --state):

  reports/drift.md       for people: overall state, areas, incidents, approvals, the plan
  reports/status.json    for machines: the contract other agents read (README)
  incidents/ID.md        one per incident: opened, updated, resolved by fingerprint

Files change only when the situation did (a new time stamp or new metrics
alone change nothing). With --commit the changed files are committed (only
them, and only when they changed); with --push the commit is pushed, and a
push race is resolved by fetching, redoing the write on top, and retrying:
never a force push.

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
}

func runDrift(ctx context.Context, e *env, args []string) error {
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
	pos, err := parse(fs, g, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return exit(ExitError, fmt.Errorf("drift: unexpected argument %q", pos[0]))
	}
	o.commit = o.commit || o.push
	if o.out == "" {
		o.out = repoRoot(g.state)
	}
	l, err := load(e, g)
	if err != nil {
		return err
	}
	run, err := observeForDrift(ctx, e, g, l)
	if err != nil {
		return exit(ExitError, err)
	}
	changed, summary, err := writeDrift(o.out, run)
	if err != nil {
		return exit(ExitError, err)
	}
	fmt.Fprintf(e.stdout, "Drift: %s. Overall %s.\n", summary, run.status.Overall)
	if len(changed) == 0 {
		fmt.Fprintln(e.stdout, "Nothing changed in the reports.")
	} else {
		fmt.Fprintf(e.stdout, "Changed: %s\n", strings.Join(changed, ", "))
	}
	if o.commit {
		if err := commitDrift(ctx, e, o, run, changed, summary); err != nil {
			return exit(ExitError, err)
		}
	}
	if run.plan.Empty() && len(run.findings) == 0 {
		return nil
	}
	return exit(ExitChanges, errSilent)
}

// driftRun is what one observation found.
type driftRun struct {
	at       time.Time
	commit   string
	plan     *reconcile.Planned
	saved    *reconcile.Saved
	findings []finding.Finding
	metrics  map[string]float64
	status   reports.Status
}

// observeForDrift observes, plans and gathers the findings (backups too,
// when restic is there and the state declares any).
func observeForDrift(ctx context.Context, e *env, g *globals, l *loaded) (*driftRun, error) {
	w, err := open(ctx, g, l)
	if err != nil {
		return nil, err
	}
	p, obs, err := observeAndPlan(ctx, e, l, w, nil)
	if cerr := w.close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	run := &driftRun{at: time.Now().UTC(), commit: stateCommit(g.state), plan: p, metrics: map[string]float64{}}
	run.saved = reconcile.NewSaved(p, l.desired, obs, run.commit, run.at)
	run.findings = slices.Clone(p.Findings)
	for key, ro := range obs.Resources {
		for name, v := range ro.Metrics {
			run.metrics[key+"/"+name] = v
		}
	}
	run.findings = append(run.findings, backupFindings(ctx, g, l, run.at)...)
	slices.SortFunc(run.findings, func(a, b finding.Finding) int {
		return strings.Compare(fmt.Sprint(a.Severity.Rank(), a.Source, a.Fingerprint), fmt.Sprint(b.Severity.Rank(), b.Source, b.Fingerprint))
	})
	return run, nil
}

// backupFindings asks restic for the state of every backup job; without
// restic, one low finding says the backups were not checked.
func backupFindings(ctx context.Context, g *globals, l *loaded, now time.Time) []finding.Finding {
	if len(l.state.Backups) == 0 {
		return nil
	}
	if _, err := exec.LookPath("restic"); err != nil {
		return []finding.Finding{finding.New(finding.Low, "backup:", "no-restic",
			"restic is not installed here: the backups were not checked (run itlag backup status where they run)")}
	}
	jobs, deps, closeFn, err := backupSetup(g, l)
	if err != nil {
		f := finding.New(finding.High, "backup:", "setup", "the backups could not be checked")
		f.Detail = err.Error()
		return []finding.Finding{f}
	}
	defer closeFn()
	sts, err := backup.Status(ctx, deps, jobs, now)
	if err != nil {
		f := finding.New(finding.High, "backup:", "status", "the backups could not be checked")
		f.Detail = err.Error()
		return []finding.Finding{f}
	}
	return backup.Findings(sts)
}

// repoRoot is the work tree root of the Git repository holding dir, or
// "." when dir is in none.
func repoRoot(dir string) string {
	repo, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true})
	if err != nil {
		return "."
	}
	wt, err := repo.Worktree()
	if err != nil {
		return "."
	}
	return wt.Filesystem.Root()
}

var errNoRepo = errors.New("drift --commit: the reports directory is not in a Git repository")

// planFile is where drift keeps a plan that waits for an approval.
const planFile = "reports/plan.json"

// writeDrift updates the incidents, the saved plan waiting for approval
// and the reports in dir; it returns the paths it changed and a summary
// for the commit message.
func writeDrift(dir string, run *driftRun) ([]string, string, error) {
	ch, err := incidents.Update(dir, run.findings, run.at)
	if err != nil {
		return nil, "", err
	}
	var changed []string
	for _, list := range [][]incidents.Incident{ch.Opened, ch.Updated, ch.Resolved} {
		for _, inc := range list {
			changed = append(changed, "incidents/"+inc.ID+".md")
		}
	}
	open, err := openIncidents(dir)
	if err != nil {
		return nil, "", err
	}
	approvals, planChanged, err := pendingApprovals(dir, run)
	if err != nil {
		return nil, "", err
	}
	if planChanged {
		changed = append(changed, planFile)
	}
	in := reports.Input{At: run.at, GitCommit: run.commit, Plan: run.plan, Findings: run.findings,
		Incidents: open, Approvals: approvals, Metrics: run.metrics}
	rch, err := reports.Write(dir, in)
	if err != nil {
		return nil, "", err
	}
	run.status = reports.BuildStatus(in)
	changed = append(changed, rch...)
	slices.Sort(changed)
	summary := fmt.Sprintf("%d change(s)", len(run.plan.Changes))
	if s := incidents.Summary(ch); s != "" {
		summary += ", " + s
	}
	return slices.Compact(changed), summary, nil
}

// openIncidents lists the open incidents of the repository dir for
// status.json.
func openIncidents(dir string) ([]reports.IncidentRef, error) {
	all, err := incidents.Load(dir)
	if err != nil {
		return nil, err
	}
	var out []reports.IncidentRef
	for _, inc := range all {
		if inc.Status == incidents.StatusOpen {
			out = append(out, reports.IncidentRef{ID: inc.ID, Severity: inc.Severity, Source: inc.Source, Summary: inc.Summary, Since: inc.FirstSeen})
		}
	}
	return out, nil
}

// pendingApprovals keeps a plan the safety rules refuse in reports/plan.json
// (rewritten only when its changes differ) and lists it as waiting for an
// approval, unless approvals/<checksum>.yaml exists already.
func pendingApprovals(dir string, run *driftRun) ([]reports.Approval, bool, error) {
	path := filepath.Join(dir, filepath.FromSlash(planFile))
	if !run.plan.Blocked() {
		if _, err := os.Stat(path); err == nil {
			return nil, true, os.Remove(path)
		}
		return nil, false, nil
	}
	saved, changed := run.saved, true
	if old, err := reconcile.ReadSaved(path); err == nil && sameChanges(old.Plan, run.plan) {
		saved, changed = old, false
	}
	if changed {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, false, err
		}
		if err := reconcile.WriteSaved(path, saved); err != nil {
			return nil, false, err
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "approvals", saved.Checksum+".yaml")); err == nil {
		return nil, changed, nil
	}
	a := reports.Approval{Checksum: saved.Checksum}
	for _, r := range run.plan.Refusals {
		a.Rules = append(a.Rules, string(r.Rule))
		a.Addresses = append(a.Addresses, r.Addresses...)
		a.Message = strings.TrimSpace(a.Message + " " + r.Message)
	}
	return []reports.Approval{a}, changed, nil
}

// commitDrift commits (and pushes) what changed; on a push race the write
// is redone on top of the new remote head from the same observation.
func commitDrift(ctx context.Context, e *env, o driftOpts, run *driftRun, changed []string, summary string) error {
	msg := "drift: " + summary
	if len(changed) == 0 {
		fmt.Fprintln(e.stdout, "Nothing to commit.")
	} else {
		hash, did, err := gitrepo.Commit(o.out, changed, msg, gitrepo.Signature{})
		if err != nil {
			return fmt.Errorf("drift --commit: %w", err)
		}
		if did {
			fmt.Fprintf(e.stdout, "Committed %.12s: %s\n", hash, msg)
		} else {
			fmt.Fprintln(e.stdout, "Nothing to commit.")
		}
	}
	if !o.push {
		return nil
	}
	rebuild := func(repoDir string) ([]string, string, error) {
		ch, sum, err := writeDrift(repoDir, run)
		return ch, "drift: " + sum, err
	}
	auth, err := pushAuth(o)
	if err != nil {
		return err
	}
	branch := o.branch
	if branch == "" {
		if branch = currentBranch(o.out); branch == "" {
			return errors.New("drift --push: HEAD is not on a branch; name it with --branch")
		}
	}
	if err := gitrepo.Push(ctx, o.out, o.remote, branch, auth, rebuild, gitrepo.DefaultMaxAttempts); err != nil {
		return fmt.Errorf("drift --push: %w", err)
	}
	fmt.Fprintf(e.stdout, "Pushed to %s.\n", o.remote)
	return nil
}

// pushAuth is the push credential the flags name, by reference: a token
// (environment variable or file) or an SSH key with pinned host keys.
func pushAuth(o driftOpts) (gitrepo.Auth, error) {
	switch {
	case o.tokenEnv != "" && o.tokenFile != "", (o.tokenEnv != "" || o.tokenFile != "") && o.sshKey != "":
		return nil, errors.New("drift --push: give one credential: --token-env, --token-file or --ssh-key")
	case o.tokenEnv != "":
		return gitrepo.TokenFromRef("", schema.CredentialRef{Env: o.tokenEnv})
	case o.tokenFile != "":
		return gitrepo.TokenFromRef("", schema.CredentialRef{File: o.tokenFile})
	case o.sshKey != "":
		if o.knownHosts == "" {
			return nil, errors.New("drift --push: --ssh-key needs --known-hosts (the Git server's host key, pinned)")
		}
		return gitrepo.SSHKey{User: "git", KeyFile: o.sshKey, KnownHosts: o.knownHosts}, nil
	}
	return nil, nil
}
