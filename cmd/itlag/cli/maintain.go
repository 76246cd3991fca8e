package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/lagrieta/itlag/monitor"
)

const maintainHelp = `Usage: itlag maintain

Preventive maintenance of itlag's own data: rolls raw monitoring results
older than monitoring.keep_raw up into hourly roll-ups, deletes roll-ups
older than monitoring.keep_rollups, and VACUUMs the local database. "itlag
watch" prunes once a day by itself; run maintain from cron for the VACUUM.
`

func runMaintain(ctx context.Context, e *env, args []string) error {
	fs, g := newFlags(e, "maintain", maintainHelp)
	pos, err := parse(fs, g, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return exit(ExitError, fmt.Errorf("maintain: unexpected argument %q", pos[0]))
	}
	l, err := load(e, g)
	if err != nil {
		return err
	}
	db, err := openDB(g)
	if err != nil {
		return exit(ExitError, err)
	}
	defer db.Close()
	n, err := pruneHistory(ctx, db, l.state.Monitoring, time.Now())
	if err != nil {
		return exit(ExitError, fmt.Errorf("maintain: %w", err))
	}
	if err := monitor.Vacuum(ctx, db); err != nil {
		return exit(ExitError, fmt.Errorf("maintain: %w", err))
	}
	fmt.Fprintf(e.stdout, "Pruned %d row(s) of monitoring history; the database was vacuumed.\n", n)
	return nil
}
