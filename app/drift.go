package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/lagrieta/itlag/publish/gitrepo"
	"github.com/lagrieta/itlag/publish/handbook"
	"github.com/lagrieta/itlag/publish/incidents"
	"github.com/lagrieta/itlag/publish/periodic"
	"github.com/lagrieta/itlag/publish/reports"
	"github.com/lagrieta/itlag/reconcile"
	"github.com/lagrieta/itlag/schema"
	"github.com/lagrieta/itlag/store/safefile"
)

// DriftOptions say where drift writes and whether it commits and pushes.
type DriftOptions struct {
	// Out is the repository directory the reports go into; "" is the Git
	// root of the state directory.
	Out string
	// Commit commits the files that changed; Push pushes the commit
	// (implies Commit).
	Commit, Push bool
	Remote       string
	// Branch to push; "" is the current one.
	Branch string
	// Auth is the push credential (nil: none).
	Auth gitrepo.Auth
	// WeeklyReportDay ("monday"…) makes the drift run of that day (UTC)
	// write the last complete week's report too, when it is not written
	// yet, in the same commit; "" never.
	WeeklyReportDay string
	// Progress (nil: none) hears the "drift" task, one step per phase
	// (mail, history, incidents, reports, weekly report, handbook, commit,
	// push) and per zone, resource set and domain observed.
	Progress Progress
}

// DriftResult is what a drift run observed, wrote and committed.
type DriftResult struct {
	Observation *Observation
	// Commit is the desired state's commit (the last one that touched it).
	Commit string
	Saved  *reconcile.Saved
	Status reports.Status
	// Changed are the files written, relative to the repository.
	Changed []string
	// Summary is the commit message's summary ("2 change(s), 1 opened").
	Summary string
	// Committed is the new commit's hash, "" when nothing was committed.
	Committed string
	// Pushed is set once the commit is on Remote.
	Pushed bool
	Remote string
}

// Dirty reports whether the world differs from the state or a finding is
// open.
func (r *DriftResult) Dirty() bool {
	return !r.Observation.Plan.Empty() || len(r.Observation.Findings) > 0
}

// Drift reads the declared mailboxes once (what they say is in the
// observation), observes everything (Observe), then updates the incidents (opened,
// updated, resolved by fingerprint), keeps a refused plan waiting for
// approval, writes the reports, and commits and pushes what changed.
func (rt *Runtime) Drift(ctx context.Context, o DriftOptions) (*DriftResult, error) {
	prog := progressOr(o.Progress)
	prog.Start("drift", 1+rt.observeSteps()+1+driftFromSteps(o))
	defer prog.Done()
	prog.Phase("mail")
	if _, err := rt.readMail(ctx); err != nil {
		return nil, err
	}
	prog.Add(1)
	obs, err := rt.observe(ctx, ObserveOptions{}, prog)
	if err != nil {
		return nil, err
	}
	prog.Phase("history")
	if err := rt.recordHistory(ctx, obs); err != nil {
		return nil, err
	}
	prog.Add(1)
	return rt.driftFrom(ctx, obs, o, prog)
}

// DriftFrom is Drift from an observation already made.
func (rt *Runtime) DriftFrom(ctx context.Context, obs *Observation, o DriftOptions) (*DriftResult, error) {
	prog := progressOr(o.Progress)
	prog.Start("drift", driftFromSteps(o))
	defer prog.Done()
	return rt.driftFrom(ctx, obs, o, prog)
}

// driftFromSteps is how many steps driftFrom counts with o.
func driftFromSteps(o DriftOptions) int {
	n := 4 // incidents, reports, weekly report, handbook
	if o.Commit || o.Push {
		n++
	}
	if o.Push {
		n++
	}
	return n
}

// driftFrom is DriftFrom counting driftFromSteps(o) steps on prog, which
// the caller started.
func (rt *Runtime) driftFrom(ctx context.Context, obs *Observation, o DriftOptions, prog Progress) (*DriftResult, error) {
	if o.Out == "" {
		o.Out = gitrepo.Root(rt.Opts.StateDir)
	}
	o.Commit = o.Commit || o.Push
	if o.Remote == "" {
		o.Remote = "origin"
	}
	if o.Push && rt.Sandboxed() {
		// checked before anything is written: under --sandbox nothing
		// leaves the machine
		if err := gitrepo.RequireLocalRemote(o.Out, o.Remote); err != nil {
			return nil, fmt.Errorf("drift --push: %w", err)
		}
	}
	res := &DriftResult{Observation: obs, Commit: rt.stateCommit(o.Out)}
	res.Saved = reconcile.NewSaved(obs.Plan, rt.Desired, obs.Observed, res.Commit, obs.At)
	headline, err := rt.rollingHeadline(ctx, obs, o.Out)
	if err != nil {
		return nil, err
	}
	changed, summary, err := writeDrift(o.Out, res, declaredAreas(rt.State), headline, prog)
	if err != nil {
		return nil, err
	}
	prog.Phase("weekly report")
	weekly, err := rt.weeklyReportDue(ctx, obs, o)
	if err != nil {
		return nil, err
	}
	prog.Add(1)
	if len(weekly) > 0 {
		changed = append(changed, weekly...)
		summary += ", weekly report"
	}
	prog.Phase("handbook")
	book, bookOwned, err := rt.driftHandbook(o.Out)
	if err != nil {
		return nil, fmt.Errorf("drift: %w", err)
	}
	prog.Add(1)
	if len(book) > 0 {
		changed = append(changed, book...)
		summary += ", handbook"
	}
	res.Changed, res.Summary = changed, summary
	if !o.Commit {
		return res, nil
	}
	prog.Phase("commit")
	msg := "drift: " + summary
	// the audit trail rides along: the entries of the applies since the
	// last commit, and this commit's own
	// what an earlier run without --commit (watch's drift, a drift by
	// hand) wrote and left uncommitted is committed too
	own, err := ownFiles(o.Out)
	if err != nil {
		return res, fmt.Errorf("drift --commit: %w", err)
	}
	own = append(own, bookOwned...)
	paths, err := rt.auditDriftCommit(ctx, o.Out, slices.Compact(slices.Sorted(slices.Values(append(own, changed...)))), summary)
	if err != nil {
		return res, fmt.Errorf("drift --commit: %w", err)
	}
	if len(paths) > 0 {
		hash, did, err := gitrepo.Commit(o.Out, paths, msg, gitrepo.Signature{})
		if err != nil {
			return res, fmt.Errorf("drift --commit: %w", err)
		}
		if did {
			res.Committed = hash
		}
	}
	prog.Add(1)
	if !o.Push {
		return res, nil
	}
	prog.Phase("push")
	rebuild, err := rt.auditRebuild(ctx, o.Out, res)
	if err != nil {
		return res, fmt.Errorf("drift --push: %w", err)
	}
	branch := o.Branch
	if branch == "" {
		if branch = gitrepo.CurrentBranch(o.Out); branch == "" {
			return res, errors.New("drift --push: HEAD is not on a branch; name it with --branch")
		}
	}
	remote := o.Remote
	if err := gitrepo.Push(ctx, o.Out, remote, branch, o.Auth, rebuild, gitrepo.DefaultMaxAttempts); err != nil {
		return res, fmt.Errorf("drift --push: %w", err)
	}
	res.Pushed, res.Remote = true, remote
	prog.Add(1)
	return res, nil
}

// ownFiles are the files drift writes that lie in dir now: the reports
// and the incidents, relative to dir.
func ownFiles(dir string) ([]string, error) {
	var out []string
	for _, pattern := range []string{reports.Dir + "/*", incidents.Dir + "/*.md"} {
		m, err := filepath.Glob(filepath.Join(dir, filepath.FromSlash(pattern)))
		if err != nil {
			return nil, err
		}
		for _, p := range m {
			if fi, err := os.Lstat(p); err == nil && fi.Mode().IsRegular() {
				rel, _ := filepath.Rel(dir, p)
				out = append(out, filepath.ToSlash(rel))
			}
		}
	}
	return out, nil
}

// stateCommit is the desired state's commit: the last one that changed the
// state directory, not counting what itlag itself writes into the
// repository out (reports, incidents, the audit trail), so that drift's
// own commits never make a new desired state, even with the state at the
// repository's root.
func (rt *Runtime) stateCommit(out string) string {
	own := []string{filepath.Join(out, reports.Dir), filepath.Join(out, incidents.Dir), rt.AuditDir()}
	if dir := handbook.Dir(rt.State); dir != "" {
		own = append(own, filepath.Join(out, filepath.FromSlash(dir)))
	}
	return gitrepo.StateCommit(rt.Opts.StateDir, own...)
}

// PushAuth is the push credential named by reference: a token in an
// environment variable or a file, or an SSH key with pinned host keys.
func PushAuth(tokenEnv, tokenFile, sshKey, knownHosts string) (gitrepo.Auth, error) {
	switch {
	case tokenEnv != "" && tokenFile != "", (tokenEnv != "" || tokenFile != "") && sshKey != "":
		return nil, errors.New("drift --push: give one credential: --token-env, --token-file or --ssh-key")
	case tokenEnv != "":
		return gitrepo.TokenFromRef("", schema.CredentialRef{Env: tokenEnv})
	case tokenFile != "":
		return gitrepo.TokenFromRef("", schema.CredentialRef{File: tokenFile})
	case sshKey != "":
		if knownHosts == "" {
			return nil, errors.New("drift --push: --ssh-key needs --known-hosts (the Git server's host key, pinned)")
		}
		return gitrepo.SSHKey{User: "git", KeyFile: sshKey, KnownHosts: knownHosts}, nil
	}
	return nil, nil
}

// planFile is where drift keeps a plan that waits for an approval.
const planFile = "reports/plan.json"

// writeDrift updates the incidents, the saved plan waiting for approval
// and the reports in dir (the areas not in declared reported as not
// declared); it returns the paths it changed and a summary for the commit
// message. It counts two steps on prog: "incidents" and "reports".
func writeDrift(dir string, res *DriftResult, declared map[string]bool, headline *periodic.Headline, prog Progress) ([]string, string, error) {
	obs := res.Observation
	prog.Phase("incidents")
	ch, err := incidents.Update(dir, obs.Findings, obs.At)
	if err != nil {
		return nil, "", err
	}
	var changed []string
	for _, list := range [][]incidents.Incident{ch.Opened, ch.Updated, ch.Resolved} {
		for _, inc := range list {
			changed = append(changed, "incidents/"+inc.ID+".md")
		}
	}
	open, err := OpenIncidents(dir)
	if err != nil {
		return nil, "", err
	}
	prog.Add(1)
	prog.Phase("reports")
	approvals, planChanged, err := pendingApprovals(dir, res)
	if err != nil {
		return nil, "", err
	}
	if planChanged {
		changed = append(changed, planFile)
	}
	in := reports.Input{At: obs.At, GitCommit: res.Commit, Plan: obs.Plan, Findings: obs.Findings,
		Incidents: open, Approvals: approvals, Metrics: obs.Metrics, Declared: declared,
		Confirmations: statusConfirmations(obs.Mail), Headline: headline}
	rch, err := reports.Write(dir, in)
	if err != nil {
		return nil, "", err
	}
	res.Status = reports.BuildStatus(in)
	prog.Add(1)
	changed = append(changed, rch...)
	slices.Sort(changed)
	summary := fmt.Sprintf("%d change(s)", len(obs.Plan.Changes))
	if s := incidents.Summary(ch); s != "" {
		summary += ", " + s
	}
	return slices.Compact(changed), summary, nil
}

// OpenIncidents lists the open incidents of the repository dir.
func OpenIncidents(dir string) ([]reports.IncidentRef, error) {
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
// (rewritten only when its changes or the rules it breaks differ: a file
// edited to say otherwise is replaced) and lists it as waiting for an
// approval, unless approvals/<checksum>.yaml is committed already.
func pendingApprovals(dir string, res *DriftResult) ([]reports.Approval, bool, error) {
	plan := res.Observation.Plan
	path := filepath.Join(dir, filepath.FromSlash(planFile))
	if !plan.Blocked() {
		if _, err := os.Lstat(path); err == nil {
			return nil, true, safefile.Remove(dir, planFile)
		}
		return nil, false, nil
	}
	saved, changed := res.Saved, true
	if old, err := reconcile.ReadSaved(path); err == nil && SameChanges(old.Plan, plan) && sameRules(old.Plan, plan) {
		saved, changed = old, false
	}
	if changed {
		if err := reconcile.WriteSavedIn(dir, planFile, saved); err != nil {
			return nil, false, err
		}
	}
	// only a committed approval counts, as at apply
	if a, _, err := gitrepo.CommittedApproval(dir, saved.Checksum); err == nil && a != nil {
		return nil, changed, nil
	}
	a := reports.Approval{Checksum: saved.Checksum}
	for _, r := range plan.Refusals {
		a.Rules = append(a.Rules, string(r.Rule))
		a.Addresses = append(a.Addresses, r.Addresses...)
		a.Message = strings.TrimSpace(a.Message + " " + r.Message)
	}
	return []reports.Approval{a}, changed, nil
}

// sameRules reports whether two plans list the same refused and allowed
// rules.
func sameRules(a, b *reconcile.Planned) bool {
	ja, err1 := json.Marshal([2][]reconcile.Refusal{a.Refusals, a.Allowed})
	jb, err2 := json.Marshal([2][]reconcile.Refusal{b.Refusals, b.Allowed})
	return err1 == nil && err2 == nil && string(ja) == string(jb)
}
