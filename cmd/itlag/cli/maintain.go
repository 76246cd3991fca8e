package cli

import (
	"context"
	"fmt"
	"time"
)

const maintainHelp = `Usage: itlag maintain

Preventive maintenance: rolls raw monitoring results older than
monitoring.keep_raw up into hourly roll-ups, deletes roll-ups older than
monitoring.keep_rollups, and VACUUMs the local database. Then, when the
state declares a NAS, observes the world as check and drift do (the same
observation, the same findings) and prints, for each NAS, its pending OS
updates (security and other, as apt reports them; unknown without apt)
and its findings: pending updates, sshd, listening ports, failed SSH
logins, full volumes… A NAS that could not be observed says why; when
the world cannot be observed at all, the history is still pruned and
maintain exits 1. "itlag watch" prunes once a day by itself; run
maintain from cron for the rest.
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
			switch {
			case n.NotObserved != "":
				fmt.Fprintf(e.stdout, "nas %s: not observed: %s\n", n.Name, n.NotObserved)
			case n.Updates == nil:
				fmt.Fprintf(e.stdout, "nas %s: pending updates unknown.\n", n.Name)
			default:
				fmt.Fprintf(e.stdout, "nas %s: %d security update(s), %d other pending.\n", n.Name, n.Updates.Security, n.Updates.Other)
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
