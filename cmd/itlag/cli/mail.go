package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/lagrieta/itlag/app"
	"github.com/lagrieta/itlag/publish/render"
	"github.com/lagrieta/itlag/reconcile"
)

const mailHelp = `Usage:
  itlag mail check                    read every declared mailbox once
  itlag mail confirmations [--all]    list the confirmations providers asked for
  itlag mail confirm ID [--note TEXT] close a confirmation a person has done

itlag reads the IT mailbox (mail: in the state) over IMAP: TLS on port 993,
or STARTTLS on 143, which is then required (never a password in plain text).
It reads without changing anything: bodies are fetched without marking them
seen, nothing is ever deleted, and a message is moved only when the account
sets move_to. How far each folder was read (UIDVALIDITY and the last UID) is
kept in the local database, so each message is handled once: a pass that is
cut off resumes where it stopped, and reading a message again never alerts
twice. Messages larger than max_message_size are not fetched: a finding says
to read them by hand.

Each message is classified: first by the state's mail_rules (in name
order), then by the built-in classifiers for No-IP, GoDaddy, Cloudflare,
Synology DSM, cron and restic failures, and DMARC aggregate reports. What it
says becomes a notice (a finding while it matters), a date (a No-IP host's
confirmation deadline, a domain's expiry: plan, drift and subscriptions
use it) or a confirmation to do. Mail nothing matches is counted and left
alone.

A confirmation is open until the provider's follow-up mail says it is done,
or a person closes it with "itlag mail confirm ID"; its finding grows more
severe as the deadline nears (low, medium from 7 days, high from 3, critical
when past). A link is followed by itself only when a mail rule sets
auto_confirm: true and lists the link's host in link_hosts, the sender was
verified by your MX, and the link is https; each attempt is in the audit
trail.

check, drift and watch read the mailboxes too (watch on each account's
interval, at once when the server's IDLE says new mail came).

Exit codes: mail check exits 1 when a mailbox could not be read (the others
are read all the same).

Flags:
  --all          confirmations: every confirmation, closed ones too
  --note TEXT    confirm: what was done, kept with the confirmation and in the audit trail
`

func runMail(ctx context.Context, e *env, args []string) (err error) {
	fs, g := newFlags(e, "mail", mailHelp)
	all := fs.Bool("all", false, "list closed confirmations too")
	note := fs.String("note", "", "what was done")
	pos, err := parse(fs, g, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return exit(ExitError, errors.New("mail: want check, confirmations or confirm ID (see itlag mail --help)"))
	}
	if g.format == "markdown" {
		return exit(ExitError, errors.New("mail: --format markdown is not supported, want text or json"))
	}
	var id int64
	switch {
	case pos[0] == "confirm" && len(pos) == 2:
		if id, err = strconv.ParseInt(pos[1], 10, 64); err != nil || id <= 0 {
			return exit(ExitError, fmt.Errorf("mail confirm: %q is not a confirmation ID, want the number itlag mail confirmations shows", pos[1]))
		}
	case (pos[0] == "check" || pos[0] == "confirmations") && len(pos) == 1:
	default:
		return exit(ExitError, fmt.Errorf("mail: unexpected arguments %q, want check, confirmations or confirm ID", pos))
	}
	rt, err := openRuntime(e, g)
	if err != nil {
		return err
	}
	defer closeRuntime(rt, &err)
	switch pos[0] {
	case "check":
		return mailCheck(ctx, e, g, rt)
	case "confirmations":
		cs, err := rt.Confirmations(ctx, *all)
		if err != nil {
			return exit(ExitError, err)
		}
		if g.format == "json" {
			return render.MailJSON(e.stdout, struct {
				FormatVersion string `json:"format_version"`
				Confirmations any    `json:"confirmations"`
			}{reconcile.FormatVersion, cs})
		}
		return render.Confirmations(e.stdout, cs, time.Now(), render.Options{Color: colour(e.stdout)})
	}
	c, err := rt.Confirm(ctx, id, *note)
	if err != nil {
		return exit(ExitError, err)
	}
	fmt.Fprintf(e.stdout, "Confirmation #%d (%s) is closed; recorded in the audit trail.\n", c.ID, c.What)
	return nil
}

func mailCheck(ctx context.Context, e *env, g *globals, rt *app.Runtime) error {
	res, err := rt.MailCheck(ctx)
	if err != nil {
		return exit(ExitError, err)
	}
	if g.format == "json" {
		err = render.MailJSON(e.stdout, render.MailReport{FormatVersion: reconcile.FormatVersion, Pass: res})
	} else {
		var lines []render.MailAccountLine
		for _, a := range res.Accounts {
			lines = append(lines, render.MailAccountLine{Name: a.Name, Host: a.Host, New: a.Stats.New,
				Fetched: a.Stats.Fetched, TooBig: a.Stats.TooBig, Commands: a.Stats.Commands, Reset: a.Stats.Reset, Error: a.Error})
		}
		err = render.MailCheck(e.stdout, lines, res.Messages, res.Confirmations, res.At, render.Options{Color: colour(e.stdout)})
		for _, a := range res.AutoConfirmed {
			if a.Error != "" {
				fmt.Fprintf(e.stdout, "confirmation #%d: the link at %s was not followed: %s\n", a.ID, a.Host, a.Error)
			} else {
				fmt.Fprintf(e.stdout, "confirmation #%d: confirmed by following the link at %s (%d)\n", a.ID, a.Host, a.Status)
			}
		}
	}
	if err != nil {
		return exit(ExitError, err)
	}
	if res.Failed() {
		return exit(ExitError, errors.New("mail check: a mailbox could not be read (see above)"))
	}
	return nil
}
