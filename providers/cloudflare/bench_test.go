package cloudflare_test

import (
	"fmt"
	"testing"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/cloudflare"
	"github.com/lagrieta/itlag/providers/cloudflare/cloudflaretest"
	"github.com/lagrieta/itlag/providers/transport"
	"github.com/lagrieta/itlag/reconcile"
)

// BenchmarkObserve observes 50 zones of 200 records each with a fresh
// Provider per op (as one itlag run does): the goal is one zone lookup and
// one list request per zone, never one request per record.
func BenchmarkObserve(b *testing.B) {
	const zones, per = 50, 200
	fake := cloudflaretest.NewServer(cloudflaretest.Options{})
	defer fake.Close()
	var names []string
	for _, z := range seedZones(fake, zones, per, 0).Zones {
		names = append(names, z.Name)
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

// BenchmarkPlan is a whole plan of 50 zones × 200 records against the fake
// (observe every zone through reconcile.Observe, then reconcile.Plan), with
// one record in ten drifted: it reports the requests one plan makes.
func BenchmarkPlan(b *testing.B) {
	const zones, per = 50, 200
	fake := cloudflaretest.NewServer(cloudflaretest.Options{})
	defer fake.Close()
	d := seedZones(fake, zones, per, 10)
	hc := transport.New(transport.Options{})
	fake.ResetStats()
	changes := 0
	for b.Loop() {
		p, err := cloudflare.New(cloudflare.Config{APIURL: fake.URL(), Token: fake.Token(), HTTPClient: hc})
		if err != nil {
			b.Fatal(err)
		}
		obs, err := reconcile.Observe(b.Context(), d, map[string]providers.Provider{"cloudflare": p})
		if err != nil {
			b.Fatal(err)
		}
		changes += len(reconcile.Plan(d, obs, reconcile.Policy{}).Changes)
	}
	if changes != b.N*zones*per/10 {
		b.Fatalf("planned %d changes over %d runs, want %d per run", changes, b.N, zones*per/10)
	}
	st := fake.Requests()
	b.ReportMetric(float64(st.Total())/float64(b.N), "requests/plan")
	b.ReportMetric(float64(st.ListRecords)/float64(b.N), "list-requests/plan")
	b.ReportMetric(float64(zones*per*b.N)/b.Elapsed().Seconds(), "records/s")
}

// seedZones fills the fake with zones of per A records each and returns
// them as the desired state; with drift > 0, one record in drift holds
// another address in the fake than in the desired state.
func seedZones(fake *cloudflaretest.Server, zones, per, drift int) reconcile.Desired {
	var d reconcile.Desired
	for z := range zones {
		name := fmt.Sprintf("zone%02d.example", z)
		fake.AddZone(name)
		recs := manyA(name, per)
		for i, r := range recs {
			content := r.Content
			if drift > 0 && i%drift == 0 {
				content = "198.51.100.1"
			}
			fake.AddRecord(name, cloudflaretest.Record{Name: providers.FQDN(r.Name, name), Type: "A", Content: content, TTL: 1})
		}
		d.Zones = append(d.Zones, reconcile.Zone{Provider: "cloudflare", Name: name, Records: recs, Purge: true})
	}
	return d
}
