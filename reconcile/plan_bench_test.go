package reconcile

import (
	"fmt"
	"testing"

	"github.com/lagrieta/itlag/providers"
)

// BenchmarkPlan plans a 5,000-record zone in which a tenth of the records
// differ, and reports records planned per second.
func BenchmarkPlan(b *testing.B) {
	const n = 5000
	var des, live []providers.Record
	for i := range n {
		r := rec(fmt.Sprintf("h%05d", i%(n/2)), "A", fmt.Sprintf("10.0.%d.%d", i/256, i%256))
		des = append(des, r)
		if i%10 == 0 {
			r.TTL = 300
		}
		r.ID = fmt.Sprint(i)
		live = append(live, r)
	}
	d := Desired{Zones: []Zone{zone(true, des...)}}
	o := Observed{Zones: map[string]providers.Observation{"cf:" + tz: {Records: live}}}
	b.ResetTimer()
	for b.Loop() {
		if p := Plan(d, o, defaultPolicy); p.Summary.Update != n/10 {
			b.Fatalf("summary %+v", p.Summary)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "records/s")
}
