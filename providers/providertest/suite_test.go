package providertest_test

import (
	"testing"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/memory"
	"github.com/lagrieta/itlag/providers/providertest"
)

func TestMemory(t *testing.T) {
	mems := map[string]*memory.Provider{}
	providertest.Run(t, providertest.Harness{
		Capabilities: providers.DefaultCapabilities,
		New: func(t *testing.T) (providers.DNS, string) {
			p := memory.New("memory")
			p.AddZone("example.com")
			mems[t.Name()] = p
			return p, "example.com"
		},
		Seed: func(t *testing.T, zone string, recs ...providers.Record) {
			mems[t.Name()].Put(recs...)
		},
	})
}
