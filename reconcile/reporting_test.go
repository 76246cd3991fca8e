package reconcile

import (
	"context"
	"errors"
	"testing"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/memory"
)

// TestApplyReportingCountsEveryChange: the batches reported add up to the
// plan's changes, failed ones included, one call per batch.
func TestApplyReportingCountsEveryChange(t *testing.T) {
	ctx := context.Background()
	mem := memory.New("mem")
	mem.AddZone("a.org", "b.org")
	mem.Put(rec("gone", "A", "3.3.3.3", inZone("b.org")))
	d := Desired{Zones: []Zone{
		{Provider: "mem", Name: "a.org", Purge: true, Records: []providers.Record{
			rec("www", "A", "1.1.1.2", inZone("a.org")), rec("api", "A", "1.1.1.3", inZone("a.org")),
		}},
		{Provider: "mem", Name: "b.org", Purge: true, Records: []providers.Record{rec("new", "A", "4.4.4.4", inZone("b.org"))}},
	}}
	provs := map[string]providers.Provider{"mem": mem}
	o, err := Observe(ctx, d, provs)
	if err != nil {
		t.Fatal(err)
	}
	p := Plan(d, o, defaultPolicy)
	if len(p.Changes) != 4 {
		t.Fatalf("plan has %d changes, want 4: %v", len(p.Changes), lines(p.Changes))
	}
	mem.FailOn(func(c providers.Change) error {
		if c.Address == "mem:a.org/api/A" {
			return errors.New("boom")
		}
		return nil
	})
	var calls []int
	if _, err := ApplyReporting(ctx, p, provs, func(n int) { calls = append(calls, n) }); err == nil {
		t.Fatal("want the failed change's error")
	}
	if len(calls) != 2 || calls[0]+calls[1] != 4 {
		t.Errorf("reported %v, want two batches (one per zone) adding up to 4", calls)
	}

	calls = nil
	p.Refusals = []Refusal{{Rule: RuleApexNS, Zone: "mem:a.org"}}
	if _, err := ApplyReporting(ctx, p, provs, func(n int) { calls = append(calls, n) }); err == nil || len(calls) != 0 {
		t.Errorf("refused plan: err %v, reported %v, want an error and no call", err, calls)
	}
}

// TestObserveReportingCountsUnits: one call per zone, resource set and
// managed domain, whether it answered or failed.
func TestObserveReportingCountsUnits(t *testing.T) {
	mem := memory.New("mem")
	mem.AddZone("a.org")
	d := Desired{
		Zones:     []Zone{{Provider: "mem", Name: "a.org"}, {Provider: "missing", Name: "b.org"}, {Provider: "mem", Name: "c.org"}},
		Resources: []ResourceSet{{Provider: "nas", Target: "office"}},
		Domains:   []Domain{{Name: "a.org", Registrar: "gd"}, {Name: "m.org", Registrar: ManualRegistrar}},
	}
	n := 0
	_, err := ObserveReporting(context.Background(), d, map[string]providers.Provider{"mem": mem}, func() { n++ })
	if err == nil {
		t.Fatal("want errors for the unknown provider and zone")
	}
	// 3 zones, 1 resource set, 1 managed domain (the manual one is not asked)
	if want := ObserveUnits(d); n != want || want != 5 {
		t.Errorf("observed %d calls, ObserveUnits %d, want 5", n, want)
	}
}
