package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/lagrieta/itlag/app"
	"github.com/lagrieta/itlag/publish/audit"
)

const auditHelp = `Usage: itlag audit [--since D] [--format text|json]
       itlag audit verify [--format text|json]

itlag keeps an audit trail of what it did: every apply (the plan's checksum,
the addresses changed, the outcome; a refused apply too), every committed
approval used, every drift commit, every dynamic-DNS update and every secret
change, with when and who (the CI actor, else the Git author, else
user@host). The trail is audit/YYYY-MM.jsonl at the root of the repository
holding --state (in --state itself when it is in no repository; with
--sandbox DIR: DIR/audit), one JSON line an entry,
each holding the SHA-256 of the line before it; the local database (--data-dir;
with --sandbox, in DIR) keeps a copy of each line, anchoring the head.
Drift --commit commits the trail with its reports.

"itlag audit" lists the entries (--since 2026-12-01, an RFC 3339 time, or an
age such as 36h or 7d). "itlag audit verify" checks the chain: every line an
entry, seq rising by one, each line holding the hash of the one before, each
in its month's file, and the files reaching the head the local database
recorded; it exits 1 naming the first bad line (file:line) and why.
`

func runAudit(ctx context.Context, e *env, args []string) error {
	fs, g := newFlags(e, "audit", auditHelp)
	since := fs.String("since", "", "list the entries made since `D`: a date, an RFC 3339 time, or an age (36h, 7d)")
	pos, err := parse(fs, g, args)
	if err != nil {
		return err
	}
	if g.format == "markdown" {
		return exit(ExitError, errors.New("audit: --format: want text or json"))
	}
	switch {
	case len(pos) == 1 && pos[0] == "verify":
		if *since != "" {
			return exit(ExitError, errors.New("audit verify: --since: verify checks the whole trail"))
		}
		return runAuditVerify(ctx, e, g)
	case len(pos) > 0:
		return exit(ExitError, fmt.Errorf("audit: unexpected %q (see itlag audit --help)", pos[0]))
	}
	from, err := audit.ParseSince(*since, time.Now())
	if err != nil {
		return exit(ExitError, fmt.Errorf("audit: %w", err))
	}
	entries, err := app.AuditEntries(g.options(), from)
	if err != nil {
		return exit(ExitError, err)
	}
	if g.format == "json" {
		err = audit.WriteJSON(e.stdout, entries)
	} else {
		err = audit.WriteText(e.stdout, entries)
	}
	if err != nil {
		return exit(ExitError, err)
	}
	return nil
}

func runAuditVerify(ctx context.Context, e *env, g *globals) error {
	s, verr := app.AuditVerify(ctx, g.options())
	var err error
	if g.format == "json" {
		err = audit.WriteVerifyJSON(e.stdout, s, verr)
	} else if verr == nil {
		err = audit.WriteVerifyText(e.stdout, s, nil)
	}
	if verr != nil {
		return exit(ExitError, fmt.Errorf("audit verify: %w", verr))
	}
	if err != nil {
		return exit(ExitError, err)
	}
	return nil
}
