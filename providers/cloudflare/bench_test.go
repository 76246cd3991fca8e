package cloudflare_test

import (
	"fmt"
	"testing"

	"github.com/lagrieta/itlag/providers/cloudflare"
	"github.com/lagrieta/itlag/providers/cloudflare/cloudflaretest"
	"github.com/lagrieta/itlag/providers/transport"
)

// BenchmarkObserve observes 50 zones of 200 records each with a fresh
// Provider per op (as one itlag run does): the goal is one zone lookup and
// one list request per zone, never one request per record.
func BenchmarkObserve(b *testing.B) {
	const zones, per = 50, 200
	fake := cloudflaretest.NewServer(cloudflaretest.Options{})
	defer fake.Close()
	var names []string
	for z := range zones {
		name := fmt.Sprintf("zone%02d.example", z)
		names = append(names, name)
		fake.AddZone(name)
		for _, r := range manyA(name, per) {
			fake.AddRecord(name, cloudflaretest.Record{Name: r.Name, Type: "A", Content: r.Content})
		}
	}
	hc := transport.New(transport.Options{})
	fake.ResetStats()
	records := 0
	for b.Loop() {
		p, err := cloudflare.New(cloudflare.Config{APIURL: fake.URL(), Token: fake.Token(), HTTPClient: hc})
		if err != nil {
			b.Fatal(err)
		}
		for _, z := range names {
			obs, err := p.Observe(b.Context(), z)
			if err != nil {
				b.Fatal(err)
			}
			records += len(obs.Records)
		}
	}
	st := fake.Requests()
	b.ReportMetric(float64(st.Total())/float64(b.N), "requests/op")
	b.ReportMetric(float64(st.ListRecords)/float64(b.N), "list-requests/op")
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkApplyCreates creates 1,000 records in one zone per op: the goal
// is at most 5 batch requests (200 records each).
func BenchmarkApplyCreates(b *testing.B) {
	fake := cloudflaretest.NewServer(cloudflaretest.Options{})
	defer fake.Close()
	fake.AddZone("lagrieta.es")
	p, err := cloudflare.New(cloudflare.Config{APIURL: fake.URL(), Token: fake.Token(), HTTPClient: transport.New(transport.Options{})})
	if err != nil {
		b.Fatal(err)
	}
	changes := creates("lagrieta.es", manyA("lagrieta.es", 1000))
	total, batches := 0, 0
	for b.Loop() {
		b.StopTimer()
		fake.SetRecords("lagrieta.es", nil)
		fake.ResetStats()
		b.StartTimer()
		for _, err := range p.Apply(b.Context(), "lagrieta.es", changes) {
			if err != nil {
				b.Fatal(err)
			}
		}
		st := fake.Requests()
		total += st.Total()
		batches += st.Batch
	}
	b.ReportMetric(float64(total)/float64(b.N), "requests/op")
	b.ReportMetric(float64(batches)/float64(b.N), "batch-requests/op")
	b.ReportMetric(float64(len(changes)*b.N)/b.Elapsed().Seconds(), "records/s")
}
