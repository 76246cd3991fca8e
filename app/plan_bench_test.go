//go:build linux

package app

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/lagrieta/itlag/providers/transport"
)

// writePlanState writes a desired state of zones × per Cloudflare records
// (A proxied, AAAA, CNAME, TXT, MX: a fifth each) into dir, one file per
// zone, and returns dir.
func writePlanState(tb testing.TB, dir string, zones, per int) string {
	tb.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "dns"), 0o755); err != nil {
		tb.Fatal(err)
	}
	prov := "providers:\n  cloudflare:\n    api_token: {env: CLOUDFLARE_API_TOKEN}\n"
	if err := os.WriteFile(filepath.Join(dir, "providers.yaml"), []byte(prov), 0o644); err != nil {
		tb.Fatal(err)
	}
	for z := range zones {
		var b strings.Builder
		fmt.Fprintf(&b, "zones:\n  - name: zone%02d.example\n    provider: cloudflare\n    purge: true\n    records:\n", z)
		for i := range per {
			switch i % 5 {
			case 0:
				fmt.Fprintf(&b, "      - {name: host%d, type: A, value: 192.0.2.%d, proxied: true}\n", i, i%250)
			case 1:
				fmt.Fprintf(&b, "      - {name: host%d, type: AAAA, value: \"2001:db8::%x\"}\n", i-1, i)
			case 2:
				fmt.Fprintf(&b, "      - {name: www%d, type: CNAME, value: host%d.example.net, comment: generated}\n", i, i)
			case 3:
				fmt.Fprintf(&b, "      - {name: host%d, type: TXT, value: \"v=spf1 -all %d\", ttl: 3600}\n", i-3, i)
			case 4:
				fmt.Fprintf(&b, "      - {name: \"@\", type: MX, value: mx%d.example.net, priority: %d}\n", i, i%100)
			}
		}
		name := filepath.Join(dir, "dns", fmt.Sprintf("zone%02d.yaml", z))
		if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

// countingRT counts the requests sent through it.
type countingRT struct {
	next http.RoundTripper
	n    atomic.Int64
}

func (c *countingRT) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(r)
}

// heapPeak samples the live heap (runtime/metrics) every millisecond until
// stopped, and returns the largest sample.
func heapPeak() (stop func() uint64) {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	done, finished := make(chan struct{}), make(chan struct{})
	var once sync.Once
	go func() {
		defer close(finished)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		once.Do(func() { close(done) })
		<-finished
		return peak
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(syscall.TimevalToNsec(ru.Utime) + syscall.TimevalToNsec(ru.Stime))
}

// BenchmarkPlanSandbox is one "itlag plan --sandbox" of 50 zones × 200
// Cloudflare records through the Runtime, as the command runs it (without
// printing): load and validate the state, open the sandbox (its fakes in
// this process, their world read from the sandbox directory), observe,
// plan, close (the world saved). The sandbox is seeded before the first
// op. It reports per plan the requests sent, the CPU time of the whole
// process (user + system), the peak of the live heap (sampled every
// millisecond), and records planned per second.
func BenchmarkPlanSandbox(b *testing.B) {
	const zones, per = 50, 200
	tmp := b.TempDir()
	opts := Options{StateDir: writePlanState(b, filepath.Join(tmp, "state"), zones, per),
		Sandbox: filepath.Join(tmp, "sb"), DataDir: filepath.Join(tmp, "data")}
	counter := &countingRT{}
	plan := func(ctx context.Context) int {
		rt, err := LoadContext(ctx, opts)
		if err != nil {
			b.Fatal(err)
		}
		hc := transport.New(transport.Options{Dial: transport.LoopbackOnly(nil)})
		counter.next, hc.Transport = hc.Transport, counter
		rt.hc = hc
		p, _, err := rt.Plan(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		if err := rt.Close(); err != nil {
			b.Fatal(err)
		}
		return len(p.Changes)
	}
	if plan(b.Context()) == 0 { // seeds the world: records missing, changed, to delete
		b.Fatal("the seeded sandbox plans no change")
	}
	counter.n.Store(0)
	stop := heapPeak()
	cpu := cpuTime()
	for b.Loop() {
		plan(b.Context())
	}
	cpu = cpuTime() - cpu
	peak := stop()
	b.ReportMetric(float64(counter.n.Load())/float64(b.N), "requests/plan")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/plan")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(zones*per*b.N)/b.Elapsed().Seconds(), "records/s")
}
