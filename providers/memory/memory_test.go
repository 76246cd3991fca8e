package memory

import (
	"context"
	"errors"
	"testing"

	"github.com/lagrieta/itlag/providers"
)

func TestProvider(t *testing.T) {
	ctx := context.Background()
	p := New("mem")
	if p.Name() != "mem" {
		t.Errorf("Name() = %q", p.Name())
	}
	if _, err := p.Observe(ctx, "none.org"); !errors.Is(err, providers.ErrZoneNotFound) {
		t.Errorf("missing zone: %v", err)
	}
	p.AddZone("a.org")
	p.Put(providers.Record{Zone: "a.org", Name: "seed", Type: "A", Content: "192.0.2.9", TTL: 1})
	a := providers.Record{Zone: "a.org", Name: "www", Type: "A", Content: "192.0.2.1", TTL: 1}
	boom := errors.New("boom")
	p.FailOn(func(c providers.Change) error {
		if c.After != nil && c.After.Name == "bad" {
			return boom
		}
		return nil
	})
	bad := a
	bad.Name = "bad"
	errs := p.Apply(ctx, "a.org", []providers.Change{
		{Action: providers.Create, After: &a},
		{Action: providers.Create, After: &bad},
		{Action: providers.Delete, Before: &providers.Record{ID: "nope"}},
	})
	if len(errs) != 3 || errs[0] != nil || !errors.Is(errs[1], boom) || errs[2] == nil {
		t.Fatalf("Apply errors: %v", errs)
	}
	recs := p.Records("a.org")
	if len(recs) != 2 || recs[1].Name != "www" || recs[1].ID == "" || recs[1].ID == recs[0].ID {
		t.Fatalf("records after apply: %+v", recs)
	}
	upd := recs[1]
	upd.TTL = 300
	if errs := p.Apply(ctx, "a.org", []providers.Change{{Action: providers.Update, Before: &recs[1], After: &upd}}); errs[0] != nil {
		t.Fatal(errs[0])
	}
	obs, err := p.Observe(ctx, "a.org")
	if err != nil || len(obs.Records) != 2 || obs.Records[1].TTL != 300 || obs.Records[1].ID != recs[1].ID {
		t.Fatalf("after update: %+v %v", obs.Records, err)
	}
	if errs := p.Apply(ctx, "a.org", []providers.Change{{Action: providers.Delete, Before: &obs.Records[0]}}); errs[0] != nil {
		t.Fatal(errs[0])
	}
	if got := p.Records("a.org"); len(got) != 1 || got[0].Name != "www" {
		t.Errorf("after delete: %+v", got)
	}
	if p.Applied() != 3 {
		t.Errorf("Applied() = %d, want 3", p.Applied())
	}
}
