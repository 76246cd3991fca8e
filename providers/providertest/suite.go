package providertest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/reconcile"
)

// Harness gives the suite what it needs from a provider.
type Harness struct {
	// New returns a fresh provider and the name (canonical) of an empty zone
	// in it: one holding only provider-managed records. Each subtest calls it.
	New func(t *testing.T) (p providers.DNS, zone string)
	// Seed inserts canonical records directly into the provider's backing
	// store, bypassing Apply, as someone editing the zone by hand would.
	Seed func(t *testing.T, zone string, recs ...providers.Record)
	// Capabilities are what the provider's records can hold
	// (registry.Capabilities().Of(name)).
	Capabilities providers.Capabilities
}

// allowAll lets the suite's plans through the safety rules.
var allowAll = reconcile.Policy{Allow: map[reconcile.Rule]bool{
	reconcile.RuleMassChange: true, reconcile.RuleApexNS: true, reconcile.RuleProtected: true,
}}

// Run runs the conformance suite against h.
func Run(t *testing.T, h Harness) {
	t.Run("AllTypes", func(t *testing.T) { testAllTypes(t, h) })
	t.Run("Update", func(t *testing.T) { testUpdate(t, h) })
	t.Run("Delete", func(t *testing.T) { testDelete(t, h) })
	t.Run("Unmanaged", func(t *testing.T) { testUnmanaged(t, h) })
}

// raw is a record as a state file would declare it.
type raw struct {
	name, typ, content string
	ttl, prio          int
	proxied            bool
	comment            string
}

// allTypes covers every record type and the awkward cases: TXT over 255
// bytes with quotes, NS on a subdomain, a wildcard, an IDN name.
func allTypes() []raw {
	long := strings.Repeat("k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA", 7) + `"quoted" \ end`
	return []raw{
		{name: "@", typ: "A", content: "192.0.2.1", proxied: true},
		{name: "@", typ: "AAAA", content: "2001:db8::1"},
		{name: "www", typ: "CNAME", content: "example.net", comment: "web site"},
		{name: "@", typ: "MX", content: "mx1.example.net", prio: 10},
		{name: "@", typ: "MX", content: "mx2.example.net", prio: 20, ttl: 3600},
		{name: "@", typ: "TXT", content: "v=spf1 include:_spf.example.net ~all"},
		{name: "big._domainkey", typ: "TXT", content: long},
		{name: "quote", typ: "TXT", content: `say "hello"; ok`},
		{name: "@", typ: "CAA", content: `0 issue "letsencrypt.org"`},
		{name: "_sip._tcp", typ: "SRV", content: "5 5060 sip.example.net", prio: 10},
		{name: "dev", typ: "NS", content: "ns1.example.net"},
		{name: "dev", typ: "NS", content: "ns2.example.net"},
		{name: "*", typ: "A", content: "192.0.2.2"},
		{name: "*.apps", typ: "CNAME", content: "apps.example.net"},
		{name: "café", typ: "A", content: "192.0.2.3", ttl: 300},
	}
}

// zoneOf builds a normalised desired zone for p.
func zoneOf(t *testing.T, caps providers.Capabilities, p providers.DNS, zone string, purge bool, recs []raw) reconcile.Zone {
	t.Helper()
	z := reconcile.Zone{Provider: p.Name(), Name: zone, Purge: purge, Records: []providers.Record{}}
	for _, r := range recs {
		if !caps.Proxy {
			r.proxied = false
		}
		if r.ttl != 0 && r.ttl < caps.MinTTL {
			r.ttl = caps.MinTTL // as a state file for this provider must declare it
		}
		fr, err := caps.Fit(p.Name(), record(t, zone, r))
		if err != nil {
			t.Fatalf("suite record %+v does not fit %s: %v", r, p.Name(), err)
		}
		z.Records = append(z.Records, fr)
	}
	return z
}

func record(t *testing.T, zone string, r raw) providers.Record {
	t.Helper()
	nr, err := providers.Normalize(providers.Record{Zone: zone, Name: r.name, Type: r.typ, Content: r.content,
		TTL: r.ttl, Priority: r.prio, Proxied: r.proxied, Comment: r.comment})
	if err != nil {
		t.Fatalf("bad suite record %+v: %v", r, err)
	}
	return nr
}

// plan observes p and plans z against it.
func plan(t *testing.T, p providers.DNS, z reconcile.Zone) *reconcile.Planned {
	t.Helper()
	d := reconcile.Desired{Zones: []reconcile.Zone{z}}
	o, err := reconcile.Observe(context.Background(), d, map[string]providers.Provider{p.Name(): p})
	if err != nil {
		t.Fatalf("observe: %v", err)
	}
	return reconcile.Plan(d, o, allowAll)
}

// apply carries out pl and fails the test on any failed change.
func apply(t *testing.T, p providers.DNS, pl *reconcile.Planned) {
	t.Helper()
	outs, err := reconcile.Apply(context.Background(), pl, map[string]providers.Provider{p.Name(): p})
	for _, o := range outs {
		if o.Err != nil {
			t.Errorf("apply %s %s: %v", o.Change.Action, o.Change.Address, o.Err)
		}
	}
	if err != nil {
		t.Fatalf("apply: %v", err)
	}
}

// converge plans z, checks the plan has the wanted number of creates,
// updates and deletes, applies it, and checks that a new plan is empty.
func converge(t *testing.T, p providers.DNS, z reconcile.Zone, create, update, del int) {
	t.Helper()
	pl := plan(t, p, z)
	if s := pl.Summary; s.Create != create || s.Update != update || s.Delete != del {
		t.Fatalf("plan: %d create, %d update, %d delete; want %d, %d, %d:\n%s",
			s.Create, s.Update, s.Delete, create, update, del, describe(pl))
	}
	apply(t, p, pl)
	if again := plan(t, p, z); !again.Empty() {
		t.Fatalf("plan after apply is not empty:\n%s", describe(again))
	}
}

func describe(pl *reconcile.Planned) string {
	var b strings.Builder
	for _, c := range pl.Changes {
		fmt.Fprintf(&b, "  %s %s: %s\n", c.Action, c.Address, c.Reason)
	}
	return b.String()
}

// has reports whether zone at p holds a record with r's key.
func has(t *testing.T, p providers.DNS, zone string, r providers.Record) bool {
	t.Helper()
	obs, err := p.Observe(context.Background(), zone)
	if err != nil {
		t.Fatalf("observe: %v", err)
	}
	for _, o := range obs.Records {
		if o.Key() == r.Key() {
			return true
		}
	}
	return false
}
