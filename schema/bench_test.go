package schema

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeState writes a state of n records (spread over zones of 1000) into
// a temporary directory and returns it.
func writeState(tb testing.TB, n int) string {
	tb.Helper()
	var b strings.Builder
	b.WriteString("providers:\n  cloudflare:\n    api_token: {env: CLOUDFLARE_API_TOKEN}\nzones:\n")
	for i := range n {
		if i%1000 == 0 {
			fmt.Fprintf(&b, "  - name: zone%d.example\n    provider: cloudflare\n    records:\n", i/1000)
		}
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, "      - {name: host%d, type: A, value: 192.0.2.%d, proxied: true}\n", i, i%250)
		case 1:
			fmt.Fprintf(&b, "      - {name: host%d, type: TXT, value: \"v=spf1 -all %d\", ttl: 3600}\n", i-1, i)
		case 2:
			fmt.Fprintf(&b, "      - {name: \"@\", type: MX, value: mx%d.example.net, priority: %d}\n", i, i%100)
		case 3:
			fmt.Fprintf(&b, "      - {name: www%d, type: CNAME, value: host%d.example.net, comment: \"generated\"}\n", i, i)
		}
	}
	dir := tb.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "state.yaml"), []byte(b.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
	return dir
}

func BenchmarkLoad(b *testing.B) {
	for _, n := range []int{1000, 10000, 50000} {
		b.Run(fmt.Sprintf("records=%d", n), func(b *testing.B) {
			dir := writeState(b, n)
			b.ResetTimer()
			for b.Loop() {
				st, err := Load(dir)
				if err != nil {
					b.Fatal(err)
				}
				if got := countRecords(st); got != n {
					b.Fatalf("loaded %d records, want %d", got, n)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
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
