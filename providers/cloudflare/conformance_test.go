package cloudflare_test

import (
	"testing"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/cloudflare"
	"github.com/lagrieta/itlag/providers/cloudflare/cloudflaretest"
	"github.com/lagrieta/itlag/providers/providertest"
)

// TestConformance runs the suite every provider runs against the Cloudflare
// fake: apply, plan again, expect zero changes; update; delete; unmanaged
// records untouched.
func TestConformance(t *testing.T) {
	envs := map[string]env{}
	providertest.Run(t, providertest.Harness{
		Capabilities: cloudflare.Capabilities,
		New: func(t *testing.T) (providers.DNS, string) {
			e := setup(t, cloudflaretest.Options{}, cloudflare.Config{})
			zone := "conformance.example"
			e.fake.AddZone(zone)
			envs[t.Name()] = e
			return e.p, zone
		},
		// Seed writes through the API from a second client, as someone
		// editing the zone in the dashboard would.
		Seed: func(t *testing.T, zone string, recs ...providers.Record) {
			e := envs[t.Name()]
			changes := make([]providers.Change, len(recs))
			for i := range recs {
				changes[i] = providers.Change{Action: providers.Create, Provider: "cloudflare", Zone: zone, After: &recs[i], Address: recs[i].Key()}
			}
			for i, err := range e.p.Apply(ctx(t), zone, changes) {
				if err != nil {
					t.Fatalf("seed %s: %v", changes[i].Address, err)
				}
			}
		},
	})
}

// TestApexNS: the apex NS records of Cloudflare's assigned nameservers are
// hidden; apex NS records the operator added are observed like any other.
func TestApexNS(t *testing.T) {
	e := setup(t, cloudflaretest.Options{}, cloudflare.Config{})
	zone := "example.org"
	e.fake.AddZone(zone)
	obs, err := e.p.Observe(ctx(t), zone)
	if err != nil {
		t.Fatal(err)
	}
	if len(obs.Records) != 0 {
		t.Fatalf("a new zone shows %d records, want 0 (assigned NS hidden): %+v", len(obs.Records), obs.Records)
	}
	own := mustNormalize(t, providers.Record{Zone: zone, Name: "@", Type: "NS", Content: "ns1.other-dns.example"})
	if errs := e.p.Apply(ctx(t), zone, []providers.Change{{Action: providers.Create, Zone: zone, After: &own, Address: "x"}}); errs[0] != nil {
		t.Fatal(errs[0])
	}
	obs, err = e.p.Observe(ctx(t), zone)
	if err != nil {
		t.Fatal(err)
	}
	if len(obs.Records) != 1 || !obs.Records[0].SameAttrs(own) {
		t.Fatalf("observed %+v, want only %+v", obs.Records, own)
	}
}
