package monitor

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// BenchmarkCheck200 probes 200 HTTP monitors of a loopback server whose
// handler sleeps 50 ms. wall-ms/op is the time of one Check: near 50 ms
// when all run at once, 200 × 50 ms = 10 s if they ran one by one.
func BenchmarkCheck200(b *testing.B) {
	const delay = 50 * time.Millisecond
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(delay)
		fmt.Fprint(w, "ok")
	}))
	defer srv.Close()
	ms := make([]Monitor, 200)
	for i := range ms {
		ms[i] = Monitor{Name: fmt.Sprint("site", i), Kind: HTTP, Target: fmt.Sprintf("%s/%d", srv.URL, i),
			Conditions: MustParseConditions("status == 200", `body contains "ok"`)}
	}
	for _, conc := range []int{200, 16} {
		b.Run(fmt.Sprintf("concurrency=%d", conc), func(b *testing.B) {
			var wall time.Duration
			for b.Loop() {
				start := time.Now()
				rs := Check(context.Background(), testNet, ms, conc)
				wall += time.Since(start)
				for _, r := range rs {
					if !r.OK {
						b.Fatalf("%+v", r)
					}
				}
			}
			b.ReportMetric(float64(wall.Milliseconds())/float64(b.N), "wall-ms/op")
			b.ReportMetric(float64(len(ms)*b.N)/wall.Seconds(), "probes/s")
		})
	}
}

// BenchmarkRecord stores batches of 1000 results; results/s is the rate.
func BenchmarkRecord(b *testing.B) {
	db := openDB(b)
	ctx := context.Background()
	rs := make([]Result, 1000)
	for i := range rs {
		rs[i] = Result{Monitor: fmt.Sprint("site", i%50), At: t0.Add(time.Duration(i) * time.Second), OK: i%7 != 0,
			Duration: time.Duration(i) * time.Millisecond, Value: "200"}
	}
	start := time.Now()
	for b.Loop() {
		if err := Record(ctx, db, rs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(rs)*b.N)/time.Since(start).Seconds(), "results/s")
}
