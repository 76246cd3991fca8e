package render

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/ops/mail/ledger"
)

// MailAccountLine is one account's pass, for MailCheck.
type MailAccountLine struct {
	Name, Host           string
	New, Fetched, TooBig int
	Commands             int
	Reset                []string
	Error                string
}

// MailReport is the JSON form of "itlag mail check".
type MailReport struct {
	FormatVersion string `json:"format_version"`
	// Pass is the pass's result (app.MailResult).
	Pass any `json:"pass"`
}

// MailJSON writes v as indented JSON.
func MailJSON(w io.Writer, v any) error { return writeJSON(w, v) }

// MailCheck writes one pass over the mailboxes: each account's line, each
// message read with what it meant, and the confirmations still open.
func MailCheck(w io.Writer, accounts []MailAccountLine, msgs []ledger.Outcome, confs []ledger.Confirmation, now time.Time, o Options) error {
	for _, a := range accounts {
		if a.Error != "" {
			fmt.Fprintf(w, "%s (%s): %s\n", a.Name, a.Host, o.paint(ansiRed, "not read: "+a.Error))
			continue
		}
		line := fmt.Sprintf("%s (%s): %d new, %d read, %d too big to fetch, %d IMAP commands", a.Name, a.Host, a.New, a.Fetched, a.TooBig, a.Commands)
		if len(a.Reset) > 0 {
			line += "; UIDVALIDITY changed, read again: " + strings.Join(a.Reset, ", ")
		}
		fmt.Fprintln(w, line)
	}
	if len(msgs) > 0 {
		fmt.Fprintln(w)
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "MESSAGE\tFROM\tSUBJECT\tMEANT")
		for _, m := range msgs {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", m.Account+"/"+m.MessageKey, m.From, clip(m.Subject, 60), meant(m, o))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	fmt.Fprintln(w)
	return Confirmations(w, confs, now, o)
}

// meant says in a few words what a message meant.
func meant(m ledger.Outcome, o Options) string {
	if len(m.Notices) == 0 {
		return m.Result
	}
	var parts []string
	for _, n := range m.Notices {
		p := n.Kind
		if n.Target != "" {
			p += " " + n.Target
		}
		if n.Severity != "" {
			p = o.paint(severityColor(n.Severity), string(n.Severity)) + " " + p
		}
		parts = append(parts, p)
	}
	for _, c := range m.Opened {
		parts = append(parts, fmt.Sprintf("confirmation #%d opened", c.ID))
	}
	for _, c := range m.Closed {
		parts = append(parts, fmt.Sprintf("confirmation #%d closed", c.ID))
	}
	return strings.Join(parts, "; ")
}

// Confirmations writes the confirmations as a table, with what to do.
func Confirmations(w io.Writer, confs []ledger.Confirmation, now time.Time, o Options) error {
	if len(confs) == 0 {
		fmt.Fprintln(w, "No confirmation is waiting.")
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tWHAT\tDEADLINE\tSTATE\tLINK")
	for _, c := range confs {
		deadline := "unknown"
		if !c.Deadline.IsZero() {
			_, days := ledger.ConfirmationSeverity(c.Deadline, now)
			deadline = c.Deadline.UTC().Format(time.DateOnly) + fmt.Sprintf(" (%s)", daysLeft(days))
		}
		state := c.State
		if c.State == "open" {
			state = o.paint(severityColor(finding.Medium), "open")
		} else if c.ClosedBy != "" {
			state += " (" + c.ClosedBy + ")"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", c.ID, c.What, deadline, state, c.Link)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nWhen one is done, close it: itlag mail confirm ID [--note TEXT].")
	return nil
}

// daysLeft is "3 days left", "today" or "2 days late".
func daysLeft(d int) string {
	switch {
	case d == 0:
		return "today"
	case d < 0:
		return fmt.Sprintf("%d days late", -d)
	case d == 1:
		return "1 day left"
	}
	return fmt.Sprintf("%d days left", d)
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
