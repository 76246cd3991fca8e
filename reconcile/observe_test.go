package reconcile

import (
	"context"
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
