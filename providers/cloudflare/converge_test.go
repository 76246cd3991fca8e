package cloudflare_test

import (
	"fmt"
	"testing"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/cloudflare"
	"github.com/lagrieta/itlag/providers/cloudflare/cloudflaretest"
	"github.com/lagrieta/itlag/providers/providertest"
	"github.com/lagrieta/itlag/reconcile"
)

// TestConvergeUnderFaults is the loop an operator runs — plan, apply, plan
// again — against a fake where 20% of requests fail (429 with Retry-After,
// 500, connection reset, all before processing) and 25% of changing
// requests are carried out but their answer is lost. Plan and apply must
// converge to exactly the desired records: none duplicated, none lost.
func TestConvergeUnderFaults(t *testing.T) {
	e := setup(t, cloudflaretest.Options{}, cloudflare.Config{BatchSize: 20, PerPage: 50})
	d := reconcile.Desired{}
	for _, z := range []string{"lagrieta.es", "xn--and-6ma2c.es"} {
		e.fake.AddZone(z)
		want := manyA(z, 150)
		for i := range 30 {
			want = append(want, mustNormalize(t, providers.Record{Zone: z, Name: fmt.Sprintf("t%02d", i), Type: "TXT",
				Content: fmt.Sprintf(`token "%d" %0300d`, i, i)}))
		}
		// the world starts with part of it, some of it wrong, and extras
		for i, r := range want[:100] {
			if i%7 == 0 {
				r.TTL = 3600
			}
			e.fake.AddRecord(z, cloudflaretest.Record{Name: providers.FQDN(r.Name, z), Type: r.Type, Content: r.Content, TTL: r.TTL})
		}
		for i := range 20 {
			e.fake.AddRecord(z, cloudflaretest.Record{Name: fmt.Sprintf("old%d.%s", i, z), Type: "A", Content: "192.0.2.1", TTL: 1})
		}
		d.Zones = append(d.Zones, reconcile.Zone{Provider: "cloudflare", Name: z, Records: want, Purge: true})
	}
	provs := map[string]providers.Provider{"cloudflare": e.p}
	allow := reconcile.Policy{Allow: map[reconcile.Rule]bool{reconcile.RuleMassChange: true}}

	e.fake.SetFaults(cloudflaretest.Faults{Rate: 0.2, LostResponseRate: 0.25, Seed: 15})
	rounds := 0
	for ; rounds < 10; rounds++ {
		obs, err := reconcile.Observe(ctx(t), d, provs)
		if err != nil {
			t.Fatalf("round %d: observe: %v", rounds, err)
		}
		p := reconcile.Plan(d, obs, allow)
		if p.Empty() {
			break
		}
		outs, err := reconcile.Apply(ctx(t), p, provs)
		failed := 0
		for _, o := range outs {
			if o.Err != nil {
				failed++
			}
		}
		t.Logf("round %d: %d changes, %d failed (%v)", rounds, len(p.Changes), failed, err)
	}
	st := e.fake.Requests()
	e.fake.SetFaults(cloudflaretest.Faults{})
	if rounds == 10 {
		t.Fatalf("no convergence after 10 rounds")
	}
	if st.Failed == 0 || st.Lost == 0 {
		t.Fatalf("faults were not injected: %+v", st)
	}
	for _, z := range d.Zones {
		if diff := providertest.SameSet(observe(t, e, z.Name), z.Records); diff != "" {
			t.Fatalf("%s after convergence:%s", z.Name, diff)
		}
		// the raw store too: exactly the desired records plus Cloudflare's two NS
		if n := len(e.fake.Records(z.Name)); n != len(z.Records)+2 {
			t.Fatalf("%s: fake holds %d records, want %d", z.Name, n, len(z.Records)+2)
		}
	}
	t.Logf("converged in %d rounds; requests %+v", rounds, st)
}
