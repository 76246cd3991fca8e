//go:build linux

package cli

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The size of the benchmarked plans: 50 zones of 200 records on
// Cloudflare, as in providers/cloudflare's BenchmarkPlan.
const benchZones, benchPerZone = 50, 200

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
	gobin, err := exec.LookPath("go")
	if err != nil {
		b.Skip("no go command to build itlag with")
	}
	tmp := b.TempDir()
	bin := filepath.Join(tmp, "itlag")
	build := exec.Command(gobin, "build", "-o", bin, "..")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	state := writePlanState(b, filepath.Join(tmp, "state"), benchZones, benchPerZone)
	args := []string{"plan", "--state", state, "--sandbox", filepath.Join(tmp, "sb")}
	env := append(os.Environ(), "XDG_STATE_HOME="+filepath.Join(tmp, "xdg"))
	run := func() *syscall.Rusage {
		var stdout, stderr bytes.Buffer
		cmd := exec.Command(bin, args...)
		cmd.Env, cmd.Stdout, cmd.Stderr = env, &stdout, &stderr
		if err := cmd.Run(); err != nil {
			b.Fatalf("itlag plan: %v\n%s", err, stderr.String())
		}
		if !strings.Contains(stdout.String(), "zone00.example") {
			b.Fatalf("the plan does not show the seeded changes:\n%.2000s", stdout.String())
		}
		return cmd.ProcessState.SysUsage().(*syscall.Rusage)
	}
	version := exec.Command(bin, "version")
	version.Env = env
	if out, err := version.CombinedOutput(); err != nil {
		b.Fatalf("itlag version: %v\n%s", err, out)
	}
	base := version.ProcessState.SysUsage().(*syscall.Rusage).Maxrss
	run() // seeds the sandbox's world
	var cpu time.Duration
	var peak int64
	for b.Loop() {
		ru := run()
		cpu += time.Duration(syscall.TimevalToNsec(ru.Utime) + syscall.TimevalToNsec(ru.Stime))
		peak = max(peak, int64(ru.Maxrss)) // KiB on Linux (int32 on 32-bit ARM)
	}
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/plan")
	b.ReportMetric(float64(peak)/1024, "peak-rss-MB")
	b.ReportMetric(float64(base)/1024, "version-rss-MB")
	b.ReportMetric(float64(benchZones*benchPerZone*b.N)/b.Elapsed().Seconds(), "records/s")
}
