package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/lagrieta/itlag/reconcile"
)

const planHelp = `Usage: itlag plan [flags]

Validates the desired state, observes every provider it uses (read-only) and
prints the changes that would make them match: create, update, delete, each
with a stable address such as cloudflare:lagrieta.es/www/A. Records that a
zone's unmanaged rules cover are never touched. Findings (problems that are
not a change) follow the changes.

Safety rules refuse a plan unless allowed with --allow RULE:
  mass-change  updates+deletes over policy.max_change_percent (default 30%) of
               a zone with at least policy.min_zone_records (default 10)
  apex-ns      any change to the zone apex NS records
  protected    any change to a record marked protected (or matching policy.protected)
  registrar    any change at a registrar: auto-renew, lock, nameservers (always)

Dynamic-DNS hosts (noip:ddns/HOST) are updated to the public address the IP
sources agree on, only when it changed. NAS files and blocks
(nas:NAME/file/PATH, nas:NAME/block/PATH#BLOCK; scheduled tasks are a block
of the cron file) show a unified diff, redacted when either side is
sensitive (marked so, a placeholder, a live file others may not read, or
one that held a secret at its last apply). No NAS path is followed through
a symbolic link: such a file is a finding and is left alone. A NAS
that cannot be reached, or presents another host key than the pinned one,
is a finding (high, critical), not an error; its metrics become findings by
the state's thresholds.

Registrar changes (domains: renew_auto, locked, nameservers) are planned
after the DNS changes; a nameserver change shows the old and the new set and
which DNS provider each belongs to. Subscription and domain expiry dates
that are near raise findings (see itlag subscriptions --help).

With --out FILE the plan is saved, with a fingerprint of every observed record
and the desired state's Git commit, for "itlag apply FILE". Rules allowed
here are listed in the saved plan for its reviewer, but they do not travel
with it: apply FILE checks the safety rules again and needs the same
--allow, or an approval committed for the plan's checksum.
`

type planOpts struct {
	out      string
	detailed bool
	allow    listFlag
}

func runPlan(ctx context.Context, e *env, args []string) (err error) {
	fs, g := newFlags(e, "plan", planHelp)
	var o planOpts
	fs.StringVar(&o.out, "out", "", "save the plan to `FILE` for apply")
	fs.BoolVar(&o.detailed, "detailed-exitcode", false, "exit 2 when there are changes, 0 when there are none")
	fs.Var(&o.allow, "allow", "allow a safety `RULE` (mass-change, apex-ns, protected, registrar); repeatable or comma-separated")
	pos, err := parse(fs, g, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return exit(ExitError, fmt.Errorf("plan: unexpected argument %q", pos[0]))
	}
	allow, err := reconcile.ParseAllow(o.allow)
	if err != nil {
		return exit(ExitError, fmt.Errorf("plan: --allow: %w", err))
	}
	rt, err := openRuntime(e, g)
	if err != nil {
		return err
	}
	defer closeRuntime(rt, &err)
	p, obs, err := rt.Plan(ctx, allow)
	warnSkipped(e, obs)
	if err == nil {
		err = rt.CloseProviders()
	}
	if err != nil {
		return exit(ExitError, err)
	}
	if err := renderPlan(e.stdout, g.format, p); err != nil {
		return exit(ExitError, err)
	}
	if o.out != "" {
		s, err := rt.SavePlan(o.out, p, obs)
		if err != nil {
			return exit(ExitError, fmt.Errorf("plan: --out: %w", err))
		}
		var rules []string
		for _, r := range append(slices.Clone(p.Allowed), p.Refusals...) {
			rules = append(rules, string(r.Rule))
		}
		slices.Sort(rules)
		switch {
		case p.Blocked():
			fmt.Fprintf(e.stderr, "Saved the plan to %s (checksum %.12s), but the safety rules refuse it: to apply it, commit approvals/%s.yaml, or pass --allow for each refused rule to apply.\n", o.out, s.Checksum, s.Checksum)
		case len(rules) > 0:
			fmt.Fprintf(e.stderr, "Saved the plan to %s (checksum %.12s). Apply exactly this plan with: itlag apply --allow %s %s\n", o.out, s.Checksum, strings.Join(slices.Compact(rules), ","), o.out)
		default:
			fmt.Fprintf(e.stderr, "Saved the plan to %s (checksum %.12s). Apply exactly this plan with: itlag apply %s\n", o.out, s.Checksum, o.out)
		}
	}
	if o.detailed && !p.Empty() {
		return exit(ExitChanges, errSilent)
	}
	return nil
}
