package importer

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/reconcile"
)

// FuzzZoneTXT: any TXT content that providers.Normalize accepts goes
// through Zone, schema.LoadFS and reconcile.DesiredFromState to a record
// with the same Key and attributes, and plans no change. Only content that
// is not UTF-8 (which YAML cannot hold) may be skipped, and then an
// unmanaged rule keeps the plan empty. The seeds run in every `go test`;
// fuzz with:
//
//	go test -run '^$' -fuzz FuzzZoneTXT -fuzztime 60s ./importer
func FuzzZoneTXT(f *testing.F) {
	for _, s := range []string{
		"", " ", "  padded  ", `"`, `\`, `""`, `"a" "b"`, `"a\"b"`, `"unterminated`, "yes", "No", "123", "- x",
		"{a}", "[a]", "@", "*", "&a", "!!binary", "%YAML 1.1", "---", "...", "<<", "=", "a: b #c", "#x", "'",
		"a\nb", "\r\n", "\t", "\x00", "\x1b[0m", "\u0085\u2028\u2029", "\ufeffbom", "\xff", "é\xc3",
		longTXT, strings.Repeat("é", 200),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, content string) {
		r, err := providers.Normalize(providers.Record{Zone: "example.com", Name: "@", Type: "TXT", Content: content})
		if err != nil {
			return
		}
		r.ID = "id1"
		out, skipped, err := Zone("cloudflare", providers.DefaultCapabilities, "example.com", []providers.Record{r}, "")
		if err != nil {
			t.Fatalf("Zone: %v", err)
		}
		_, d := load(t, "dns/example.com.yaml", out)
		o := reconcile.Observed{Zones: map[string]providers.Observation{"cloudflare:example.com": {Records: []providers.Record{r}}}}
		if p := reconcile.Plan(d, o, reconcile.Policy{}); !p.Empty() {
			t.Fatalf("plan has %d changes (%s) for content %q:\n%s", len(p.Changes), p.Changes[0].Reason, r.Content, out)
		}
		if len(skipped) > 0 {
			if utf8.ValidString(r.Content) {
				t.Fatalf("content %q skipped: %s", r.Content, skipped[0].Reason)
			}
			return
		}
		got := d.Zones[0].Records
		if len(got) != 1 || got[0].Key() != r.Key() || !got[0].SameAttrs(r) {
			t.Fatalf("content %q loads back as %+v:\n%s", r.Content, got, out)
		}
	})
}
