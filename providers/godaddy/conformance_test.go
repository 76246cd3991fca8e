package godaddy_test

import (
	"testing"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/godaddy"
	"github.com/lagrieta/itlag/providers/godaddy/godaddytest"
	"github.com/lagrieta/itlag/providers/providertest"
)

// TestConformance runs the suite every provider runs against the GoDaddy
// fake: apply, plan again, expect zero changes; update; delete; unmanaged
// records untouched.
func TestConformance(t *testing.T) {
	fakes := map[string]*godaddytest.Server{}
	providertest.Run(t, providertest.Harness{
		Capabilities: godaddy.Capabilities,
		New: func(t *testing.T) (providers.DNS, string) {
			e := setup(t, godaddytest.Options{}, godaddy.Config{})
			zone := "conformance.example"
			e.fake.AddDomain(providers.Domain{Name: zone})
			fakes[t.Name()] = e.fake
			return e.p, zone
		},
		// Seed writes into the fake's store, bypassing the API, as someone
		// editing the zone in GoDaddy's DNS manager would.
		Seed: func(t *testing.T, zone string, recs ...providers.Record) {
			if err := fakes[t.Name()].AddRecords(zone, recs...); err != nil {
				t.Fatal(err)
			}
		},
	})
}
