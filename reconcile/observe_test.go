package reconcile

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/memory"
)

// preparing is a memory provider that records what Prepare was told.
type preparing struct {
	*memory.Provider
	prepared [][]string
}

func (p *preparing) Prepare(_ context.Context, zones []string) {
	p.prepared = append(p.prepared, slices.Clone(zones))
}

func TestObservePreparesEachProviderOnce(t *testing.T) {
	p := &preparing{Provider: memory.New("mem")}
	p.AddZone("a.org", "b.org")
	other := memory.New("other")
	other.AddZone("c.org")
	d := Desired{Zones: []Zone{
		{Provider: "mem", Name: "a.org"}, {Provider: "other", Name: "c.org"}, {Provider: "mem", Name: "b.org"},
	}}
	o, err := Observe(context.Background(), d, map[string]providers.Provider{"mem": p, "other": other})
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Zones) != 3 {
		t.Fatalf("observed %d zones, want 3", len(o.Zones))
	}
	if len(p.prepared) != 1 || !slices.Equal(p.prepared[0], []string{"a.org", "b.org"}) {
		t.Fatalf("Prepare calls %v, want one with [a.org b.org]", p.prepared)
	}
}

// named is a provider with no capability beyond its name.
type named string

func (n named) Name() string { return string(n) }

func TestZoneAtProviderWithoutDNS(t *testing.T) {
	d := Desired{Zones: []Zone{{Provider: "cloudflare", Name: "x"}}}
	provs := map[string]providers.Provider{"cloudflare": named("noip")}
	_, err := Observe(context.Background(), d, provs)
	if err == nil || err.Error() != "observe cloudflare:x: provider noip does not host DNS zones" {
		t.Errorf("observe: %v, want observe cloudflare:x: provider noip does not host DNS zones", err)
	}
	p := &Planned{Changes: []providers.Change{{Action: providers.Create, Provider: "cloudflare", Zone: "x", Address: "cloudflare:x/@/A",
		After: &providers.Record{Zone: "x", Name: "@", Type: "A", Content: "192.0.2.1"}}}}
	outs, err := Apply(context.Background(), p, provs)
	if err == nil || len(outs) != 1 || !errors.Is(outs[0].Err, providers.ErrNoDNS) {
		t.Errorf("apply: %v %+v", err, outs)
	}
}
