package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/lagrieta/itlag/app"
)

const ddnsHelp = `Usage: itlag ddns clear [HOST]

NoIP stops a client that misbehaves, and itlag stops with it: after an answer
that needs a human (badauth, nohost, badagent, !donator, abuse) it sends no
update for that host, or the whole account, until the hold is cleared; after
"911" it waits 30 minutes on its own. The holds are kept in the local
database (--data-dir; with --sandbox, in the sandbox directory), so they
survive between runs.

"itlag ddns clear" removes every hold (or HOST's) once the cause is fixed:
the credentials corrected, the hostname added to the account, the abuse
block lifted at noip.com. The next apply sends the update.
`

func runDDNS(ctx context.Context, e *env, args []string) error {
	fs, g := newFlags(e, "ddns", ddnsHelp)
	pos, err := parse(fs, g, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 || pos[0] != "clear" || len(pos) > 2 {
		return exit(ExitError, errors.New("ddns: want \"itlag ddns clear [HOST]\" (see itlag ddns --help)"))
	}
	host := ""
	if len(pos) == 2 {
		host = pos[1]
	}
	n, err := app.ClearDDNSHolds(ctx, g.options(), host)
	if err != nil {
		return exit(ExitError, err)
	}
	fmt.Fprintf(e.stdout, "Cleared %d hold(s).\n", n)
	return nil
}
