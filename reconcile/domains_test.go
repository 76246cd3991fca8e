package reconcile

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/memory"
)

var cfNS = []string{"ada.ns.cloudflare.com", "bob.ns.cloudflare.com"}
var gdNS = []string{"ns51.domaincontrol.com", "ns52.domaincontrol.com"}

func registrar(t *testing.T, doms ...providers.Domain) *memory.Provider {
	t.Helper()
	p := memory.New("godaddy")
	for _, d := range doms {
		p.AddDomain(d)
	}
	return p
}

func TestPlanDomain(t *testing.T) {
	live := providers.Domain{Name: "lagrieta.es", Status: "ACTIVE", RenewAuto: false, Locked: true, NameServers: gdNS,
		Expires: time.Date(2027, 3, 14, 0, 0, 0, 0, time.UTC)}
	tests := []struct {
		name    string
		want    providers.DomainSettings
		zones   []Zone
		reason  string // "" = no change
		refused bool
	}{
		{name: "unmanaged fields", want: providers.DomainSettings{}},
		{name: "in sync", want: providers.DomainSettings{Locked: ptr(true), NameServers: gdNS}},
		{name: "auto-renew on", want: providers.DomainSettings{RenewAuto: ptr(true)},
			reason: "renew_auto false → true", refused: true},
		{name: "nameservers move", want: providers.DomainSettings{NameServers: cfNS},
			zones:   []Zone{{Provider: "cloudflare", Name: "lagrieta.es"}},
			reason:  "nameservers ns51.domaincontrol.com, ns52.domaincontrol.com (godaddy) → ada.ns.cloudflare.com, bob.ns.cloudflare.com (cloudflare)",
			refused: true},
		{name: "nameservers away from the declared zone", want: providers.DomainSettings{NameServers: cfNS},
			zones:  []Zone{{Provider: "godaddy", Name: "lagrieta.es"}},
			reason: "(cloudflare) (warning: the state hosts zone lagrieta.es on godaddy)", refused: true},
		{name: "unlock", want: providers.DomainSettings{Locked: ptr(false), RenewAuto: ptr(false)},
			reason: "locked true → false", refused: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Desired{Zones: tt.zones, Domains: []Domain{{Name: "lagrieta.es", Registrar: "godaddy", Settings: tt.want, Reminders: DefaultReminders}}}
			o := Observed{Zones: map[string]providers.Observation{}, Domains: map[string]providers.Domain{"godaddy:lagrieta.es": live}}
			for _, z := range tt.zones {
				o.Zones[z.Key()] = providers.Observation{}
			}
			p := Plan(d, o, Policy{})
			if tt.reason == "" {
				if !p.Empty() || p.Blocked() {
					t.Fatalf("plan %v, refusals %v; want none", lines(p.Changes), p.Refusals)
				}
				return
			}
			if len(p.Changes) != 1 || p.Summary.Update != 1 {
				t.Fatalf("changes %v, want one update", lines(p.Changes))
			}
			c := p.Changes[0]
			if c.Address != "godaddy:domain/lagrieta.es" || c.Domain == nil || !strings.Contains(c.Reason, tt.reason) {
				t.Errorf("change %s %q (domain %v), want reason containing %q", c.Address, c.Reason, c.Domain, tt.reason)
			}
			if p.Blocked() != tt.refused || (tt.refused && p.Refusals[0].Rule != RuleRegistrar) {
				t.Errorf("refusals %+v, want refused by registrar: %t", p.Refusals, tt.refused)
			}
			allowed := Plan(d, o, Policy{Allow: map[Rule]bool{RuleRegistrar: true}})
			if allowed.Blocked() || len(allowed.Allowed) != 1 {
				t.Errorf("with --allow registrar: refusals %v, allowed %v", allowed.Refusals, allowed.Allowed)
			}
		})
	}
}

// TestRegistrarLoop: observe, plan, apply through SetDomain, plan again:
// empty. Only the fields that differ are sent.
func TestRegistrarLoop(t *testing.T) {
	ctx := context.Background()
	reg := registrar(t, providers.Domain{Name: "lagrieta.es", Status: "ACTIVE", Locked: false, NameServers: gdNS})
	provs := map[string]providers.Provider{"godaddy": reg}
	d := Desired{Domains: []Domain{{Name: "lagrieta.es", Registrar: "godaddy", Reminders: DefaultReminders,
		Settings: providers.DomainSettings{RenewAuto: ptr(true), Locked: ptr(true), NameServers: cfNS}}}}
	o, err := Observe(ctx, d, provs)
	if err != nil {
		t.Fatal(err)
	}
	p := Plan(d, o, Policy{Allow: map[Rule]bool{RuleRegistrar: true}})
	if len(p.Changes) != 1 {
		t.Fatalf("changes %v, want 1", lines(p.Changes))
	}
	if _, err := Apply(ctx, p, provs); err != nil {
		t.Fatal(err)
	}
	got, _ := reg.Domain(ctx, "lagrieta.es")
	if !got.RenewAuto || !got.Locked || strings.Join(got.NameServers, ",") != strings.Join(cfNS, ",") {
		t.Errorf("after apply: %+v", got)
	}
	o, _ = Observe(ctx, d, provs)
	if again := Plan(d, o, Policy{}); !again.Empty() {
		t.Errorf("plan after apply: %v", lines(again.Changes))
	}
	// A blocked plan is never applied.
	reg.AddDomain(providers.Domain{Name: "lagrieta.es", NameServers: gdNS})
	o, _ = Observe(ctx, d, provs)
	if _, err := Apply(ctx, Plan(d, o, Policy{}), provs); err == nil || !strings.Contains(err.Error(), "registrar") {
		t.Errorf("apply of a refused registrar change: %v", err)
	}
}

// TestAccessDenied: a registrar that bars the account is no error: the
// domain and zone are skipped with one low finding, the declared expiry is
// used, and no high "not observed" finding appears.
func TestAccessDenied(t *testing.T) {
	ctx := context.Background()
	reg := registrar(t, providers.Domain{Name: "lagrieta.es"})
	reg.AddZone("lagrieta.es")
	reg.DenyAccess(true)
	d := Desired{
		Zones:   []Zone{{Provider: "godaddy", Name: "lagrieta.es", Purge: true}},
		Domains: []Domain{{Name: "lagrieta.es", Registrar: "godaddy", Expires: time.Now().UTC().AddDate(1, 0, 0), Reminders: DefaultReminders}},
	}
	o, err := Observe(ctx, d, map[string]providers.Provider{"godaddy": reg})
	if err != nil {
		t.Fatalf("observe: %v", err)
	}
	if len(o.Skipped) != 2 {
		t.Errorf("skipped %v, want the zone and the domain", o.Skipped)
	}
	p := Plan(d, o, Policy{})
	if len(p.Findings) != 1 || p.Findings[0].Severity != finding.Low || !strings.Contains(p.Findings[0].Summary, "denied API access") {
		t.Errorf("findings %v, want one low access-denied finding", p.Findings)
	}
	es := Expiries(d, o)
	if es[0].Source != SourceDeclared || es[0].Severity != "" {
		t.Errorf("expiry %+v, want the declared date, nothing due", es[0])
	}
}

// TestSavedPlanStaleOnRegistrar: a registrar setting that moves after the
// plan makes the saved plan stale; an expiry date moving does not.
func TestSavedPlanStaleOnRegistrar(t *testing.T) {
	ctx := context.Background()
	reg := registrar(t, providers.Domain{Name: "lagrieta.es", NameServers: gdNS, Expires: date("2027-01-01")})
	provs := map[string]providers.Provider{"godaddy": reg}
	d := Desired{Domains: []Domain{{Name: "lagrieta.es", Registrar: "godaddy", Reminders: DefaultReminders,
		Settings: providers.DomainSettings{RenewAuto: ptr(true)}}}}
	o, _ := Observe(ctx, d, provs)
	s := NewSaved(Plan(d, o, Policy{}), d, o, "", time.Now())
	reg.AddDomain(providers.Domain{Name: "lagrieta.es", NameServers: gdNS, Expires: date("2028-01-01")})
	o, _ = Observe(ctx, d, provs)
	if lines := Stale(s, d, o); len(lines) != 0 {
		t.Errorf("expiry moved: stale %v, want current", lines)
	}
	reg.AddDomain(providers.Domain{Name: "lagrieta.es", NameServers: cfNS})
	o, _ = Observe(ctx, d, provs)
	if lines := Stale(s, d, o); len(lines) != 1 || lines[0] != "godaddy:domain/lagrieta.es changed since the plan" {
		t.Errorf("nameservers moved: stale %v", lines)
	}
}
