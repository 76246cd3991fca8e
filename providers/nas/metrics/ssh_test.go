package metrics_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lagrieta/itlag/providers/nas/metrics"
	"github.com/lagrieta/itlag/providers/nas/remote"
	"github.com/lagrieta/itlag/providers/nas/remote/sshtest"
)

// The script over a real sshd on this (Linux) machine: a real sample.
func TestScriptOverSSH(t *testing.T) {
	srv := sshtest.Start(t)
	c, err := remote.DialSSH(context.Background(), srv.Config())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s := observe(t, c)
	if s.CPUs < 1 || len(s.Volumes) == 0 || s.UptimeSeconds <= 0 || s.MemTotalKB <= 0 || len(s.Processes) == 0 {
		t.Errorf("implausible sample: cpus %d volumes %d uptime %v mem %d processes %d",
			s.CPUs, len(s.Volumes), s.UptimeSeconds, s.MemTotalKB, len(s.Processes))
	}
	if s.CPUPercent < 0 || s.CPUPercent > 100 {
		t.Errorf("cpu %.1f%%", s.CPUPercent)
	}
	for _, miss := range s.Missing {
		if miss != "cpu" { // an idle machine may not tick in 0.5 s
			t.Errorf("section %s missing on Linux", miss)
		}
	}
	m := metrics.Metrics(s)
	if m["uptime_seconds"] <= 0 || m["cpus"] < 1 {
		t.Errorf("metrics %v", m)
	}
}

// counting wraps a Transport and counts commands.
type counting struct {
	remote.Transport
	runs *atomic.Int64
}

func (c counting) Run(ctx context.Context, cmd string, stdin []byte) (remote.Result, error) {
	c.runs.Add(1)
	return c.Transport.Run(ctx, cmd, stdin)
}

// BenchmarkObserveSSH is one observation of a NAS over a real sshd: dial
// once, run the script once, parse, evaluate. The script sleeps 0.5 s
// between its two CPU samples, which dominates ms/op.
func BenchmarkObserveSSH(b *testing.B) {
	srv := sshtest.Start(b)
	cfg := srv.Config()
	var dials, runs atomic.Int64
	ctx := context.Background()
	start := time.Now()
	for b.Loop() {
		dials.Add(1)
		c, err := remote.DialSSH(ctx, cfg)
		if err != nil {
			b.Fatal(err)
		}
		tr := counting{Transport: c, runs: &runs}
		res, err := tr.Run(ctx, metrics.Script(), nil)
		if err != nil || res.ExitCode != 0 {
			b.Fatalf("run: %v (exit %d)", err, res.ExitCode)
		}
		s, err := metrics.Parse(res.Stdout)
		if err != nil {
			b.Fatal(err)
		}
		_ = metrics.Evaluate("nas:bench", s, metrics.Thresholds{})
		_ = metrics.Metrics(s)
		tr.Close()
	}
	n := float64(b.N)
	b.ReportMetric(float64(dials.Load())/n, "connections/op")
	b.ReportMetric(float64(runs.Load())/n, "commands/op")
	b.ReportMetric(float64(time.Since(start).Milliseconds())/n, "ms/op")
}
