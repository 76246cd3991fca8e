package app

import (
	"context"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/ops/mail/inbox"
	"github.com/lagrieta/itlag/ops/mail/ledger"
	"github.com/lagrieta/itlag/publish/reports"
	"github.com/lagrieta/itlag/reconcile"
)

// MailStatus is what the IT mailbox has said, as an observation sees it
// (the ledger; Observe reads no mail: check, drift and watch read it
// first).
type MailStatus struct {
	Accounts []MailAccountStatus `json:"accounts"`
	// Confirmations are the open confirmations, by deadline.
	Confirmations []ledger.Confirmation `json:"confirmations"`
	// Counts are the messages handled in the last 30 days, by outcome
	// ("matched", "unmatched", "too-big", …).
	Counts map[string]int `json:"counts"`
	// DMARC are the sending sources of the last 30 days' aggregate
	// reports.
	DMARC []ledger.SourceSummary `json:"dmarc,omitempty"`
}

// MailAccountStatus is when an account was last read, and why this
// run's pass failed, if it did.
type MailAccountStatus struct {
	Name     string    `json:"name"`
	LastRead time.Time `json:"last_read,omitzero"`
	Error    string    `json:"error,omitempty"`
}

// mailWindow is how far back the mail counts and DMARC sums look.
const mailWindow = 30 * 24 * time.Hour

// mailObservation reads the ledger: what is open becomes findings
// (ledger.Findings), each account's last pass is judged (never read, not
// read for long, failed in this run), and the open confirmations and
// counts are returned for the page and the reports. Nil when the state
// declares no mailbox.
func (rt *Runtime) mailObservation(ctx context.Context, at time.Time) (*MailStatus, []finding.Finding, error) {
	if len(rt.State.Mail) == 0 {
		return nil, nil, nil
	}
	db, err := rt.DB()
	if err != nil {
		return nil, nil, err
	}
	l := ledger.New(db, time.Now)
	fs, err := l.Findings(ctx, at)
	if err != nil {
		return nil, nil, fmt.Errorf("mail: %w", err)
	}
	st := &MailStatus{}
	if st.Confirmations, err = l.Confirmations(ctx, false); err != nil {
		return nil, nil, fmt.Errorf("mail: %w", err)
	}
	if st.Counts, err = l.Counts(ctx, at.Add(-mailWindow)); err != nil {
		return nil, nil, fmt.Errorf("mail: %w", err)
	}
	if st.DMARC, err = l.DMARC(ctx, at.Add(-mailWindow)); err != nil {
		return nil, nil, fmt.Errorf("mail: %w", err)
	}
	for _, name := range slices.Sorted(maps.Keys(rt.State.Mail)) {
		a := rt.State.Mail[name]
		as := MailAccountStatus{Name: name, Error: rt.mailErrs[name]}
		read := true
		for _, folder := range a.Folders {
			_, _, checked, ok, err := inbox.Cursor(ctx, db, name, folder)
			if err != nil {
				return nil, nil, fmt.Errorf("mail: %w", err)
			}
			if !ok {
				read = false
				continue
			}
			if as.LastRead.IsZero() || checked.Before(as.LastRead) {
				as.LastRead = checked
			}
		}
		src := "mail:" + name
		switch {
		case as.Error != "":
			f := finding.New(finding.High, src, "read", fmt.Sprintf("mailbox %s could not be read: %s", name, as.Error))
			f.Detail = "provider notices and confirmations are not seen until it is read again; the next pass resumes where the last one stopped"
			fs = append(fs, f)
		case !read:
			fs = append(fs, finding.New(finding.Low, src, "stale",
				fmt.Sprintf("mailbox %s has not been read yet: itlag mail check reads it (watch reads it on its own)", name)))
		case at.Sub(as.LastRead) > staleAfter(a.Interval):
			fs = append(fs, finding.New(finding.Medium, src, "stale",
				fmt.Sprintf("mailbox %s was last read %s ago (%s): provider notices may be waiting", name,
					at.Sub(as.LastRead).Round(time.Minute), as.LastRead.UTC().Format(time.RFC3339))))
		}
		st.Accounts = append(st.Accounts, as)
	}
	return st, fs, nil
}

// staleAfter is how long a mailbox may go unread before it is a finding:
// a day, or three intervals when that is longer.
func staleAfter(interval string) time.Duration {
	d := 24 * time.Hour
	if iv, err := parseInterval(interval); err == nil && 3*iv > d {
		d = 3 * iv
	}
	return d
}

// mailedDates are the dates the ledger learned from providers' mail, for
// the expiries (reconcile.Observed.Mailed).
func (rt *Runtime) mailedDates(ctx context.Context) ([]reconcile.MailedDate, error) {
	if len(rt.State.Mail) == 0 {
		return nil, nil
	}
	db, err := rt.DB()
	if err != nil {
		return nil, err
	}
	l := ledger.New(db, time.Now)
	ls, err := l.Learned(ctx)
	if err != nil {
		return nil, fmt.Errorf("mail: %w", err)
	}
	cs, err := l.Confirmations(ctx, true)
	if err != nil {
		return nil, fmt.Errorf("mail: %w", err)
	}
	out := make([]reconcile.MailedDate, 0, len(ls))
	for _, d := range ls {
		md := reconcile.MailedDate{Area: d.Area, Target: d.Target, Date: d.Date, Kind: d.Kind, ReceivedAt: d.ReceivedAt}
		if c, ok := confirmedAfter(cs, "noip:hostname:"+d.Target, d.ReceivedAt); ok && d.Area == "ddns" {
			// A free No-IP host lasts 30 days from its confirmation.
			md.Date = c.ClosedAt.UTC().Truncate(24 * time.Hour).Add(NoIPConfirmEvery)
			md.Kind, md.ReceivedAt = "confirmed ("+c.ClosedBy+")", c.ClosedAt
		}
		out = append(out, md)
	}
	return out, nil
}

// NoIPConfirmEvery is how long a free No-IP hostname lasts once confirmed.
const NoIPConfirmEvery = 30 * 24 * time.Hour

// confirmedAfter is the last confirmation of key closed after since.
func confirmedAfter(cs []ledger.Confirmation, key string, since time.Time) (ledger.Confirmation, bool) {
	var best ledger.Confirmation
	found := false
	for _, c := range cs {
		if c.Key == key && c.State == "done" && c.ClosedAt.After(since) && (!found || c.ClosedAt.After(best.ClosedAt)) {
			best, found = c, true
		}
	}
	return best, found
}

// statusConfirmations are the open confirmations as status.json lists
// them: the link's host, not the link.
func statusConfirmations(m *MailStatus) []reports.Confirmation {
	if m == nil {
		return nil
	}
	out := make([]reports.Confirmation, 0, len(m.Confirmations))
	for _, c := range m.Confirmations {
		rc := reports.Confirmation{ID: c.ID, What: c.What, Provider: c.Provider, Target: c.Target, Deadline: c.Deadline}
		if u, err := url.Parse(c.Link); err == nil {
			rc.LinkHost = u.Hostname()
		}
		out = append(out, rc)
	}
	return out
}

// dmarcMetrics are the last 30 days' DMARC results per domain, a
// security metric: "dmarc:DOMAIN/messages" reported by receivers and
// "dmarc:DOMAIN/failed_messages" that passed neither aligned DKIM nor SPF.
func dmarcMetrics(m *MailStatus) map[string]float64 {
	out := map[string]float64{}
	if m == nil {
		return out
	}
	for _, s := range m.DMARC {
		out["dmarc:"+s.Domain+"/messages"] += float64(s.Messages)
		out["dmarc:"+s.Domain+"/failed_messages"] += float64(s.Failed)
	}
	return out
}
