package reconcile

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/schema"
)

// TestUnknownDates: a date the state marks "unknown" is valid, gives no
// date, and its medium finding names the field to fill in; a registrar's
// answer wins over the marker.
func TestUnknownDates(t *testing.T) {
	st := &schema.State{
		Domains: map[string]schema.Domain{
			"quiet.es":    {Registrar: "godaddy", Expires: schema.DateUnknown},
			"answered.es": {Registrar: "godaddy", Expires: schema.DateUnknown},
		},
		Subscriptions: map[string]schema.Subscription{
			"hosting": {Kind: "plan", Provider: "the hosting provider", Renews: schema.DateUnknown},
		},
		DDNS: map[string]schema.DDNSHost{"office.ddns.net": {Provider: "noip", ConfirmBy: schema.DateUnknown}},
	}
	d, err := DesiredFromState(st, nil)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	o := Observed{At: at, Domains: map[string]providers.Domain{
		"godaddy:answered.es": {Name: "answered.es", Status: "ACTIVE", Expires: at.AddDate(1, 0, 0)},
	}}
	tests := []struct {
		name, fill string
		sev        finding.Severity
	}{
		{"quiet.es", "domains.quiet.es.expires", finding.Medium},
		{"answered.es", "", ""},
		{"hosting", "subscriptions.hosting.renews", finding.Medium},
		{"office.ddns.net", "ddns.office.ddns.net.confirm_by", finding.Medium},
	}
	es := Expiries(d, o)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, e := range es {
				if e.Name != tt.name {
					continue
				}
				if e.Severity != tt.sev {
					t.Errorf("severity %q, want %q (note %q)", e.Severity, tt.sev, e.Note)
				}
				if tt.fill == "" {
					return
				}
				fs := e.Findings()
				if len(fs) != 1 || !strings.Contains(fs[0].Summary, "fill in "+tt.fill+" in the state") {
					t.Errorf("findings %v, want one naming %s", fs, tt.fill)
				}
				return
			}
			t.Fatalf("no expiry for %s", tt.name)
		})
	}
}

// pendingNAS is a resource provider whose dial refuses, as the registry's
// dialer does for a pending host key.
type pendingNAS struct{ dialed bool }

func (p *pendingNAS) Name() string { return "nas" }
func (p *pendingNAS) ObserveResources(_ context.Context, target string, _ []providers.Resource) (providers.ResourceObservation, error) {
	return providers.ResourceObservation{}, fmt.Errorf("nas %s: %w", target, providers.ErrHostKeyPending)
}
func (p *pendingNAS) ApplyResources(context.Context, string, []providers.Change) []error {
	p.dialed = true
	return nil
}

// TestHostKeyPending: a NAS whose host key is pending is skipped with one
// high finding, the same (fingerprint) as the state's own reading, and no
// change is planned for it.
func TestHostKeyPending(t *testing.T) {
	st := &schema.State{NAS: map[string]schema.NAS{"office": {Host: "nas.example", HostKey: schema.Pending, CronFile: "/etc/cron.d/itlag",
		Files: []schema.ManagedFile{{Path: "/etc/x.conf", Content: "x\n"}}}}}
	d, err := DesiredFromState(st, nil)
	if err != nil {
		t.Fatal(err)
	}
	obs, err := Observe(context.Background(), d, map[string]providers.Provider{"nas": &pendingNAS{}})
	if err != nil {
		t.Fatal(err)
	}
	p := Plan(d, obs, Policy{})
	if len(p.Changes) != 0 {
		t.Errorf("changes %v, want none for a NAS never connected to", p.Changes)
	}
	state := PendingFindings(st)
	if len(state) != 1 || state[0].Severity != finding.High || !strings.Contains(state[0].Summary, "itlag nas pin office") {
		t.Fatalf("PendingFindings = %v, want one high finding saying to run itlag nas pin office", state)
	}
	var found bool
	for _, f := range p.Findings {
		found = found || f.Fingerprint == state[0].Fingerprint
	}
	if !found {
		t.Errorf("plan findings %v, want the pending finding %s", p.Findings, state[0])
	}
}

// The contact details pending are one low finding naming every field to
// fill in; with all details given there is none.
func TestContactPendingFindings(t *testing.T) {
	st := &schema.State{Contacts: schema.Contacts{
		People: map[string]schema.Person{
			"it":  {Role: "IT", Name: "Ana", Email: "it@example.org", Phone: schema.Pending},
			"ceo": {Role: "CEO", Name: "Eva", Email: "ceo@example.org"},
		},
		Support: map[string]schema.Support{"isp": {Name: schema.Pending, For: []string{"isp"}, Phone: schema.Pending}},
	}}
	got := PendingFindings(st)
	want := "fill in contacts.people.it.phone, contacts.support.isp.name, contacts.support.isp.phone "
	if len(got) != 1 || got[0].Severity != finding.Low || got[0].Source != "contacts" || !strings.Contains(got[0].Summary, want) {
		t.Fatalf("PendingFindings = %v, want one low contacts finding saying %q", got, want)
	}
	st.Contacts.People["it"] = schema.Person{Role: "IT", Name: "Ana", Phone: "+34 600 000 000"}
	st.Contacts.Support = nil
	if got := PendingFindings(st); len(got) != 0 {
		t.Errorf("PendingFindings = %v with every detail given, want none", got)
	}
}
