//go:build linux

package cli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lagrieta/itlag/schema/statetest"
)

// BenchmarkValidateProcess runs "itlag validate" on generated states of
// 10,000 and 200,000 records in each style, one process per validation,
// and reports per run the CPU time (user + system, from the child's
// rusage), the child's peak resident set (what validating really held) and
// records validated per second of wall time. The 200,000-record cases are
// skipped with -short.
func BenchmarkValidateProcess(b *testing.B) {
	tmp := b.TempDir()
	bin := buildItlag(b, tmp)
	for _, n := range []int{10000, 200000} {
		for _, style := range []statetest.Style{statetest.Block, statetest.Flow, statetest.JSON} {
			b.Run(fmt.Sprintf("records=%d/style=%s", n, style), func(b *testing.B) {
				if n > 10000 && testing.Short() {
					b.Skip("large state: not with -short")
				}
				dir := filepath.Join(tmp, fmt.Sprintf("state-%d-%s", n, style))
				if err := os.MkdirAll(dir, 0o755); err != nil {
					b.Fatal(err)
				}
				if err := statetest.WriteLarge(filepath.Join(dir, "state.yaml"), n, style); err != nil {
					b.Fatal(err)
				}
				var cpu time.Duration
				var peak int64
				for b.Loop() {
					cmd := exec.Command(bin, "validate", "--state", dir)
					out, err := cmd.CombinedOutput()
					if err != nil || !strings.Contains(string(out), fmt.Sprintf("%d record(s)", n)) {
						b.Fatalf("itlag validate: %v\n%.2000s", err, out)
					}
					c, rss := usage(cmd.ProcessState)
					cpu += c
					peak = max(peak, rss)
				}
				b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
				b.ReportMetric(float64(peak)/1024, "peak-rss-MB")
				b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "records/s")
			})
		}
	}
}
