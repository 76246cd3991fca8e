package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lagrieta/itlag/publish/gitrepo"
	"github.com/lagrieta/itlag/reconcile"
)

// Plan observes the providers (read-only) and plans the changes that make
// them match the desired state, with the rules in allow waived.
func (rt *Runtime) Plan(ctx context.Context, allow map[reconcile.Rule]bool) (*reconcile.Planned, reconcile.Observed, error) {
	return rt.planWorld(ctx, rt.Desired, rt.policy(allow), NoProgress{})
}

// SavePlan writes p (planned against obs) to path for a later apply, with
// the desired state's Git commit, and returns what was saved.
func (rt *Runtime) SavePlan(path string, p *reconcile.Planned, obs reconcile.Observed) (*reconcile.Saved, error) {
	s := reconcile.NewSaved(p, rt.Desired, obs, gitrepo.HeadCommit(rt.Opts.StateDir), time.Now().UTC())
	if err := reconcile.WriteSaved(path, s); err != nil {
		return nil, err
	}
	return s, nil
}

// Approval is a committed approval of a saved plan's refused rules.
type Approval struct {
	gitrepo.Approval
	// File is where it was found ("approvals/<checksum>.yaml").
	File string
}

// ApplyOptions say what an apply may do.
type ApplyOptions struct {
	// Saved, when set, is the reviewed plan to apply exactly: it is
	// refused when stale.
	Saved *reconcile.Saved
	// Allow are the safety rules waived by a person (--allow).
	Allow map[reconcile.Rule]bool
	// LockTimeout is how long to wait for another apply to finish.
	LockTimeout time.Duration
	// Providers, when set, limits the apply to the resource sets of these
	// providers (watch keeps the dynamic-DNS hosts with "noip").
	Providers []string
	// Progress (nil: none) hears two tasks: "observe" while PrepareApply
	// observes and plans, and "apply" while Run carries out the changes
	// (one step per change, counted batch by batch).
	Progress Progress
}

// PendingApply is an apply under the lock, planned and checked, waiting to
// be carried out (or abandoned: Close releases the lock either way).
type PendingApply struct {
	rt       *Runtime
	unlock   func() error
	Plan     *reconcile.Planned
	Observed reconcile.Observed
	// Approval is the committed approval that allowed a saved plan's
	// refusals, if one did.
	Approval *Approval
	// saved is the reviewed plan applied, if any; plannedAt when the
	// world was observed (for the audit trail's plan checksum).
	saved     *reconcile.Saved
	plannedAt time.Time
	prog      Progress
}

// PrepareApply takes the apply lock, observes, plans, and checks a saved
// plan's freshness. The plan may still be Blocked (refused by a safety
// rule) or Empty: see Run. The caller closes the result.
//
// The safety rules are evaluated afresh, against the state's policy, on
// the fresh plan; a saved plan is applied only when that fresh plan holds
// exactly its changes. A rule is waived only by o.Allow (--allow) or, for a
// saved plan, by an approval committed for its checksum: never by what the
// plan file says it allowed or refused, which anyone can edit (its checksum
// is a plain digest that identifies the plan, not a signature).
func (rt *Runtime) PrepareApply(ctx context.Context, o ApplyOptions) (*PendingApply, error) {
	allow := map[reconcile.Rule]bool{}
	for r, ok := range o.Allow {
		allow[r] = ok
	}
	unlock, err := reconcile.Lock(rt.Opts.StateDir, o.LockTimeout)
	if err != nil {
		return nil, fmt.Errorf("apply: %w", err)
	}
	// nothing is changed that the audit trail could not record
	if err := rt.auditReady(ctx); err != nil {
		unlock()
		return nil, fmt.Errorf("apply: %w", err)
	}
	pa := &PendingApply{rt: rt, unlock: unlock, saved: o.Saved, plannedAt: time.Now().UTC(), prog: progressOr(o.Progress)}
	desired, pol := rt.Desired, rt.policy(allow)
	if len(o.Providers) > 0 {
		desired, pol = scoped(rt.Desired, o.Providers), reconcile.Policy{Allow: allow}
	}
	pa.prog.Start("observe", planSteps(desired))
	pa.Plan, pa.Observed, err = rt.planWorld(ctx, desired, pol, pa.prog)
	pa.prog.Done()
	if err != nil {
		unlock()
		return nil, err
	}
	if o.Saved != nil {
		if err := rt.checkFresh(o.Saved, pa.Plan, pa.Observed); err != nil {
			unlock()
			return nil, err
		}
		if pa.Approval, err = rt.approve(o.Saved.Checksum, pa.Plan); err != nil {
			unlock()
			return nil, err
		}
	}
	return pa, nil
}

// approve waives the refusals of p that an approval committed for the
// saved plan's checksum covers (all of them when it names no rules), and
// returns that approval (nil when none is committed or p refuses nothing).
func (rt *Runtime) approve(checksum string, p *reconcile.Planned) (*Approval, error) {
	if !p.Blocked() {
		return nil, nil
	}
	a, name, err := gitrepo.CommittedApproval(rt.Opts.StateDir, checksum)
	if err != nil {
		return nil, fmt.Errorf("apply: %w", err)
	}
	if a == nil {
		return nil, nil
	}
	p.Waive(func(r reconcile.Rule) bool {
		return len(a.Rules) == 0 || slices.Contains(a.Rules, string(r))
	}, "approved in "+name)
	return &Approval{Approval: *a, File: name}, nil
}

// scoped is d with only the resource sets of the named providers.
func scoped(d reconcile.Desired, provs []string) reconcile.Desired {
	var out reconcile.Desired
	for _, set := range d.Resources {
		if slices.Contains(provs, set.Provider) {
			out.Resources = append(out.Resources, set)
		}
	}
	return out
}

// Run carries out the plan: refused when a safety rule blocks it; nothing
// to do when it is empty. Each change's outcome is returned, also after an
// error, with resolved secrets replaced in its error. A refused plan and a
// plan carried out (even in part) are recorded in the audit trail (with
// the committed approval that allowed it, if any), also when ctx was
// cancelled mid-apply; an empty plan is not. Which files and blocks were
// last written with sensitive content is recorded for the next plans
// (recordSensitive). The options' Progress hears the "apply" task, one
// step per change.
func (pa *PendingApply) Run(ctx context.Context) ([]reconcile.Outcome, error) {
	if pa.Plan.Blocked() {
		refused := RefusedError(pa.Plan)
		if err := pa.record(ctx, nil, true); err != nil {
			return nil, errors.Join(refused, err)
		}
		return nil, refused
	}
	if pa.Plan.Empty() {
		return []reconcile.Outcome{}, nil
	}
	provs, err := pa.rt.Providers(ctx)
	if err != nil {
		return nil, err
	}
	pa.prog.Start("apply", len(pa.Plan.Changes))
	outs, err := reconcile.ApplyReporting(ctx, pa.Plan, provs, pa.prog.Add)
	pa.prog.Done()
	for i := range outs {
		if outs[i].Err != nil {
			outs[i].Err = pa.rt.scrubErr(outs[i].Err)
			outs[i].Error = outs[i].Err.Error()
		}
	}
	if rerr := pa.rt.recordSensitive(ctx, outs); rerr != nil && err == nil {
		err = rerr
	}
	if err != nil {
		err = fmt.Errorf("apply: %w; run \"itlag plan\" to see what is left", pa.rt.scrubErr(err))
	}
	if aerr := pa.record(ctx, outs, false); aerr != nil {
		return outs, errors.Join(err, fmt.Errorf("apply: carried out, but %w", aerr))
	}
	return outs, err
}

// record writes the apply to the audit trail, even once ctx is done (an
// interrupted apply is recorded too), waiting at most a minute for the
// trail's lock.
func (pa *PendingApply) record(ctx context.Context, outs []reconcile.Outcome, refused bool) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	return pa.auditApply(ctx, outs, refused)
}

// Close releases the apply lock.
func (pa *PendingApply) Close() {
	if pa.unlock != nil {
		pa.unlock()
		pa.unlock = nil
	}
}

// checkFresh refuses a saved plan that no longer describes the world.
func (rt *Runtime) checkFresh(saved *reconcile.Saved, fresh *reconcile.Planned, obs reconcile.Observed) error {
	stateDir := rt.Opts.StateDir
	now := reconcile.NewSaved(fresh, rt.Desired, obs, gitrepo.HeadCommit(stateDir), time.Now().UTC())
	var moved []string
	if why := gitrepo.Diverged(stateDir, saved.GitCommit); why != "" {
		moved = append(moved, why)
	}
	if now.StateDigest != saved.StateDigest {
		m := "the desired state changed since the plan was made"
		if saved.GitCommit != "" && now.GitCommit != saved.GitCommit {
			m += fmt.Sprintf(" (plan from commit %.12s, state now at %.12s)", saved.GitCommit, now.GitCommit)
		}
		moved = append(moved, m)
	}
	moved = append(moved, reconcile.Stale(saved, rt.Desired, obs)...)
	if len(moved) == 0 && !SameChanges(saved.Plan, fresh) {
		moved = append(moved, "planning again gives different changes")
	}
	if len(moved) > 0 {
		return fmt.Errorf("apply: the saved plan is stale, refusing to apply it:\n  %s\nMake a new plan with \"itlag plan --out FILE\", review it, and apply that", strings.Join(moved, "\n  "))
	}
	return nil
}

// SameChanges reports whether two plans hold the same changes.
func SameChanges(a, b *reconcile.Planned) bool {
	ja, err1 := json.Marshal(a.Changes)
	jb, err2 := json.Marshal(b.Changes)
	return err1 == nil && err2 == nil && string(ja) == string(jb)
}

// RefusedError lists the safety rules that refuse p.
func RefusedError(p *reconcile.Planned) error {
	var b strings.Builder
	b.WriteString("apply: refused by the safety rules:")
	for _, r := range p.Refusals {
		fmt.Fprintf(&b, "\n  %s: %s", r.Rule, r.Message)
	}
	return errors.New(b.String())
}

// Outcomes counts the changes done and failed.
func Outcomes(outs []reconcile.Outcome) (done, failed int) {
	for _, o := range outs {
		if o.Err == nil {
			done++
		} else {
			failed++
		}
	}
	return done, failed
}
