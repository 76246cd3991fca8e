package importer

import (
	"fmt"
	"testing"

	"github.com/lagrieta/itlag/providers"
)

// zoneOf returns n canonical records of every type.
func zoneOf(tb testing.TB, n int) []providers.Record {
	raw := make([]providers.Record, 0, n)
	for i := range n {
		name := fmt.Sprintf("host%d", i)
		var r providers.Record
		switch i % 8 {
		case 0:
			r = providers.Record{Name: name, Type: "A", Content: fmt.Sprintf("192.0.%d.%d", i/256%256, i%256), Proxied: true}
		case 1:
			r = providers.Record{Name: name, Type: "AAAA", Content: fmt.Sprintf("2001:db8::%x", i), TTL: 300}
		case 2:
			r = providers.Record{Name: name, Type: "CNAME", Content: "target.example.net", Comment: "app: " + name}
		case 3:
			r = providers.Record{Name: "@", Type: "MX", Content: fmt.Sprintf("mx%d.example.net", i), Priority: i % 100, TTL: 3600}
		case 4:
			r = providers.Record{Name: name, Type: "TXT", Content: fmt.Sprintf("v=spf1 include:%d.example.net ~all; #%d", i, i)}
		case 5:
			r = providers.Record{Name: name, Type: "CAA", Content: `0 issue "letsencrypt.org"`}
		case 6:
			r = providers.Record{Name: "_sip._tcp." + name, Type: "SRV", Content: "5 5060 sip.example.com", Priority: 10}
		case 7:
			r = providers.Record{Name: name, Type: "NS", Content: "ns1.example.net", TTL: 86400}
		}
		raw = append(raw, r)
	}
	return canon(tb, "example.com", raw)
}

// BenchmarkZone renders a 2,000-record zone.
func BenchmarkZone(b *testing.B) {
	recs := zoneOf(b, 2000)
	var size int
	for b.Loop() {
		out, skipped, err := Zone("cloudflare", providers.DefaultCapabilities, "example.com", recs, "Imported from cloudflare by itlag import")
		if err != nil || len(skipped) != 0 {
			b.Fatalf("Zone: %v, %d skipped", err, len(skipped))
		}
		size = len(out)
	}
	b.ReportMetric(float64(len(recs)*b.N)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(size), "bytes/zone")
}

// TestBenchZoneRoundTrips: the benchmark's zone is one Zone renders in
// full and loads back without changes.
func TestBenchZoneRoundTrips(t *testing.T) {
	p, skipped, out := roundTrip(t, "cloudflare", "example.com", zoneOf(t, 2000))
	wantNoChanges(t, p, out)
	if len(skipped) != 0 || p.Summary.Unchanged != 2000 {
		t.Errorf("%d skipped, summary %+v; want 2000 unchanged", len(skipped), p.Summary)
	}
}
