package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lagrieta/itlag/reconcile"
)

const applyHelp = `Usage: itlag apply [flags] [PLANFILE]

Without PLANFILE: validates, observes, plans, shows the plan and asks for
confirmation (type "yes") on a terminal; elsewhere --auto-approve is required.

With PLANFILE (from "itlag plan --out"): applies exactly that plan, without
asking, after checking that nothing moved since it was made: the desired
state is the same and every observed record still has its fingerprint. A
stale plan is refused with the list of what moved; make a new plan. A plan
made from a commit that is not in the history of HEAD (the branch was
rewritten, or the plan comes from another branch) is stale too. The safety
rules allowed when the plan was made (plan --allow) stay allowed, and so do
the rules it broke once an approval naming its checksum is committed:
approvals/<checksum>.yaml with approved_by and approved_at (and optionally
rules: [...] to approve only some); a file not committed does not count.

Changes run in order (per zone: deletes, updates, creates), batched. Each
change's outcome is printed (with --format json: one JSON document,
{format_version, outcomes, done, failed}, and --auto-approve or a saved plan
is required). After a partial failure, "itlag plan" shows exactly what is
left. A plan that breaks a safety rule is refused unless the
rule is allowed with --allow (see "itlag plan --help").

Only one apply runs at a time per state directory (lock file .itlag.lock in
it): a second one fails at once, or waits up to --lock-timeout.
`

func runApply(ctx context.Context, e *env, args []string) error {
	fs, g := newFlags(e, "apply", applyHelp)
	var allowVals listFlag
	autoApprove := fs.Bool("auto-approve", false, "apply without asking for confirmation")
	lockTimeout := fs.Duration("lock-timeout", 0, "wait up to `DURATION` (e.g. 2m) for another apply to finish")
	fs.Var(&allowVals, "allow", "allow a safety `RULE` (mass-change, apex-ns, protected, registrar); repeatable or comma-separated")
	pos, err := parse(fs, g, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return exit(ExitError, fmt.Errorf("apply: want at most one plan file, got %d arguments", len(pos)))
	}
	allow, err := reconcile.ParseAllow(allowVals)
	if err != nil {
		return exit(ExitError, fmt.Errorf("apply: --allow: %w", err))
	}
	var saved *reconcile.Saved
	if len(pos) == 1 {
		if saved, err = reconcile.ReadSaved(pos[0]); err != nil {
			return exit(ExitError, fmt.Errorf("apply: %w", err))
		}
		// the reviewed plan carries the rules allowed when it was made
		for _, r := range saved.Plan.Allowed {
			allow[r.Rule] = true
		}
		// and an approval committed for its checksum allows what it refused
		a, name, err := committedApproval(g.state, saved.Checksum)
		if err != nil {
			return exit(ExitError, fmt.Errorf("apply: %w", err))
		}
		if a != nil {
			for _, r := range saved.Plan.Refusals {
				if len(a.Rules) == 0 || slices.Contains(a.Rules, string(r.Rule)) {
					allow[r.Rule] = true
				}
			}
			fmt.Fprintf(e.stderr, "Approved by %s at %s (%s).\n", a.ApprovedBy, a.ApprovedAt, name)
		}
	}
	l, err := load(e, g)
	if err != nil {
		return err
	}
	unlock, err := reconcile.Lock(g.state, *lockTimeout)
	if err != nil {
		return exit(ExitError, fmt.Errorf("apply: %w", err))
	}
	defer unlock()
	w, err := open(ctx, g, l)
	if err != nil {
		return exit(ExitError, err)
	}
	err = applyWith(ctx, e, g, l, w, saved, allow, *autoApprove)
	if cerr := w.close(); cerr != nil && err == nil {
		err = exit(ExitError, cerr)
	}
	return err
}

func applyWith(ctx context.Context, e *env, g *globals, l *loaded, w *world, saved *reconcile.Saved, allow map[reconcile.Rule]bool, autoApprove bool) error {
	p, obs, err := observeAndPlan(ctx, e, l, w, allow)
	if err != nil {
		return exit(ExitError, err)
	}
	// JSON output is one document: the outcomes (each carries its change).
	// People see the plan first, in text or Markdown.
	jsonOut := g.format == "json"
	switch {
	case saved != nil:
		if err := checkFresh(saved, p, l, obs, g.state); err != nil {
			return exit(ExitError, err)
		}
	case !jsonOut:
		if err := renderPlan(e.stdout, g.format, p); err != nil {
			return exit(ExitError, err)
		}
	}
	if p.Blocked() {
		return exit(ExitError, refusedError(p))
	}
	if p.Empty() {
		if jsonOut {
			return renderOutcomes(e.stdout, g.format, []reconcile.Outcome{})
		}
		if saved != nil {
			fmt.Fprintln(e.stdout, "No changes. The infrastructure matches the desired state.")
		}
		return nil
	}
	if saved == nil && !autoApprove {
		if jsonOut {
			return exit(ExitError, errors.New("apply: --format json shows no plan to confirm: pass --auto-approve, or apply a saved plan"))
		}
		if err := confirm(ctx, e, len(p.Changes)); err != nil {
			return exit(ExitError, err)
		}
	}
	outs, err := reconcile.Apply(ctx, p, w.providers)
	if rerr := renderOutcomes(e.stdout, g.format, outs); rerr != nil && err == nil {
		err = rerr
	}
	if err != nil {
		return exit(ExitError, fmt.Errorf("apply: %w; run \"itlag plan\" to see what is left", err))
	}
	return nil
}

// checkFresh refuses a saved plan that no longer describes the world.
func checkFresh(saved *reconcile.Saved, fresh *reconcile.Planned, l *loaded, obs reconcile.Observed, stateDir string) error {
	now := reconcile.NewSaved(fresh, l.desired, obs, desiredCommit(stateDir), time.Now().UTC())
	var moved []string
	if why := divergedFrom(stateDir, saved.GitCommit); why != "" {
		moved = append(moved, why)
	}
	if now.StateDigest != saved.StateDigest {
		m := "the desired state changed since the plan was made"
		if saved.GitCommit != "" && now.GitCommit != saved.GitCommit {
			m += fmt.Sprintf(" (plan from commit %.12s, state now at %.12s)", saved.GitCommit, now.GitCommit)
		}
		moved = append(moved, m)
	}
	moved = append(moved, reconcile.Stale(saved, l.desired, obs)...)
	if len(moved) == 0 && !sameChanges(saved.Plan, fresh) {
		moved = append(moved, "planning again gives different changes")
	}
	if len(moved) > 0 {
		return fmt.Errorf("apply: the saved plan is stale, refusing to apply it:\n  %s\nMake a new plan with \"itlag plan --out FILE\", review it, and apply that", strings.Join(moved, "\n  "))
	}
	return nil
}

func sameChanges(a, b *reconcile.Planned) bool {
	ja, err1 := json.Marshal(a.Changes)
	jb, err2 := json.Marshal(b.Changes)
	return err1 == nil && err2 == nil && string(ja) == string(jb)
}

func refusedError(p *reconcile.Planned) error {
	var b strings.Builder
	b.WriteString("apply: refused by the safety rules:")
	for _, r := range p.Refusals {
		fmt.Fprintf(&b, "\n  %s: %s", r.Rule, r.Message)
	}
	return errors.New(b.String())
}

// confirm asks on a terminal; anywhere else it refuses. An interrupt
// (Ctrl-C) while it waits cancels, changing nothing.
func confirm(ctx context.Context, e *env, n int) error {
	if !isTTY(e.stdin) {
		return errors.New("apply: refusing to apply without confirmation: standard input is not a terminal; pass --auto-approve, or apply a saved plan (itlag plan --out FILE; itlag apply FILE)")
	}
	fmt.Fprintf(e.stdout, "\nApply these %d change(s)? Only \"yes\" is accepted: ", n)
	answer := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(e.stdin).ReadString('\n')
		answer <- line
	}()
	var line string
	select {
	case line = <-answer:
	case <-ctx.Done():
	}
	fmt.Fprintln(e.stdout)
	if strings.TrimSpace(line) != "yes" {
		return errors.New("apply: cancelled, nothing was changed")
	}
	return nil
}
