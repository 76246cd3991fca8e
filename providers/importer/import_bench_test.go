package importer_test

import (
	"fmt"
	"testing"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/cloudflare"
	"github.com/lagrieta/itlag/providers/cloudflare/cloudflaretest"
	"github.com/lagrieta/itlag/providers/godaddy"
	"github.com/lagrieta/itlag/providers/godaddy/godaddytest"
	"github.com/lagrieta/itlag/providers/importer"
	"github.com/lagrieta/itlag/providers/registry"
	"github.com/lagrieta/itlag/providers/transport"
)

const importZone, importRecords = "bench.example", 2000

func benchRecords() []providers.Record {
	rs := make([]providers.Record, importRecords)
	for i := range rs {
		rs[i] = providers.Record{Zone: importZone, Name: fmt.Sprintf("h%04d", i), Type: "A",
			Content: fmt.Sprintf("10.0.%d.%d", i/256, i%256), TTL: 3600}
	}
	return rs
}

// BenchmarkImport is what "itlag import" does for a 2,000-record zone: a
// fresh provider observes the zone against the provider's fake, and the
// records are rendered as state YAML. The goal is list pages only:
// requests/import counts every request the fake saw.
func BenchmarkImport(b *testing.B) {
	hc := transport.New(transport.Options{})
	b.Run("cloudflare", func(b *testing.B) {
		fake := cloudflaretest.NewServer(cloudflaretest.Options{})
		defer fake.Close()
		fake.AddZone(importZone)
		for _, r := range benchRecords() {
			fake.AddRecord(importZone, cloudflaretest.Record{Name: providers.FQDN(r.Name, importZone), Type: r.Type, Content: r.Content, TTL: r.TTL})
		}
		fake.ResetStats()
		run(b, func() (providers.DNS, error) {
			return cloudflare.New(cloudflare.Config{APIURL: fake.URL(), Token: fake.Token(), HTTPClient: hc})
		}, func() int { return fake.Requests().Total() })
	})
	b.Run("godaddy", func(b *testing.B) {
		fake := godaddytest.NewServer(godaddytest.Options{})
		defer fake.Close()
		fake.AddDomain(providers.Domain{Name: importZone})
		if err := fake.AddRecords(importZone, benchRecords()...); err != nil {
			b.Fatal(err)
		}
		fake.ResetStats()
		run(b, func() (providers.DNS, error) {
			return godaddy.New(godaddy.Config{APIURL: fake.URL(), Key: fake.Key(), Secret: fake.Secret(), HTTPClient: hc, RequestsPerMinute: -1})
		}, func() int { return fake.Requests().Total() })
	})
}

func run(b *testing.B, newProvider func() (providers.DNS, error), requests func() int) {
	bytes := 0
	for b.Loop() {
		p, err := newProvider()
		if err != nil {
			b.Fatal(err)
		}
		obs, err := p.Observe(b.Context(), importZone)
		if err != nil {
			b.Fatal(err)
		}
		if len(obs.Records) != importRecords {
			b.Fatalf("observed %d records, want %d", len(obs.Records), importRecords)
		}
		out, skipped, err := importer.Zone(p.Name(), registry.Capabilities().Of(p.Name()), importZone, obs.Records, "bench")
		if err != nil || len(skipped) > 0 {
			b.Fatalf("render: %v, %d skipped", err, len(skipped))
		}
		bytes += len(out)
	}
	b.ReportMetric(float64(requests())/float64(b.N), "requests/import")
	b.ReportMetric(float64(importRecords*b.N)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(bytes)/float64(b.N), "bytes/import")
}
