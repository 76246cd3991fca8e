package providertest

import (
	"testing"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/reconcile"
)

func testAllTypes(t *testing.T, h Harness) {
	p, zone := h.New(t)
	recs := allTypes()
	converge(t, p, zoneOf(t, h.Capabilities, p, zone, true, recs), len(recs), 0, 0)
	for _, r := range recs {
		if nr := record(t, zone, r); !has(t, p, zone, nr) {
			t.Errorf("%s not observed after apply", nr.Key())
		}
	}
}

func testUpdate(t *testing.T, h Harness) {
	p, zone := h.New(t)
	recs := allTypes()
	converge(t, p, zoneOf(t, h.Capabilities, p, zone, true, recs), len(recs), 0, 0)

	changed := allTypes()
	changed[0].proxied = false           // @ A: proxied
	changed[1].ttl = 600                 // @ AAAA: ttl
	changed[2].content = "other.example" // www CNAME: content
	changed[2].comment = ""              // … and comment
	changed[3].prio = 5                  // @ MX mx1: priority
	changed[7].comment = "greeting"      // quote TXT: comment
	changed[14].content = "192.0.2.99"   // café A: content
	// 6 updates where records hold everything; fewer where the provider
	// drops what changed (GoDaddy: proxied, comments)
	before, after := zoneOf(t, h.Capabilities, p, zone, true, recs), zoneOf(t, h.Capabilities, p, zone, true, changed)
	updates := 0
	for i := range before.Records {
		if !before.Records[i].SameAttrs(after.Records[i]) {
			updates++
		}
	}
	if updates < 4 { // content, ttl and priority changes fit every provider
		t.Fatalf("only %d of the update case's changes fit %s", updates, p.Name())
	}
	converge(t, p, after, 0, updates, 0)
}

func testDelete(t *testing.T, h Harness) {
	p, zone := h.New(t)
	recs := allTypes()
	converge(t, p, zoneOf(t, h.Capabilities, p, zone, true, recs), len(recs), 0, 0)

	kept, dropped := recs[:5], recs[5:]
	converge(t, p, zoneOf(t, h.Capabilities, p, zone, true, kept), 0, 0, len(dropped))
	for _, r := range dropped {
		if nr := record(t, zone, r); has(t, p, zone, nr) {
			t.Errorf("%s still there after delete", nr.Key())
		}
	}
}

func testUnmanaged(t *testing.T, h Harness) {
	p, zone := h.New(t)
	declared := []raw{{name: "www", typ: "A", content: "192.0.2.10"}}
	converge(t, p, zoneOf(t, h.Capabilities, p, zone, true, declared), 1, 0, 0)

	seeded := []providers.Record{
		record(t, zone, raw{name: "_acme-challenge", typ: "TXT", content: "token-1"}),
		record(t, zone, raw{name: "legacy", typ: "A", content: "192.0.2.20"}),
	}
	h.Seed(t, zone, seeded...)

	covered := zoneOf(t, h.Capabilities, p, zone, true, declared)
	covered.Unmanaged = []reconcile.Unmanaged{{Name: "_acme-challenge*"}, {Name: "legacy", Type: "A"}}
	pl := plan(t, p, covered)
	if !pl.Empty() || pl.Summary.Unmanaged != len(seeded) {
		t.Fatalf("plan with unmanaged rules: summary %+v, changes:\n%s", pl.Summary, describe(pl))
	}
	apply(t, p, pl)

	noPurge := zoneOf(t, h.Capabilities, p, zone, false, declared)
	converge(t, p, noPurge, 0, 0, 0)
	for _, r := range seeded {
		if !has(t, p, zone, r) {
			t.Fatalf("%s was touched although unmanaged", r.Key())
		}
	}

	purge := zoneOf(t, h.Capabilities, p, zone, true, declared)
	converge(t, p, purge, 0, 0, len(seeded))
	for _, r := range seeded {
		if has(t, p, zone, r) {
			t.Errorf("%s not deleted by a purging plan without unmanaged rules", r.Key())
		}
	}
}
