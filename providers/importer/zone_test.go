package importer

import (
	"os"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/lagrieta/itlag/providers"
)

// longTXT is over 255 bytes (two character-strings on the wire) with
// quotes, backslashes, ";" and "#".
var longTXT = strings.Repeat(`v=DKIM1; k=rsa; p="MIIB\x#y"; `, 12) + "end"

// everyType covers every type and the awkward names and values.
func everyType() []providers.Record {
	return []providers.Record{
		{Name: "@", Type: "A", Content: "203.0.113.10", Proxied: true, Comment: "website: hosting (main)"},
		{Name: "www", Type: "CNAME", Content: "lagrieta.es", Proxied: true, Comment: "website"},
		{Name: "v6", Type: "AAAA", Content: "2001:db8::10", TTL: 300},
		{Name: "@", Type: "MX", Content: "mx.zoho.eu", Priority: 10, TTL: 3600},
		{Name: "@", Type: "MX", Content: "mx2.zoho.eu", Priority: 20, TTL: 3600},
		{Name: "nomail", Type: "MX", Content: ".", Priority: 0},
		{Name: "@", Type: "TXT", Content: "v=spf1 include:zoho.eu ~all", Comment: "SPF: zoho # mail"},
		{Name: "dkim._domainkey", Type: "TXT", Content: providers.QuoteTXT(longTXT)},
		{Name: "yaml", Type: "TXT", Content: "yes"},
		{Name: "yaml", Type: "TXT", Content: "No"},
		{Name: "yaml", Type: "TXT", Content: "on"},
		{Name: "yaml", Type: "TXT", Content: "123"},
		{Name: "yaml", Type: "TXT", Content: "1e3"},
		{Name: "yaml", Type: "TXT", Content: "2026-11-26"},
		{Name: "yaml", Type: "TXT", Content: "- x"},
		{Name: "yaml", Type: "TXT", Content: "{a}"},
		{Name: "yaml", Type: "TXT", Content: "[a, b]"},
		{Name: "yaml", Type: "TXT", Content: "@"},
		{Name: "yaml", Type: "TXT", Content: "~"},
		{Name: "yaml", Type: "TXT", Content: "null"},
		{Name: "yaml", Type: "TXT", Content: "key: value"},
		{Name: "yaml", Type: "TXT", Content: "# not a comment"},
		{Name: "yaml", Type: "TXT", Content: "&anchor *alias !tag %x |>'"},
		{Name: "yaml", Type: "TXT", Content: `"\"quoted\""`},    // content starts with a quote
		{Name: "yaml", Type: "TXT", Content: `"  padded  "`},    // surrounding spaces
		{Name: "yaml", Type: "TXT", Content: `""`},              // empty
		{Name: "yaml", Type: "TXT", Content: "tab\there\nline"}, // control characters
		{Name: "yaml", Type: "TXT", Content: "ünïcødé ☃ \u2028 end"},
		{Name: "@", Type: "CAA", Content: `0 issue "letsencrypt.org"`},
		{Name: "@", Type: "CAA", Content: `128 iodef "mailto:seguridad@lagrieta.es"`},
		{Name: "_sip._tcp", Type: "SRV", Content: "5 5060 sip.lagrieta.es", Priority: 10, TTL: 600},
		{Name: "dev", Type: "NS", Content: "ns1.example.net", TTL: 86400},
		{Name: "dev", Type: "NS", Content: "ns2.example.net", TTL: 86400},
		{Name: "*", Type: "A", Content: "192.0.2.1", TTL: 60},
		{Name: "*.apps", Type: "CNAME", Content: "apps.lagrieta.es"},
		{Name: "café", Type: "A", Content: "192.0.2.2", Comment: "IDN: café"},
		{Name: "on", Type: "A", Content: "192.0.2.3"},
	}
}

func TestZoneRoundTrip(t *testing.T) {
	tests := []struct {
		name, provider, zone string
		raw                  []providers.Record
		wantNot, want        []string // substrings of the output
	}{
		{
			name: "cloudflare every type", provider: "cloudflare", zone: "LaGrieta.es", raw: everyType(),
			want: []string{
				`- {name: "@", type: A, value: 203.0.113.10, proxied: true, comment: "website: hosting (main)"}`,
				`- {name: "@", type: MX, value: mx.zoho.eu, priority: 10, ttl: 3600}`,
				`- {name: "@", type: CAA, value: '0 issue "letsencrypt.org"'}`,
				`- {name: _sip._tcp, type: SRV, value: "5 5060 sip.lagrieta.es", priority: 10, ttl: 600}`,
				`- {name: "*", type: A, value: 192.0.2.1, ttl: 60}`,
				`- {name: "*.apps", type: CNAME, value: apps.lagrieta.es}`,
				`- {name: xn--caf-dma, type: A, value: 192.0.2.2, comment: "IDN: café"}`,
				`- {name: "on", type: A, value: 192.0.2.3}`,
				`- {name: yaml, type: TXT, value: "yes"}`,
				`- {name: yaml, type: TXT, value: '"\"quoted\""'}`,
				`- {name: yaml, type: TXT, value: "tab\there\nline"}`,
				"  - name: lagrieta.es\n    provider: cloudflare\n    purge: true\n    records:\n",
			},
			wantNot: []string{"unmanaged", "ttl: 1}", "ttl: 1,", "proxied: false"},
		},
		{
			name: "cloudflare unicode zone", provider: "cloudflare", zone: "Café.example",
			raw:  []providers.Record{{Name: "@", Type: "A", Content: "192.0.2.9"}, {Name: "ñ", Type: "TXT", Content: "ñ"}},
			want: []string{"- name: xn--caf-dma.example\n", `- {name: xn--ida, type: TXT, value: "ñ"}`},
		},
		{
			name: "cloudflare empty zone", provider: "cloudflare", zone: "empty.example",
			want: []string{"records: []\n"},
		},
		{
			name: "godaddy as GoDaddy holds it", provider: "godaddy", zone: "lagrieta.es",
			raw: []providers.Record{
				{Name: "@", Type: "A", Content: "203.0.113.10", TTL: 600},
				{Name: "www", Type: "CNAME", Content: "lagrieta.es", TTL: 3600},
				{Name: "@", Type: "MX", Content: "mx.zoho.eu", Priority: 10, TTL: 3600},
				{Name: "@", Type: "TXT", Content: "v=spf1 include:zoho.eu ~all", TTL: 3600},
				{Name: "dkim._domainkey", Type: "TXT", Content: providers.QuoteTXT(longTXT), TTL: 600},
				{Name: "@", Type: "CAA", Content: `0 issue "letsencrypt.org"`, TTL: 3600},
				{Name: "_sip._tcp", Type: "SRV", Content: "5 5060 sip.lagrieta.es", Priority: 10, TTL: 600},
				{Name: "dev", Type: "NS", Content: "ns1.example.net", TTL: 3600},
				{Name: "v6", Type: "AAAA", Content: "2001:db8::10", TTL: 86400},
				{Name: "*", Type: "A", Content: "192.0.2.1", TTL: 600},
			},
			want: []string{
				"provider: godaddy\n",
				`- {name: "@", type: A, value: 203.0.113.10, ttl: 600}`,
				`- {name: "@", type: MX, value: mx.zoho.eu, priority: 10}`,
				`- {name: www, type: CNAME, value: lagrieta.es}`,
				`- {name: v6, type: AAAA, value: "2001:db8::10", ttl: 86400}`,
			},
			wantNot: []string{"ttl: 3600", "proxied", "comment", "unmanaged"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			z, _ := providers.NormalizeZone(tt.zone)
			recs := canon(t, z, tt.raw)
			p, skipped, out := roundTrip(t, tt.provider, tt.zone, recs)
			wantNoChanges(t, p, out)
			if len(skipped) > 0 {
				t.Errorf("skipped %v, want none", skipped)
			}
			if p.Summary.Unchanged != len(recs) || p.Summary.Unmanaged != 0 {
				t.Errorf("summary %+v, want %d unchanged", p.Summary, len(recs))
			}
			for _, w := range tt.want {
				if !strings.Contains(string(out), w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(string(out), w) {
					t.Errorf("output has %q:\n%s", w, out)
				}
			}
		})
	}
}

// TestZoneFormat pins the layout: header, one zone, one record per line
// in flow style, sorted by name, type and value.
func TestZoneFormat(t *testing.T) {
	recs := canon(t, "example.com", []providers.Record{
		{Name: "www", Type: "CNAME", Content: "example.com", Proxied: true},
		{Name: "@", Type: "MX", Content: "mx2.example.net", Priority: 20, TTL: 3600},
		{Name: "@", Type: "MX", Content: "mx1.example.net", Priority: 10, TTL: 3600},
		{Name: "@", Type: "A", Content: "203.0.113.10", TTL: 30},
		{Name: "@", Type: "A", Content: "203.0.113.11", Comment: "second"},
	})
	out, skipped, err := Zone("cloudflare", providers.DefaultCapabilities, "example.com", recs, "Imported from cloudflare on 2026-11-26 by itlag import\n\nReview before committing.")
	if err != nil {
		t.Fatal(err)
	}
	want := `# Imported from cloudflare on 2026-11-26 by itlag import
#
# Review before committing.
zones:
  - name: example.com
    provider: cloudflare
    purge: true
    unmanaged:
      # skipped @ A "203.0.113.10": ttl 30 is outside what the state allows: auto or 60-86400 seconds
      - {name: "@", type: A}
    records:
      - {name: "@", type: A, value: 203.0.113.11, comment: "second"}
      - {name: "@", type: MX, value: mx1.example.net, priority: 10, ttl: 3600}
      - {name: "@", type: MX, value: mx2.example.net, priority: 20, ttl: 3600}
      - {name: www, type: CNAME, value: example.com, proxied: true}
`
	if string(out) != want {
		t.Errorf("Zone output:\n%s\nwant:\n%s", out, want)
	}
	if len(skipped) != 1 || skipped[0].Record.ID != recs[3].ID {
		t.Errorf("skipped %+v, want the A record with ttl 30 (with its ID)", skipped)
	}
}

func TestZoneErrors(t *testing.T) {
	tests := []struct {
		name, provider, zone string
		recs                 []providers.Record
		want                 string
	}{
		{"empty zone name", "cloudflare", "", nil, "empty zone name"},
		{"spaces in zone", "cloudflare", "a b.example", nil, "zone"},
		{"no provider", "", "example.com", nil, "provider"},
		{"provider not a name", "cloud flare: x", "example.com", nil, "provider"},
		{"record of another zone", "cloudflare", "example.com",
			[]providers.Record{{Zone: "example.org", Name: "@", Type: "A", Content: "192.0.2.1", TTL: 1}}, "belongs to zone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := Zone(tt.provider, providers.DefaultCapabilities, tt.zone, tt.recs, "")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Zone() error %v, want one containing %q", err, tt.want)
			}
			if out != nil {
				t.Errorf("Zone() returned output with an error")
			}
		})
	}
}

// TestScalarStyle: every string comes back as itself, and the ones a YAML
// reader could take for something else are quoted.
func TestScalarStyle(t *testing.T) {
	tests := []struct {
		in    string
		quote bool
		want  string // as written in a flow mapping
	}{
		{"www", false, "www"},
		{"mx.zoho.eu", false, "mx.zoho.eu"},
		{"_sip._tcp", false, "_sip._tcp"},
		{"xn--caf-dma", false, "xn--caf-dma"},
		{"203.0.113.10", false, "203.0.113.10"},
		{"1.2.3", false, `"1.2.3"`},
		{"123", false, `"123"`},
		{"0x1F", false, `"0x1F"`},
		{"1_000", false, `"1_000"`},
		{"12:30", false, `"12:30"`},
		{"2026-11-26", false, `"2026-11-26"`},
		{"yes", false, `"yes"`},
		{"No", false, `"No"`},
		{"ON", false, `"ON"`},
		{"y", false, `"y"`},
		{"true", false, `"true"`},
		{"Null", false, `"Null"`},
		{"~", false, `"~"`},
		{"", false, `""`},
		{"@", false, `"@"`},
		{"*", false, `"*"`},
		{"*.apps", false, `"*.apps"`},
		{"- x", false, `"- x"`},
		{"{a}", false, `"{a}"`},
		{"a, b", false, `"a, b"`},
		{"a: b", false, `"a: b"`},
		{"a #b", false, `"a #b"`},
		{" lead", false, `" lead"`},
		{"trail ", false, `"trail "`},
		{"2001:db8::1", false, `"2001:db8::1"`},
		{"v=spf1", false, "v=spf1"},
		{"v=spf1", true, `"v=spf1"`},
		{`0 issue "x"`, false, `'0 issue "x"'`},
		{`a\b`, false, `'a\b'`},
		{"it's", false, `"it's"`},
		{"a\nb", false, `"a\nb"`},
		{"tab\t\"", false, `"tab\t\""`},
		{"\u2028", false, `"\L"`},
	}
	for _, tt := range tests {
		n := mapping(yaml.FlowStyle, key("v"), str(tt.in, tt.quote))
		b, err := yaml.Marshal(n)
		if err != nil {
			t.Fatalf("Marshal(%q): %v", tt.in, err)
		}
		if got, want := string(b), "{v: "+tt.want+"}\n"; got != want {
			t.Errorf("str(%q, %t) renders %q, want %q", tt.in, tt.quote, got, want)
		}
		var back map[string]any
		if err := yaml.Unmarshal(b, &back); err != nil || back["v"] != tt.in {
			t.Errorf("str(%q) reads back as %#v (%v)", tt.in, back["v"], err)
		}
	}
}

func TestPaths(t *testing.T) {
	tests := []struct{ got, want string }{
		{ZonePath("lagrieta.es"), "dns/lagrieta.es.yaml"},
		{ZonePath("LaGrieta.ES."), "dns/lagrieta.es.yaml"},
		{ZonePath("Café.es"), "dns/xn--caf-dma.es.yaml"},
		{ZonePath("../../etc/passwd"), "dns/.._.._etc_passwd.yaml"},
		{ZonePath(".."), "dns/_..yaml"},
		{DomainPath("godaddy"), "domains/godaddy.yaml"},
		{DomainPath("Go/Daddy"), "domains/go_daddy.yaml"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("path %q, want %q", tt.got, tt.want)
		}
	}
}

// TestZoneReproducesInfraState: LaGrieta.es's zone, as Cloudflare would
// report it after an apply, imports to a file that plans no change, and
// declares the same records as the hand-written file.
func TestZoneReproducesInfraState(t *testing.T) {
	data, err := os.ReadFile("../../infra-state/dns/lagrieta.es.yaml")
	if err != nil {
		t.Skipf("no infra-state zone file: %v", err)
	}
	_, want := load(t, "dns/lagrieta.es.yaml", data)
	var live []providers.Record
	for _, r := range want.Zones[0].Records {
		r.ID = "id-" + r.Key()
		live = append(live, r)
	}
	z := want.Zones[0]
	p, skipped, out := roundTrip(t, z.Provider, z.Name, live)
	wantNoChanges(t, p, out)
	if len(skipped) != 0 || p.Summary.Unchanged != len(live) {
		t.Errorf("%d skipped, summary %+v; want %d unchanged", len(skipped), p.Summary, len(live))
	}
	_, got := load(t, "dns/lagrieta.es.yaml", out)
	if !slices.EqualFunc(got.Zones[0].Records, z.Records, providers.Record.SameAttrs) {
		t.Errorf("imported records differ from the hand-written ones:\n%s", out)
	}
}
