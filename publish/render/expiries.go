package render

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/reconcile"
)

// Subscriptions writes one line per subscription: name, kind, provider,
// date and where it comes from, days left, auto-renew (expected, and what
// the provider says when it was asked), and status (ok, or the severity
// and what is due), then the findings that are not about one date.
func Subscriptions(w io.Writer, es []reconcile.Expiry, other []finding.Finding, o Options) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tKIND\tPROVIDER\tRENEWS\tDAYS\tAUTO-RENEW\tSTATUS")
	for _, e := range es {
		date, days := "unknown", "-"
		if e.Source != reconcile.SourceUnknown {
			date = e.Date.UTC().Format(time.DateOnly) + " (" + e.Source + ")"
			days = fmt.Sprint(e.DaysLeft)
		}
		auto := yesNo(e.AutoRenew)
		if e.AutoRenewObserved != nil && *e.AutoRenewObserved != e.AutoRenew {
			auto += " (" + e.Provider + ": " + yesNo(*e.AutoRenewObserved) + ")"
		}
		status := "ok"
		if e.Severity != "" {
			status = o.paint(severityColor(e.Severity), string(e.Severity)) + ": " + e.Note
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.Name, e.Kind, e.Provider, date, days, auto, status)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(es) == 0 {
		fmt.Fprintln(w, "No domains or subscriptions are declared in the state.")
	}
	for _, f := range other {
		fmt.Fprintf(w, "%s %s: %s\n", o.paint(severityColor(f.Severity), string(f.Severity)), f.Source, f.Summary)
	}
	return nil
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// SubscriptionsReport is the JSON form of the subscriptions command.
type SubscriptionsReport struct {
	FormatVersion string             `json:"format_version"`
	At            time.Time          `json:"at"`
	Subscriptions []reconcile.Expiry `json:"subscriptions"`
	Findings      []finding.Finding  `json:"findings"`
}

// SubscriptionsJSON writes the report as indented JSON; findings are every
// finding about the subscriptions and the registrars, sorted.
func SubscriptionsJSON(w io.Writer, r SubscriptionsReport) error {
	if r.Subscriptions == nil {
		r.Subscriptions = []reconcile.Expiry{}
	}
	if r.Findings == nil {
		r.Findings = []finding.Finding{}
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
