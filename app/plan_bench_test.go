//go:build linux

package app

import (
	"context"
	"path/filepath"
	"runtime/metrics"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lagrieta/itlag/providers/transport"
	"github.com/lagrieta/itlag/schema/statetest"
)

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
	opts := Options{StateDir: statetest.WriteZones(b, filepath.Join(tmp, "state"), zones, per),
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
