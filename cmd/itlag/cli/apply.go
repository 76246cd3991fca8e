package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/lagrieta/itlag/app"
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
rules are checked again at apply, whatever the plan file says it allowed:
a rule is waived only by --allow here, or by an approval naming the plan's
checksum, committed: approvals/<checksum>.yaml with approved_by and
approved_at (and optionally rules: [...] to approve only some); a file not
committed does not count.

Changes run in order (per zone: deletes, updates, creates), batched. Each
change's outcome is printed (with --format json: one JSON document,
{format_version, outcomes, done, failed}, and --auto-approve or a saved plan
is required). After a partial failure, "itlag plan" shows exactly what is
left. A plan that breaks a safety rule is refused unless the
rule is allowed with --allow (see "itlag plan --help").

Only one apply runs at a time per state directory (lock file .itlag.lock in
it): a second one fails at once, or waits up to --lock-timeout.

Every apply that changes something, or is refused, is recorded in the audit
trail (audit/YYYY-MM.jsonl in the repository; with --sandbox DIR, in DIR):
the plan's checksum, the addresses, the outcome, and before it the committed
approval that allowed it. "itlag audit" lists the trail.
`

func runApply(ctx context.Context, e *env, args []string) (err error) {
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
	o := app.ApplyOptions{Allow: allow, LockTimeout: *lockTimeout, Progress: progressFor(e, g.format)}
	if len(pos) == 1 {
		if o.Saved, err = reconcile.ReadSaved(pos[0]); err != nil {
			return exit(ExitError, fmt.Errorf("apply: %w", err))
		}
	}
	rt, err := openRuntime(e, g)
	if err != nil {
		return err
	}
	defer closeRuntime(rt, &err)
	pa, err := rt.PrepareApply(ctx, o)
	if err != nil {
		return exit(ExitError, err)
	}
	defer pa.Close()
	if a := pa.Approval; a != nil {
		fmt.Fprintf(e.stderr, "Approved by %s at %s (%s).\n", a.ApprovedBy, a.ApprovedAt, a.File)
	}
	warnSkipped(e, pa.Observed)
	// JSON output is one document: the outcomes (each carries its change).
	// People see the plan first, in text or Markdown.
	jsonOut := g.format == "json"
	if o.Saved == nil && !jsonOut {
		if err := renderPlan(e.stdout, g.format, pa.Plan); err != nil {
			return exit(ExitError, err)
		}
	}
	if pa.Plan.Blocked() {
		_, err := pa.Run(ctx) // refuses, and records the refusal
		return exit(ExitError, err)
	}
	if pa.Plan.Empty() {
		if jsonOut {
			return renderOutcomes(e.stdout, g.format, []reconcile.Outcome{})
		}
		if o.Saved != nil {
			fmt.Fprintln(e.stdout, "No changes. The infrastructure matches the desired state.")
		}
		return nil
	}
	if o.Saved == nil && !*autoApprove {
		if jsonOut {
			return exit(ExitError, errors.New("apply: --format json shows no plan to confirm: pass --auto-approve, or apply a saved plan"))
		}
		if err := confirm(ctx, e, len(pa.Plan.Changes)); err != nil {
			return exit(ExitError, err)
		}
	}
	outs, err := pa.Run(ctx)
	if rerr := renderOutcomes(e.stdout, g.format, outs); rerr != nil && err == nil {
		err = rerr
	}
	if err != nil {
		return exit(ExitError, err)
	}
	return nil
}

// confirm asks on a terminal; anywhere else it refuses. An interrupt
// (Ctrl-C) while it waits cancels, changing nothing.
func confirm(ctx context.Context, e *env, n int) error {
	if !isTTY(e.stdin) {
		return errors.New("apply: refusing to apply without confirmation: standard input is not a terminal; pass --auto-approve, or apply a saved plan (itlag plan --out FILE; itlag apply FILE)")
	}
	fmt.Fprintf(e.stdout, "\nApply these %d change(s)? Only \"yes\" is accepted: ", n)
	line := readAnswer(ctx, e)
	if strings.TrimSpace(line) != "yes" {
		return errors.New("apply: cancelled, nothing was changed")
	}
	return nil
}
