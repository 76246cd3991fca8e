package godaddy_test

import (
	"fmt"
	"math/rand"
	"net/http"
	"testing"
	"time"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/godaddy"
	"github.com/lagrieta/itlag/providers/godaddy/godaddytest"
	"github.com/lagrieta/itlag/providers/providertest"
	"github.com/lagrieta/itlag/providers/transport"
	"github.com/lagrieta/itlag/reconcile"
)

// TestConvergeUnderFaults is the loop an operator runs — plan, apply, plan
// again — against a fake where 15% of requests fail with a 500 before
// they are processed and 20% of changing requests are carried out but
// their answer is lost, with a transport that gives up after one retry.
// Plan and apply must converge to exactly the desired records (plus
// GoDaddy's own): none duplicated, none lost, unmanaged ones kept.
func TestConvergeUnderFaults(t *testing.T) {
	e := setup(t, godaddytest.Options{}, godaddy.Config{
		HTTPClient: transport.New(transport.Options{RetryMax: 1, WaitMin: time.Millisecond, WaitMax: time.Millisecond})})
	e.fake.AddDomain(providers.Domain{Name: zone})
	want := manyA(zone, 60)
	for i := range 10 {
		want = append(want, providers.Record{Zone: zone, Name: fmt.Sprintf("t%d", i%4), Type: "TXT", Content: fmt.Sprintf("token-%d", i), TTL: 3600},
			providers.Record{Zone: zone, Name: "@", Type: "MX", Content: fmt.Sprintf("mx%d.example.net", i), Priority: i, TTL: 3600})
	}
	for i := range want {
		want[i] = rec(t, zone, want[i].Name, want[i].Type, want[i].Content, want[i].TTL, want[i].Priority)
	}
	// the world starts with part of it, some of it wrong, extras to purge
	// and unmanaged records sharing sets with managed ones
	var seed []providers.Record
	for i, r := range want[:40] {
		if i%5 == 0 {
			r.TTL = 600
		}
		seed = append(seed, r)
	}
	unmanaged := []providers.Record{rec(t, zone, "t1", "TXT", "keep-me", 3600, 0), rec(t, zone, "h0003", "A", "198.51.100.3", 3600, 0)}
	extra := []providers.Record{rec(t, zone, "h0004", "A", "198.51.100.4", 3600, 0), rec(t, zone, "old", "A", "198.51.100.5", 3600, 0)}
	if err := e.fake.AddRecords(zone, append(append(seed, unmanaged...), extra...)...); err != nil {
		t.Fatal(err)
	}
	d := reconcile.Desired{Zones: []reconcile.Zone{{Provider: "godaddy", Name: zone, Records: want, Purge: true,
		Unmanaged: []reconcile.Unmanaged{{Name: "t1", Type: "TXT"}, {Name: "h0003", Type: "A"}}}}}
	provs := map[string]providers.Provider{"godaddy": e.p}
	allow := reconcile.Policy{Allow: map[reconcile.Rule]bool{reconcile.RuleMassChange: true}}

	rng := rand.New(rand.NewSource(7))
	e.fake.FailWith(func(r *http.Request) int {
		switch x := rng.Float64(); {
		case x < 0.15:
			return http.StatusInternalServerError
		case r.Method != http.MethodGet && x < 0.35:
			return godaddytest.LoseAnswer
		}
		return 0
	})
	rounds, failures := 0, 0
	for ; rounds < 15; rounds++ {
		obs, err := reconcile.Observe(ctx(t), d, provs)
		if err != nil {
			continue // a list request failed for good: plan again
		}
		p := reconcile.Plan(d, obs, allow)
		if p.Empty() {
			break
		}
		outs, _ := reconcile.Apply(ctx(t), p, provs)
		for _, o := range outs {
			if o.Err != nil {
				failures++
			}
		}
	}
	st := e.fake.Requests()
	e.fake.FailWith(nil)
	if rounds == 15 {
		t.Fatalf("no convergence after 15 rounds; requests %+v", st)
	}
	if st.Failed == 0 || st.Lost == 0 || failures == 0 {
		t.Fatalf("faults did not bite: %d failed changes, requests %+v", failures, st)
	}
	if diff := providertest.SameSet(observe(t, e.p, zone), append(want, unmanaged...)); diff != "" {
		t.Fatalf("after convergence:%s", diff)
	}
	if n := len(e.fake.RawRecords(zone)); n != len(want)+len(unmanaged)+3 {
		t.Fatalf("fake holds %d records, want %d", n, len(want)+len(unmanaged)+3)
	}
	t.Logf("converged in %d rounds, %d failed changes on the way; requests %+v", rounds, failures, st)
}
