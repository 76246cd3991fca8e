package importer

import (
	"fmt"
	"testing"
	"testing/fstest"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/registry"
	"github.com/lagrieta/itlag/reconcile"
	"github.com/lagrieta/itlag/schema"
)

// canon returns raw records in canonical form with IDs, as a provider's
// Observe returns them.
func canon(t testing.TB, zone string, raw []providers.Record) []providers.Record {
	t.Helper()
	out := make([]providers.Record, 0, len(raw))
	for i, r := range raw {
		r.Zone = zone
		n, err := providers.Normalize(r)
		if err != nil {
			t.Fatalf("Normalize(%+v): %v", r, err)
		}
		n.ID = fmt.Sprintf("id%03d", i)
		out = append(out, n)
	}
	return out
}

// load validates a rendered file with the loader itlag uses and turns it
// into desired zones.
func load(t testing.TB, rel string, data []byte) (*schema.State, reconcile.Desired) {
	t.Helper()
	st, err := schema.LoadFS(fstest.MapFS{rel: {Data: data}})
	if err != nil {
		t.Fatalf("LoadFS of the rendered file: %v\n%s", err, data)
	}
	d, err := reconcile.DesiredFromState(st, registry.Capabilities())
	if err != nil {
		t.Fatalf("DesiredFromState: %v\n%s", err, data)
	}
	return st, d
}

// roundTrip renders recs with Zone, loads the result back and plans it
// against recs.
func roundTrip(t testing.TB, provider, zone string, recs []providers.Record) (*reconcile.Planned, []Skipped, []byte) {
	t.Helper()
	out, skipped, err := Zone(provider, registry.Capabilities().Of(provider), zone, recs, "Imported from "+provider+" by itlag import")
	if err != nil {
		t.Fatalf("Zone: %v", err)
	}
	_, d := load(t, ZonePath(zone), out)
	z, err := providers.NormalizeZone(zone)
	if err != nil {
		t.Fatal(err)
	}
	o := reconcile.Observed{Zones: map[string]providers.Observation{
		reconcile.ZoneKey(provider, z): {Records: recs},
	}}
	return reconcile.Plan(d, o, reconcile.Policy{}), skipped, out
}

// wantNoChanges fails with the changes a plan has.
func wantNoChanges(t testing.TB, p *reconcile.Planned, out []byte) {
	t.Helper()
	for _, c := range p.Changes {
		t.Errorf("change %s %s: %s", c.Action, c.Address, c.Reason)
	}
	if t.Failed() {
		t.Logf("rendered:\n%s", out)
	}
}
