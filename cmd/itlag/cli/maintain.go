package cli

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/lagrieta/itlag/app/sandbox"
	"github.com/lagrieta/itlag/ops/monitor"
	"github.com/lagrieta/itlag/providers"
)

const maintainHelp = `Usage: itlag maintain

Preventive maintenance of itlag's own data: rolls raw monitoring results
older than monitoring.keep_raw up into hourly roll-ups, deletes roll-ups
older than monitoring.keep_rollups, and VACUUMs the local database; then
observes each NAS with its pending OS updates counted (apt; slow, so only
here) and prints them with the NAS's other findings (failed SSH logins,
full volumes…). "itlag watch" prunes once a day by itself; run maintain
from cron for the rest.
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
	return nasMaintenance(ctx, e, g, l)
}

// nasMaintenance observes each NAS with its pending OS updates counted
// (slow, so only here) and prints what needs a human: pending updates,
// failed SSH logins, and the rest of the NAS's findings.
func nasMaintenance(ctx context.Context, e *env, g *globals, l *loaded) error {
	if len(l.state.NAS) == 0 {
		return nil
	}
	var prov providers.ResourceProvider
	if g.sandbox != "" {
		p, err := sandbox.NASProvider(g.sandbox, l.state, true)
		if err != nil {
			return exit(ExitError, err)
		}
		prov = p
	} else {
		f := &factory{g: g, st: l.state, hc: httpClient(), checkUpdates: true}
		p, err := f.nas()
		if err != nil {
			return exit(ExitError, err)
		}
		prov = p.(providers.ResourceProvider)
	}
	for _, name := range slices.Sorted(maps.Keys(l.state.NAS)) {
		obs, err := prov.ObserveResources(ctx, name, nil)
		if err != nil {
			fmt.Fprintf(e.stdout, "nas %s: not reachable: %v\n", name, err)
			continue
		}
		if v, ok := obs.Metrics["pending_updates"]; ok {
			fmt.Fprintf(e.stdout, "nas %s: %d OS update(s) pending.\n", name, int(v))
		}
		for _, f := range obs.Findings {
			fmt.Fprintf(e.stdout, "  %s %s: %s\n", f.Severity, f.Source, f.Summary)
		}
	}
	return nil
}
