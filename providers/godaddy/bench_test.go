package godaddy_test

import (
	"testing"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/godaddy"
	"github.com/lagrieta/itlag/providers/godaddy/godaddytest"
	"github.com/lagrieta/itlag/providers/transport"
)

func benchProvider(b *testing.B, fake *godaddytest.Server) *godaddy.Provider {
	p, err := godaddy.New(godaddy.Config{APIURL: fake.URL(), Key: fake.Key(), Secret: fake.Secret(),
		HTTPClient: transport.New(transport.Options{}), RequestsPerMinute: -1})
	if err != nil {
		b.Fatal(err)
	}
	return p
}

// BenchmarkImport observes a zone of 2,000 records (plus GoDaddy's SOA
// and two NS records): the goal is pages only, 2,000/500 = 4 list
// requests plus at most one for an empty or short last page.
func BenchmarkImport(b *testing.B) {
	const n = 2000
	fake := godaddytest.NewServer(godaddytest.Options{})
	defer fake.Close()
	fake.AddDomain(providers.Domain{Name: zone})
	if err := fake.AddRecords(zone, manyA(zone, n)...); err != nil {
		b.Fatal(err)
	}
	p := benchProvider(b, fake)
	fake.ResetStats()
	records := 0
	for b.Loop() {
		obs, err := p.Observe(b.Context(), zone)
		if err != nil {
			b.Fatal(err)
		}
		if len(obs.Records) != n {
			b.Fatalf("observed %d records, want %d", len(obs.Records), n)
		}
		records += len(obs.Records)
	}
	st := fake.Requests()
	b.ReportMetric(float64(st.Total())/float64(b.N), "requests/op")
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkApplyCreates creates 200 records (200 record sets) in one zone
// per op: the goal is one PATCH.
func BenchmarkApplyCreates(b *testing.B) {
	benchApply(b, func(want []providers.Record) []providers.Change { return creates(want) }, nil)
}

// BenchmarkApplyUpdates changes the address of 200 records, each in its
// own record set, per op: each set is read and written back (GET + PUT),
// the price of GoDaddy's whole-set replacement.
func BenchmarkApplyUpdates(b *testing.B) {
	var old []providers.Record
	benchApply(b, func(want []providers.Record) []providers.Change {
		cs := make([]providers.Change, len(want))
		for i := range want {
			cs[i] = change(providers.Update, &old[i], &want[i])
		}
		return cs
	}, func(want []providers.Record) []providers.Record {
		old = make([]providers.Record, len(want))
		for i, r := range want {
			r.Content = "198.51.100.1"
			old[i] = r
		}
		return old
	})
}

// benchApply resets the zone to seed(want) (or empty), applies changes(want)
// and reports requests per apply and records per second.
func benchApply(b *testing.B, changes func([]providers.Record) []providers.Change, seed func([]providers.Record) []providers.Record) {
	const n = 200
	fake := godaddytest.NewServer(godaddytest.Options{})
	defer fake.Close()
	fake.AddDomain(providers.Domain{Name: zone})
	want := manyA(zone, n)
	if seed != nil {
		if err := fake.AddRecords(zone, seed(want)...); err != nil {
			b.Fatal(err)
		}
	}
	start, err := fake.MarshalState()
	if err != nil {
		b.Fatal(err)
	}
	p := benchProvider(b, fake)
	cs := changes(want)
	total := 0
	for b.Loop() {
		b.StopTimer()
		if err := fake.UnmarshalState(start); err != nil {
			b.Fatal(err)
		}
		fake.ResetStats()
		b.StartTimer()
		for _, err := range p.Apply(b.Context(), zone, cs) {
			if err != nil {
				b.Fatal(err)
			}
		}
		total += fake.Requests().Total()
	}
	b.ReportMetric(float64(total)/float64(b.N), "requests/op")
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "records/s")
}
