package schema

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/schema/statetest"
)

// writeState writes a state of n records in style into a temporary
// directory and returns it.
func writeState(tb testing.TB, n int, style statetest.Style) string {
	tb.Helper()
	dir := tb.TempDir()
	if err := statetest.WriteLarge(filepath.Join(dir, "state.yaml"), n, style); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// TestGenState writes a generated state for measuring the itlag binary
// (peak RSS of itlag validate): ITLAG_GEN_STATE=DIR:RECORDS:STYLE (style
// block, flow or json). Without it the test only checks that a small
// generated state of each style is valid.
func TestGenState(t *testing.T) {
	if spec := os.Getenv("ITLAG_GEN_STATE"); spec != "" {
		parts := strings.Split(spec, ":")
		if len(parts) != 3 {
			t.Fatalf("ITLAG_GEN_STATE=%q, want DIR:RECORDS:STYLE", spec)
		}
		n, err := strconv.Atoi(parts[1])
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(parts[0], 0o755); err != nil {
			t.Fatal(err)
		}
		if err := statetest.WriteLarge(filepath.Join(parts[0], "state.yaml"), n, statetest.Style(parts[2])); err != nil {
			t.Fatal(err)
		}
		return
	}
	for _, style := range []statetest.Style{statetest.Block, statetest.Flow, statetest.JSON} {
		t.Run(string(style), func(t *testing.T) {
			n := statetest.PerZone + 7 // a partial last zone
			st, err := Load(writeState(t, n, style))
			if err != nil {
				t.Fatal(err)
			}
			if got := countRecords(st); got != n {
				t.Fatalf("loaded %d records, want %d", got, n)
			}
		})
	}
}

// BenchmarkLoad loads generated states. Besides ns/op and B/op it reports
// records/s, MB/op (allocated) and cpu-s/op (user+system time of the
// process per load: steadier than ns/op on a busy machine). The cases of
// 100k records and more are skipped with -short.
func BenchmarkLoad(b *testing.B) {
	type benchCase struct {
		n     int
		style statetest.Style
	}
	cases := []benchCase{{1000, statetest.Flow}, {10000, statetest.Flow}, {50000, statetest.Flow}}
	for _, n := range []int{100000, 200000} {
		for _, style := range []statetest.Style{statetest.Block, statetest.Flow, statetest.JSON} {
			cases = append(cases, benchCase{n, style})
		}
	}
	for _, c := range cases {
		b.Run(fmt.Sprintf("records=%d/style=%s", c.n, c.style), func(b *testing.B) {
			if c.n >= 100000 && testing.Short() {
				b.Skip("large state: not with -short")
			}
			dir := writeState(b, c.n, c.style)
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			cpu0 := cpuTime()
			b.ResetTimer()
			for b.Loop() {
				st, err := Load(dir)
				if err != nil {
					b.Fatal(err)
				}
				if got := countRecords(st); got != c.n {
					b.Fatalf("loaded %d records, want %d", got, c.n)
				}
			}
			b.StopTimer()
			cpu := cpuTime() - cpu0
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(c.n)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/1e6/float64(b.N), "MB/op")
			if cpu > 0 {
				b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
			}
		})
	}
}

func countRecords(st *State) int {
	n := 0
	for _, z := range st.Zones {
		n += len(z.Records)
	}
	return n
}
