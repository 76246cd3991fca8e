package cli

import (
	"context"
	"fmt"

	"github.com/lagrieta/itlag/publish/render"
	"github.com/lagrieta/itlag/reconcile"
)

const subscriptionsHelp = `Usage: itlag subscriptions [flags]

Lists every domain registration and subscription the state declares, with
the date it lapses unless renewed, the days left, whether it renews by itself,
and what is due. Domains at a registrar itlag reaches (godaddy) use the
registrar's expiry date and auto-renew setting; when the registrar does not
answer (GoDaddy refuses its API to accounts with fewer than 10 domains), the
date declared in the state is used and the table says so.

Severity escalates as the date nears, by the reminder lead times (default 30,
14, 7 and 1 days): low after the first, medium after the second, high after
the third, critical on the day. Something that renews automatically stays low
until the day. An auto-renew the state expects but the registrar has off is
high; "itlag plan" shows the change that turns it on (--allow registrar).
itlag never pays for a renewal.

Read-only: only the registrars are asked, never changed.
`

func runSubscriptions(ctx context.Context, e *env, args []string) (err error) {
	fs, g := newFlags(e, "subscriptions", subscriptionsHelp)
	detailed := fs.Bool("detailed-exitcode", false, "exit 2 when something is due (any severity), 0 when nothing is")
	pos, err := parse(fs, g, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return exit(ExitError, fmt.Errorf("subscriptions: unexpected argument %q", pos[0]))
	}
	if g.format == "markdown" {
		return exit(ExitError, fmt.Errorf("subscriptions: --format markdown is not supported, want text or json"))
	}
	rt, err := openRuntime(e, g)
	if err != nil {
		return err
	}
	defer closeRuntime(rt, &err)
	es, findings, obs, err := rt.Subscriptions(ctx)
	warnSkipped(e, obs)
	if err != nil {
		return exit(ExitError, err)
	}
	if g.format == "json" {
		err = render.SubscriptionsJSON(e.stdout, render.SubscriptionsReport{
			FormatVersion: reconcile.FormatVersion, At: obs.At, Subscriptions: es, Findings: findings})
	} else {
		err = render.Subscriptions(e.stdout, es, obs.Findings, render.Options{Color: colour(e.stdout)})
	}
	if err != nil {
		return exit(ExitError, err)
	}
	if *detailed && len(findings) > 0 {
		return exit(ExitChanges, errSilent)
	}
	return nil
}
