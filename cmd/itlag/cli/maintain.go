package cli

import (
	"context"
	"fmt"
	"time"
)

const maintainHelp = `Usage: itlag maintain

Preventive maintenance of itlag's own data: rolls raw monitoring results
older than monitoring.keep_raw up into hourly roll-ups, deletes roll-ups
older than monitoring.keep_rollups, and VACUUMs the local database; then
observes each NAS with its pending OS updates counted (apt-get's
simulated upgrade) and prints them with the NAS's other findings (failed
SSH logins, full volumes…). check, watch and drift judge the pending
updates on every observation too (security ones medium). "itlag watch" prunes once a day by itself; run maintain
from cron for the rest.
`

func runMaintain(ctx context.Context, e *env, args []string) (err error) {
	fs, g := newFlags(e, "maintain", maintainHelp)
	pos, err := parse(fs, g, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return exit(ExitError, fmt.Errorf("maintain: unexpected argument %q", pos[0]))
	}
	rt, err := openRuntime(e, g)
	if err != nil {
		return err
	}
	defer closeRuntime(rt, &err)
	res, err := rt.Maintain(ctx, time.Now())
	if res != nil {
		fmt.Fprintf(e.stdout, "Pruned %d row(s) of monitoring history; the database was vacuumed.\n", res.Pruned)
		for _, n := range res.NAS {
			if n.Err != nil {
				fmt.Fprintf(e.stdout, "nas %s: not reachable: %v\n", n.Name, n.Err)
				continue
			}
			if n.PendingUpdates >= 0 {
				fmt.Fprintf(e.stdout, "nas %s: %d OS update(s) pending.\n", n.Name, n.PendingUpdates)
			}
			for _, f := range n.Findings {
				fmt.Fprintf(e.stdout, "  %s %s: %s\n", f.Severity, f.Source, f.Summary)
			}
		}
	}
	if err != nil {
		return exit(ExitError, err)
	}
	return nil
}
