package ledger

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lagrieta/itlag/finding"
)

// Lookback is how far back (before Findings' at) the messages too big or
// malformed, and the DMARC reports, count for a finding.
const Lookback = 30 * 24 * time.Hour

// maxListed is the most subjects or sources a finding's summary lists.
const maxListed = 5

// Findings returns what is open at at, computed only (nothing is
// written), sorted by severity rank, then source, then fingerprint:
//
//   - each open notice with a severity received less than its Window
//     before at: source "mail:<provider>", key "<kind>/<area>/<target>",
//     the notice's severity and summary, detail "received <time> in
//     <account>, message <message-id>; <link>". Notices with the same
//     fingerprint (the provider said it again) make one finding: the
//     worst severity, the newest mail's summary;
//   - each open confirmation: source "mail:confirmation", key the
//     confirmation's key, severity by ConfirmationSeverity;
//   - per account, the messages received in the Lookback that were too
//     big to read (medium, source "mail:<account>", key "too-big") and
//     those that could not be parsed (low, key "malformed");
//   - per domain whose DMARC reports ending in the Lookback count failed
//     messages: medium, source "mail:dmarc", key "dmarc/<domain>".
func (l *Ledger) Findings(ctx context.Context, at time.Time) ([]finding.Finding, error) {
	var out []finding.Finding
	for _, part := range []func(context.Context, time.Time) ([]finding.Finding, error){
		l.noticeFindings, l.confirmationFindings, l.messageFindings, l.dmarcFindings,
	} {
		fs, err := part(ctx, at)
		if err != nil {
			return nil, fmt.Errorf("ledger: findings: %w", err)
		}
		out = append(out, fs...)
	}
	slices.SortStableFunc(out, func(a, b finding.Finding) int {
		return cmp.Or(cmp.Compare(a.Severity.Rank(), b.Severity.Rank()),
			cmp.Compare(a.Source, b.Source), cmp.Compare(a.Fingerprint, b.Fingerprint))
	})
	return out, nil
}

func (l *Ledger) noticeFindings(ctx context.Context, at time.Time) ([]finding.Finding, error) {
	ns, err := queryNotices(ctx, l.db, `WHERE state = 'open' AND severity != '' ORDER BY received_at, id`)
	if err != nil {
		return nil, fmt.Errorf("read notices: %w", err)
	}
	var out []finding.Finding
	seen := map[string]int{} // fingerprint → index in out
	for _, n := range ns {
		if !n.ReceivedAt.Add(Window(n.Kind, n.Severity)).After(at) {
			continue // past its window: Expire closes it
		}
		source := "mail:" + cmp.Or(n.Provider, "unknown")
		f := finding.New(n.Severity, source, n.Kind+"/"+n.Area+"/"+n.Target, n.Summary)
		f.Detail = fmt.Sprintf("received %s in %s, message %s", stamp(n.ReceivedAt), n.Account, cmp.Or(n.MessageID, n.MessageKey))
		if n.Link != "" {
			f.Detail += "; " + n.Link
		}
		i, ok := seen[f.Fingerprint]
		if !ok {
			seen[f.Fingerprint] = len(out)
			out = append(out, f)
			continue
		}
		// the same again, newer (ns is in received order)
		if out[i].Severity.Rank() < f.Severity.Rank() {
			f.Severity = out[i].Severity
		}
		out[i] = f
	}
	return out, nil
}

// ConfirmationSeverity is how urgent an open confirmation is at at, and
// the days left, ⌈(deadline − at) / 24 h⌉: more than 7 days left low;
// 7 to 4 medium; 3 to 1 high; at or after the deadline critical (days
// left 0); an unknown (zero) deadline medium (days left -1).
func ConfirmationSeverity(deadline, at time.Time) (finding.Severity, int) {
	if deadline.IsZero() {
		return finding.Medium, -1
	}
	left := deadline.Sub(at)
	if left <= 0 {
		return finding.Critical, 0
	}
	days := int((left + 24*time.Hour - 1) / (24 * time.Hour))
	switch {
	case days > 7:
		return finding.Low, days
	case days >= 4:
		return finding.Medium, days
	}
	return finding.High, days
}

func (l *Ledger) confirmationFindings(ctx context.Context, at time.Time) ([]finding.Finding, error) {
	cs, err := l.Confirmations(ctx, false)
	if err != nil {
		return nil, err
	}
	out := make([]finding.Finding, 0, len(cs))
	for _, c := range cs {
		sev, days := ConfirmationSeverity(c.Deadline, at)
		var b strings.Builder
		b.WriteString("confirm " + cmp.Or(c.Target, c.Key))
		if c.Provider != "" {
			b.WriteString(" at " + c.Provider)
		}
		switch {
		case days < 0:
			b.WriteString(" (deadline unknown)")
		case days == 0:
			fmt.Fprintf(&b, " by %s (the deadline has passed)", c.Deadline.UTC().Format(dayFormat))
		default:
			fmt.Fprintf(&b, " by %s (%d %s left)", c.Deadline.UTC().Format(dayFormat), days, plural(days, "day", "days"))
		}
		if c.Link != "" {
			b.WriteString(": " + c.Link)
		}
		fmt.Fprintf(&b, " — then `itlag mail confirm %d`", c.ID)
		f := finding.New(sev, "mail:confirmation", c.Key, b.String())
		f.Detail = fmt.Sprintf("%s; requested %s in %s, message %s", c.What, stamp(c.RequestedAt), c.Account, cmp.Or(c.MessageID, "without a Message-ID"))
		out = append(out, f)
	}
	return out, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// messageFindings are the messages too big or malformed in the
// Lookback, one finding per account and outcome.
func (l *Ledger) messageFindings(ctx context.Context, at time.Time) ([]finding.Finding, error) {
	rows, err := l.db.QueryContext(ctx, `
SELECT account, outcome, folder, uid, size, subject FROM mail_messages
WHERE outcome IN (?, ?) AND received_at >= ?
ORDER BY account, outcome, received_at, folder, uid`, OutcomeTooBig, OutcomeMalformed, stamp(at.Add(-Lookback)))
	if err != nil {
		return nil, fmt.Errorf("read messages: %w", err)
	}
	defer rows.Close()
	type group struct {
		account, outcome string
		items            []string
	}
	var groups []*group
	for rows.Next() {
		var account, outcome, folder, subject string
		var uid, size int64
		if err := rows.Scan(&account, &outcome, &folder, &uid, &size, &subject); err != nil {
			return nil, fmt.Errorf("read messages: %w", err)
		}
		if n := len(groups); n == 0 || groups[n-1].account != account || groups[n-1].outcome != outcome {
			groups = append(groups, &group{account: account, outcome: outcome})
		}
		g := groups[len(groups)-1]
		item := fmt.Sprintf("%q", subject)
		if subject == "" {
			item = fmt.Sprintf("%s UID %d, %d bytes", folder, uid, size)
		}
		g.items = append(g.items, item)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read messages: %w", err)
	}
	out := make([]finding.Finding, 0, len(groups))
	for _, g := range groups {
		n := len(g.items)
		messages, were, them := plural(n, "message", "messages"), plural(n, "was", "were"), plural(n, "it", "them")
		sev := finding.Medium
		summary := fmt.Sprintf("%d %s in %s %s larger than the cap and %s not read: look at %s by hand (subjects: %s)",
			n, messages, g.account, were, were, them, list(g.items))
		if g.outcome == OutcomeMalformed {
			sev = finding.Low
			summary = fmt.Sprintf("%d %s in %s could not be parsed: look at %s by hand (subjects: %s)",
				n, messages, g.account, them, list(g.items))
		}
		out = append(out, finding.New(sev, "mail:"+g.account, g.outcome, summary))
	}
	return out, nil
}

// list joins the first maxListed items and says how many more there are.
func list(items []string) string {
	if len(items) <= maxListed {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:maxListed], ", "), len(items)-maxListed)
}

func (l *Ledger) dmarcFindings(ctx context.Context, at time.Time) ([]finding.Finding, error) {
	sums, err := l.DMARC(ctx, at.Add(-Lookback))
	if err != nil {
		return nil, err
	}
	var out []finding.Finding
	for start := 0; start < len(sums); {
		end := start
		for end < len(sums) && sums[end].Domain == sums[start].Domain {
			end++
		}
		domain := sums[start]
		total, failed := 0, 0
		var bad []SourceSummary
		for _, s := range sums[start:end] {
			total += s.Messages
			failed += s.Failed
			if s.Failed > 0 {
				bad = append(bad, s)
			}
		}
		start = end
		if failed == 0 {
			continue
		}
		slices.SortStableFunc(bad, func(a, b SourceSummary) int { return cmp.Compare(b.Failed, a.Failed) })
		items := make([]string, len(bad))
		for i, s := range bad {
			items[i] = fmt.Sprintf("%s (%d)", s.SourceIP, s.Failed)
		}
		out = append(out, finding.New(finding.Medium, "mail:dmarc", "dmarc/"+domain.Domain,
			fmt.Sprintf("DMARC: %d of %d messages claiming %s failed (sources: %s)", failed, total, domain.Domain, list(items))))
	}
	return out, nil
}
