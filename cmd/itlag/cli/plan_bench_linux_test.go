//go:build linux

package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lagrieta/itlag/schema/statetest"
)

// The size of the benchmarked plans: 50 zones of 200 records on
// Cloudflare, as in providers/cloudflare's BenchmarkPlan.
const benchZones, benchPerZone = 50, 200

// BenchmarkPlanProcess runs "itlag plan --sandbox" on a state of 50 zones
// × 200 records as the user does: the built binary, one process per plan,
// the sandbox seeded before the first op. It reports per plan the CPU time
// (user + system, from the child's rusage), the largest peak resident set
// of the children (maxrss: what the plan really held, the runtime, the
// fakes and the garbage not yet collected included), the peak resident set
// of "itlag version" for comparison (what the binary and the runtime hold
// before any work: the pages of the executable it touched), and records
// planned per second of wall time.
func BenchmarkPlanProcess(b *testing.B) {
	tmp := b.TempDir()
	bin := buildItlag(b, tmp)
	state := statetest.WriteZones(b, filepath.Join(tmp, "state"), benchZones, benchPerZone)
	args := []string{"plan", "--state", state, "--sandbox", filepath.Join(tmp, "sb")}
	env := append(os.Environ(), "XDG_STATE_HOME="+filepath.Join(tmp, "xdg"))
	run := func() *os.ProcessState {
		var stdout, stderr bytes.Buffer
		cmd := exec.Command(bin, args...)
		cmd.Env, cmd.Stdout, cmd.Stderr = env, &stdout, &stderr
		if err := cmd.Run(); err != nil {
			b.Fatalf("itlag plan: %v\n%s", err, stderr.String())
		}
		if !strings.Contains(stdout.String(), "zone00.example") {
			b.Fatalf("the plan does not show the seeded changes:\n%.2000s", stdout.String())
		}
		return cmd.ProcessState
	}
	version := exec.Command(bin, "version")
	version.Env = env
	if out, err := version.CombinedOutput(); err != nil {
		b.Fatalf("itlag version: %v\n%s", err, out)
	}
	_, base := usage(version.ProcessState)
	run() // seeds the sandbox's world
	var cpu time.Duration
	var peak int64
	for b.Loop() {
		c, rss := usage(run())
		cpu += c
		peak = max(peak, rss)
	}
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/plan")
	b.ReportMetric(float64(peak)/1024, "peak-rss-MB")
	b.ReportMetric(float64(base)/1024, "version-rss-MB")
	b.ReportMetric(float64(benchZones*benchPerZone*b.N)/b.Elapsed().Seconds(), "records/s")
}

// usage is what a finished child process used: its CPU time (user +
// system) and its peak resident set in KiB.
func usage(ps *os.ProcessState) (cpu time.Duration, peakKiB int64) {
	ru := ps.SysUsage().(*syscall.Rusage)
	cpu = time.Duration(syscall.TimevalToNsec(ru.Utime) + syscall.TimevalToNsec(ru.Stime))
	return cpu, int64(ru.Maxrss) // KiB on Linux (int32 on 32-bit ARM)
}

// buildItlag builds the itlag binary into dir and returns its path.
func buildItlag(b *testing.B, dir string) string {
	b.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		b.Skip("no go command to build itlag with")
	}
	bin := filepath.Join(dir, "itlag")
	build := exec.Command(gobin, "build", "-o", bin, "..")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}
