package reconcile

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/memory"
)

func TestApplyOrderAndPartialFailure(t *testing.T) {
	ctx := context.Background()
	mem := memory.New("mem")
	mem.AddZone("a.org", "b.org")
	mem.Put(rec("old", "CNAME", "x.example.net", inZone("a.org")), rec("www", "A", "1.1.1.1", inZone("a.org")),
		rec("gone", "A", "3.3.3.3", inZone("b.org")))
	d := Desired{Zones: []Zone{
		{Provider: "mem", Name: "b.org", Purge: true, Records: []providers.Record{rec("new", "A", "4.4.4.4", inZone("b.org"))}},
		{Provider: "mem", Name: "a.org", Purge: true, Records: []providers.Record{
			rec("old", "A", "2.2.2.2", inZone("a.org")), rec("www", "A", "1.1.1.2", inZone("a.org")), rec("api", "A", "1.1.1.3", inZone("a.org")),
		}},
	}}
	provs := map[string]providers.Provider{"mem": mem}
	o, err := Observe(ctx, d, provs)
	if err != nil {
		t.Fatal(err)
	}
	p := Plan(d, o, defaultPolicy)
	var order []string
	mem.FailOn(func(c providers.Change) error {
		order = append(order, string(c.Action)+" "+c.Address)
		if c.Address == "mem:a.org/api/A" || c.Address == "mem:b.org/gone/A" {
			return errors.New("boom")
		}
		return nil
	})
	outs, err := Apply(ctx, p, provs)
	if err == nil || err.Error() != "2 of 6 changes failed" {
		t.Fatalf("err = %v", err)
	}
	wantOrder := []string{
		"delete mem:a.org/old/CNAME", "update mem:a.org/www/A", "create mem:a.org/api/A", "create mem:a.org/old/A",
		"delete mem:b.org/gone/A", "create mem:b.org/new/A",
	}
	if join(order) != join(wantOrder) {
		t.Errorf("apply order:\n%s\nwant:\n%s", join(order), join(wantOrder))
	}
	if len(outs) != len(p.Changes) {
		t.Fatalf("%d outcomes for %d changes", len(outs), len(p.Changes))
	}
	for i, out := range outs {
		failed := out.Change.Address == "mem:a.org/api/A" || out.Change.Address == "mem:b.org/gone/A"
		if out.Change.Address != p.Changes[i].Address || (out.Err != nil) != failed || (out.Error != "") != failed {
			t.Errorf("outcome %d: %+v", i, out)
		}
		if failed && !strings.Contains(out.Error, "boom") {
			t.Errorf("outcome error %q", out.Error)
		}
	}

	mem.FailOn(nil)
	o, err = Observe(ctx, d, provs)
	if err != nil {
		t.Fatal(err)
	}
	left := Plan(d, o, defaultPolicy)
	want := []string{"create mem:a.org/api/A: missing", "delete mem:b.org/gone/A: not declared"}
	if got := lines(left.Changes); join(got) != join(want) {
		t.Errorf("left after partial failure:\n%s\nwant:\n%s", join(got), join(want))
	}
	if _, err := Apply(ctx, left, provs); err != nil {
		t.Fatal(err)
	}
	o, _ = Observe(ctx, d, provs)
	if p := Plan(d, o, defaultPolicy); !p.Empty() {
		t.Errorf("not converged: %v", lines(p.Changes))
	}
}

func TestApplyRefusals(t *testing.T) {
	mem := memory.New("mem")
	mem.AddZone(tz)
	p := &Planned{Changes: []providers.Change{{Action: providers.Create, Provider: "mem", Zone: tz, After: &providers.Record{Name: "@", Type: "NS", Content: "ns.example.net"}}},
		Refusals: []Refusal{{Rule: RuleApexNS, Zone: "mem:" + tz}}}
	if _, err := Apply(context.Background(), p, map[string]providers.Provider{"mem": mem}); err == nil || !strings.Contains(err.Error(), "apex-ns") {
		t.Errorf("blocked plan: err = %v", err)
	}
	if mem.Applied() != 0 {
		t.Errorf("blocked plan applied %d changes", mem.Applied())
	}
	p.Refusals = nil
	outs, err := Apply(context.Background(), p, map[string]providers.Provider{})
	if err == nil || len(outs) != 1 || !strings.Contains(outs[0].Error, `no provider "mem"`) {
		t.Errorf("missing provider: %v %+v", err, outs)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	outs, err = Apply(ctx, p, map[string]providers.Provider{"mem": mem})
	if err == nil || !errors.Is(outs[0].Err, context.Canceled) || mem.Applied() != 0 {
		t.Errorf("cancelled: %v %+v", err, outs)
	}
}
