package schema

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// stateStyle is how a generated state writes its records.
type stateStyle string

const (
	// styleBlock: one field per line (name: host0 / type: A / ...).
	styleBlock stateStyle = "block"
	// styleFlow: one flow mapping per line (- {name: host0, type: A}).
	styleFlow stateStyle = "flow"
	// styleJSON: the whole file is JSON, one record object per line.
	styleJSON stateStyle = "json"
)

// recordsPerZone is how many records a generated zone holds.
const recordsPerZone = 1000

// genRecord is the i-th record of a generated state: four kinds in turn,
// names mostly distinct (as in a real large state), two records per name.
func genRecord(i int) [][2]string {
	switch i % 4 {
	case 0:
		return [][2]string{{"name", "host" + strconv.Itoa(i)}, {"type", "A"}, {"value", fmt.Sprintf("192.0.2.%d", i%250)}, {"proxied", "true"}}
	case 1:
		return [][2]string{{"name", "host" + strconv.Itoa(i-1)}, {"type", "TXT"}, {"value", `"v=spf1 -all ` + strconv.Itoa(i) + `"`}, {"ttl", "3600"}}
	case 2:
		return [][2]string{{"name", `"@"`}, {"type", "MX"}, {"value", "mx" + strconv.Itoa(i) + ".example.net"}, {"priority", strconv.Itoa(i % 100)}}
	default:
		return [][2]string{{"name", "www" + strconv.Itoa(i)}, {"type", "CNAME"}, {"value", "host" + strconv.Itoa(i) + ".example.net"}, {"comment", `"generated"`}}
	}
}

// jsonScalar writes a generated YAML scalar as JSON: quoted unless it is a
// number or a boolean.
func jsonScalar(s string) string {
	if strings.HasPrefix(s, `"`) || s == "true" || s == "false" {
		return s
	}
	if _, err := strconv.Atoi(s); err == nil {
		return s
	}
	return strconv.Quote(s)
}

// genState writes a valid state of n records (zones of recordsPerZone) in
// style to path.
func genState(path string, n int, style stateStyle) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<16)
	zones := (n + recordsPerZone - 1) / recordsPerZone
	if style == styleJSON {
		w.WriteString(`{"providers": {"cloudflare": {"api_token": {"env": "CLOUDFLARE_API_TOKEN"}}},` + "\n" + `"zones": [` + "\n")
	} else {
		w.WriteString("providers:\n  cloudflare:\n    api_token: {env: CLOUDFLARE_API_TOKEN}\nzones:\n")
	}
	for z := range zones {
		lo, hi := z*recordsPerZone, min((z+1)*recordsPerZone, n)
		if style == styleJSON {
			sep := ","
			if z == zones-1 {
				sep = ""
			}
			fmt.Fprintf(w, `{"name": "zone%d.example", "provider": "cloudflare", "records": [`+"\n", z)
			for i := lo; i < hi; i++ {
				w.WriteString("  {")
				for k, kv := range genRecord(i) {
					if k > 0 {
						w.WriteString(", ")
					}
					fmt.Fprintf(w, "%q: %s", kv[0], jsonScalar(kv[1]))
				}
				if i < hi-1 {
					w.WriteString("},\n")
				} else {
					w.WriteString("}\n")
				}
			}
			fmt.Fprintf(w, "]}%s\n", sep)
			continue
		}
		fmt.Fprintf(w, "  - name: zone%d.example\n    provider: cloudflare\n    records:\n", z)
		for i := lo; i < hi; i++ {
			for k, kv := range genRecord(i) {
				switch {
				case style == styleFlow && k == 0:
					fmt.Fprintf(w, "      - {%s: %s", kv[0], kv[1])
				case style == styleFlow:
					fmt.Fprintf(w, ", %s: %s", kv[0], kv[1])
				case k == 0:
					fmt.Fprintf(w, "      - %s: %s\n", kv[0], kv[1])
				default:
					fmt.Fprintf(w, "        %s: %s\n", kv[0], kv[1])
				}
			}
			if style == styleFlow {
				w.WriteString("}\n")
			}
		}
	}
	if style == styleJSON {
		w.WriteString("]}\n")
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeState writes a state of n records in style into a temporary
// directory and returns it.
func writeState(tb testing.TB, n int, style stateStyle) string {
	tb.Helper()
	dir := tb.TempDir()
	if err := genState(filepath.Join(dir, "state.yaml"), n, style); err != nil {
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
		if err := genState(filepath.Join(parts[0], "state.yaml"), n, stateStyle(parts[2])); err != nil {
			t.Fatal(err)
		}
		return
	}
	for _, style := range []stateStyle{styleBlock, styleFlow, styleJSON} {
		t.Run(string(style), func(t *testing.T) {
			n := recordsPerZone + 7 // a partial last zone
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
		style stateStyle
	}
	cases := []benchCase{{1000, styleFlow}, {10000, styleFlow}, {50000, styleFlow}}
	for _, n := range []int{100000, 200000} {
		for _, style := range []stateStyle{styleBlock, styleFlow, styleJSON} {
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
