// Package statetest writes generated desired states for the tests and
// benchmarks that measure a whole run on many records.
package statetest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// WriteZones writes a desired state of zones × per Cloudflare records
// (A proxied, AAAA, CNAME, TXT, MX: a fifth each) into dir, one file per
// zone, and returns dir.
func WriteZones(tb testing.TB, dir string, zones, per int) string {
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
