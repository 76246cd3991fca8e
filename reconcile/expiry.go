package reconcile

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/schema"
)

// The sources of an expiry date.
const (
	SourceObserved = "observed" // the provider reported it
	SourceDeclared = "declared" // the state declares it
	SourceUnknown  = "unknown"  // neither
	SourceMail     = "mail"     // the provider's mail told it (see Observed.Mailed)
)

// Expiry is where one subscription (or domain registration) stands on a
// given day.
type Expiry struct {
	Name     string `json:"name"` // the domain, or the subscription's name
	Kind     string `json:"kind"` // "domain", "plan", "dns-hostname", …
	Provider string `json:"provider"`
	What     string `json:"what,omitempty"`
	Owner    string `json:"owner,omitempty"`
	// Date is when it lapses unless renewed (zero when unknown), and
	// Source where the date comes from.
	Date   time.Time `json:"date,omitzero"`
	Source string    `json:"source"`
	// DaysLeft counts whole days from the observation's day to Date
	// (negative once past); meaningless when Source is unknown.
	DaysLeft int `json:"days_left"`
	// AutoRenew is what the state expects; AutoRenewObserved what the
	// provider reports, when it was asked.
	AutoRenew         bool  `json:"auto_renew"`
	AutoRenewObserved *bool `json:"auto_renew_observed,omitempty"`
	// Status is the registrar's status word for domains ("ACTIVE").
	Status    string `json:"status,omitempty"`
	Reminders []int  `json:"reminders"`
	// Severity is the worst finding about it ("" when nothing is due) and
	// Note says what is going on in a few words.
	Severity finding.Severity `json:"severity,omitempty"`
	Note     string           `json:"note"`
	// FillIn is the state's field marked "unknown" that should hold the
	// date, when the date is unknown for that reason.
	FillIn string `json:"fill_in,omitempty"`
	// MailedBy is the kind of the notice that told the date, when Source
	// is SourceMail.
	MailedBy string `json:"mailed_by,omitempty"`

	findings []finding.Finding
}

// Findings returns what Expiries found wrong with e.
func (e Expiry) Findings() []finding.Finding { return slices.Clone(e.findings) }

// ExpirySeverity is how serious a lapse daysLeft days away is, given the
// reminder lead times (any order) and whether the subscription renews by
// itself:
//
//   - on the day or past it: critical;
//   - beyond the largest lead time: "" (nothing due);
//   - otherwise by how many lead times have been crossed: one low, two
//     medium, three or more high (defaults 30, 14, 7, 1: low from 30
//     days, medium from 14, high from 7);
//   - a subscription that renews automatically stays low until the day.
func ExpirySeverity(daysLeft int, leads []int, autoRenew bool) finding.Severity {
	if daysLeft <= 0 {
		return finding.Critical
	}
	crossed := 0
	for _, l := range leads {
		if daysLeft <= l {
			crossed++
		}
	}
	switch {
	case crossed == 0:
		return ""
	case crossed == 1 || autoRenew:
		return finding.Low
	case crossed == 2:
		return finding.Medium
	}
	return finding.High
}

// Expiries lists every declared domain and subscription with its days
// left on o.At's day (UTC), domains first, each group sorted by name. A
// registration the registrar reported uses the registrar's expiry and
// auto-renew; otherwise the state's declared date.
func Expiries(d Desired, o Observed) []Expiry {
	today := o.At.UTC().Truncate(24 * time.Hour)
	var out []Expiry
	for _, dom := range d.Domains {
		e := Expiry{Name: dom.Name, Kind: "domain", Provider: dom.Registrar, Date: dom.Expires,
			Source: SourceDeclared, Reminders: dom.Reminders, FillIn: dom.FillIn}
		if dom.Settings.RenewAuto != nil {
			e.AutoRenew = *dom.Settings.RenewAuto
		}
		auto := e.AutoRenew
		obs, observed := o.Domains[dom.Key()]
		if observed {
			ra := obs.RenewAuto
			e.AutoRenewObserved, auto, e.Status = &ra, ra, obs.Status
			if !obs.Expires.IsZero() {
				e.Date, e.Source = obs.Expires.UTC(), SourceObserved
			}
		}
		if m, ok := mailed(o, "domain", dom.Name); ok && e.Source != SourceObserved {
			e.Date, e.Source, e.MailedBy = m.Date, SourceMail, m.Kind
		}
		if e.Date.IsZero() {
			e.Source = SourceUnknown
		}
		e.evaluate(today, auto, dom.Key())
		if observed && e.AutoRenew && !obs.RenewAuto {
			e.add(finding.New(finding.High, dom.Key(), "renew-auto-off",
				fmt.Sprintf("auto-renew is off at %s but the state expects it on; apply with --allow registrar turns it on", dom.Registrar)),
				"auto-renew off at "+dom.Registrar)
		}
		if observed && (obs.Status == "EXPIRED" || obs.Status == "CANCELLED") {
			e.add(finding.New(finding.Critical, dom.Key(), "status",
				fmt.Sprintf("%s reports the domain %s; renew it at the registrar", dom.Registrar, obs.Status)),
				"status "+obs.Status)
		}
		out = append(out, e)
	}
	for _, s := range d.Subscriptions {
		e := Expiry{Name: s.Name, Kind: s.Kind, Provider: s.Provider, What: s.What, Owner: s.Owner,
			Date: s.Renews, Source: SourceDeclared, AutoRenew: s.AutoRenew, Reminders: s.Reminders, FillIn: s.FillIn}
		if s.FillIn != "" {
			e.Source = SourceUnknown
		}
		area := "subscription"
		if s.Kind == "dns-hostname" {
			area = "ddns"
		}
		if m, ok := mailed(o, area, s.Name); ok {
			e.Date, e.Source, e.MailedBy = m.Date, SourceMail, m.Kind
		}
		e.evaluate(today, s.AutoRenew, "subscription:"+s.Name)
		out = append(out, e)
	}
	return out
}

// mailed is the newest date o.Mailed holds for area and target: a
// provider's mail is its word, newer than what the state declares.
func mailed(o Observed, area, target string) (MailedDate, bool) {
	var best MailedDate
	found := false
	for _, m := range o.Mailed {
		if m.Area == area && strings.EqualFold(m.Target, target) && !m.Date.IsZero() &&
			(!found || m.ReceivedAt.After(best.ReceivedAt)) {
			best, found = m, true
		}
	}
	return best, found
}

// evaluate fills DaysLeft, Severity and Note from the date.
func (e *Expiry) evaluate(today time.Time, auto bool, source string) {
	if e.Source == SourceUnknown {
		msg, note := fmt.Sprintf("expiry of %s is unknown: %s did not report it and the state declares none; add expires to the state", e.Name, e.Provider), "expiry unknown"
		if e.FillIn != "" {
			note = "date unknown: fill in " + e.FillIn
			from := e.Provider + "'s"
			if e.Provider == schema.DateUnknown {
				from = "the provider's" // the provider is not known either
			}
			msg = fmt.Sprintf("date unknown: fill in %s in the state (YYYY-MM-DD, from %s invoice, renewal notice or account page) in place of \"unknown\"",
				e.FillIn, from)
		}
		e.add(finding.New(finding.Medium, source, "expiry-unknown", msg), note)
		return
	}
	e.DaysLeft = int(e.Date.Sub(today).Hours() / 24)
	if e.Date.Before(today) && e.Date.Sub(today)%(24*time.Hour) != 0 {
		e.DaysLeft-- // a date part-way through a past day
	}
	sev := ExpirySeverity(e.DaysLeft, e.Reminders, auto)
	var msg string
	switch {
	case sev == "":
		e.Note = fmt.Sprintf("%d days left", e.DaysLeft)
		return
	case e.DaysLeft < 0 && auto && e.Source == SourceDeclared:
		// The declared date passed on something that renews by itself:
		// most likely renewed, but nobody confirmed it.
		sev = finding.High
		msg = fmt.Sprintf("declared renewal date %s passed %d days ago; confirm it renewed and update the date in the state", day(e.Date), -e.DaysLeft)
	case e.DaysLeft < 0:
		msg = fmt.Sprintf("lapsed on %s (%d days ago)", day(e.Date), -e.DaysLeft)
	case e.DaysLeft == 0:
		msg = fmt.Sprintf("lapses today (%s)", day(e.Date))
	case auto:
		msg = fmt.Sprintf("renews automatically in %d days (%s)", e.DaysLeft, day(e.Date))
	case e.Kind == "dns-hostname" && e.Source == SourceMail:
		msg = fmt.Sprintf("lapses in %d days (%s) unless confirmed, as %s's mail says: confirm it at %s (itlag mail confirmations)", e.DaysLeft, day(e.Date), e.Provider, e.Provider)
	case e.Kind == "dns-hostname":
		msg = fmt.Sprintf("lapses in %d days (%s) unless confirmed: confirm it at %s and move the date forward", e.DaysLeft, day(e.Date), e.Provider)
	default:
		msg = fmt.Sprintf("lapses in %d days (%s) and does not renew automatically: renew it", e.DaysLeft, day(e.Date))
	}
	f := finding.New(sev, source, "expiry", e.kindName()+" "+msg)
	f.Detail = fmt.Sprintf("date %s (%s), reminders %v days before", day(e.Date), e.Source, e.Reminders)
	e.add(f, msg)
}

func (e *Expiry) kindName() string {
	if e.Kind == "domain" {
		return "domain " + e.Name
	}
	return e.Name
}

// add records f and keeps the worst severity and its note.
func (e *Expiry) add(f finding.Finding, note string) {
	e.findings = append(e.findings, f)
	if e.Severity == "" || f.Severity.Rank() < e.Severity.Rank() {
		e.Severity, e.Note = f.Severity, note
	}
}

func day(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// ExpiryFindings gathers the findings of es, sorted.
func ExpiryFindings(es []Expiry) []finding.Finding {
	var out []finding.Finding
	for _, e := range es {
		out = append(out, e.findings...)
	}
	slices.SortFunc(out, func(a, b finding.Finding) int {
		return cmp.Or(compareFindings(a, b))
	})
	return out
}
