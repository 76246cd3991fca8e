package providers

import (
	"math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/net/idna"
)

func TestNormalize(t *testing.T) {
	long := strings.Repeat("a", 300)
	tests := []struct {
		name string
		in   Record
		want Record
	}{
		{"apex and auto ttl", Record{Zone: "Example.ORG.", Name: "", Type: "a", Content: " 192.0.2.1 "},
			Record{Zone: "example.org", Name: "@", Type: "A", Content: "192.0.2.1", TTL: AutoTTL}},
		{"AAAA compressed", Record{Zone: "example.org", Name: "@", Type: "AAAA", Content: "2001:0db8:0000::0001", TTL: 300},
			Record{Zone: "example.org", Name: "@", Type: "AAAA", Content: "2001:db8::1", TTL: 300}},
		{"CNAME trailing dot and case", Record{Zone: "example.org", Name: "WWW", Type: "CNAME", Content: "Example.ORG."},
			Record{Zone: "example.org", Name: "www", Type: "CNAME", Content: "example.org", TTL: AutoTTL}},
		{"IDN zone, name and target", Record{Zone: "ñandú.es", Name: "cañón", Type: "CNAME", Content: "búho.example"},
			Record{Zone: "xn--and-6ma2c.es", Name: "xn--can-8mak", Type: "CNAME", Content: "xn--bho-8na.example", TTL: AutoTTL}},
		{"wildcard", Record{Zone: "example.org", Name: "*.Dev", Type: "A", Content: "192.0.2.1"},
			Record{Zone: "example.org", Name: "*.dev", Type: "A", Content: "192.0.2.1", TTL: AutoTTL}},
		{"underscore labels", Record{Zone: "example.org", Name: "_sip._TCP", Type: "SRV", Content: "5 5060 SIP.example.org.", Priority: 10},
			Record{Zone: "example.org", Name: "_sip._tcp", Type: "SRV", Content: "5 5060 sip.example.org", Priority: 10, TTL: AutoTTL}},
		{"MX keeps priority", Record{Zone: "example.org", Name: "@", Type: "MX", Content: "MX1.example.net.", Priority: 10},
			Record{Zone: "example.org", Name: "@", Type: "MX", Content: "mx1.example.net", Priority: 10, TTL: AutoTTL}},
		{"priority dropped off MX/SRV", Record{Zone: "example.org", Name: "@", Type: "TXT", Content: "x", Priority: 5},
			Record{Zone: "example.org", Name: "@", Type: "TXT", Content: "x", TTL: AutoTTL}},
		{"TXT quoted chunks joined", Record{Zone: "example.org", Name: "@", Type: "TXT", Content: `"v=spf1 " "-all"`},
			Record{Zone: "example.org", Name: "@", Type: "TXT", Content: "v=spf1 -all", TTL: AutoTTL}},
		{"TXT long wire form", Record{Zone: "example.org", Name: "@", Type: "TXT", Content: QuoteTXT(long)},
			Record{Zone: "example.org", Name: "@", Type: "TXT", Content: long, TTL: AutoTTL}},
		{"CAA canonical", Record{Zone: "example.org", Name: "@", Type: "CAA", Content: `0 ISSUE letsencrypt.org`},
			Record{Zone: "example.org", Name: "@", Type: "CAA", Content: `0 issue "letsencrypt.org"`, TTL: AutoTTL}},
		{"proxied forces auto ttl", Record{Zone: "example.org", Name: "@", Type: "A", Content: "192.0.2.1", Proxied: true, TTL: 3600},
			Record{Zone: "example.org", Name: "@", Type: "A", Content: "192.0.2.1", Proxied: true, TTL: AutoTTL}},
		{"proxied dropped where not proxiable", Record{Zone: "example.org", Name: "@", Type: "MX", Content: "mx.example.net", Proxied: true, Priority: 1},
			Record{Zone: "example.org", Name: "@", Type: "MX", Content: "mx.example.net", Priority: 1, TTL: AutoTTL}},
		{"null MX", Record{Zone: "example.org", Name: "@", Type: "MX", Content: "."},
			Record{Zone: "example.org", Name: "@", Type: "MX", Content: ".", TTL: AutoTTL}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Normalize(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("Normalize(%+v)\n got %+v\nwant %+v", tt.in, got, tt.want)
			}
			again, err := Normalize(got)
			if err != nil || again != got {
				t.Fatalf("not idempotent: %+v, %v", again, err)
			}
		})
	}
}

func TestNormalizeErrors(t *testing.T) {
	tests := []struct {
		name string
		in   Record
		want string
	}{
		{"A not IPv4", Record{Zone: "example.org", Type: "A", Content: "2001:db8::1"}, "not an IPv4 address"},
		{"AAAA not IPv6", Record{Zone: "example.org", Type: "AAAA", Content: "192.0.2.1"}, "not an IPv6 address"},
		{"not an address", Record{Zone: "example.org", Type: "A", Content: "www"}, "not an IP address"},
		{"unknown type", Record{Zone: "example.org", Type: "PTR", Content: "x"}, "not one of A, AAAA"},
		{"name with trailing dot", Record{Zone: "example.org", Name: "www.example.org.", Type: "A", Content: "192.0.2.1"}, "relative to the zone"},
		{"empty label", Record{Zone: "example.org", Name: "a..b", Type: "A", Content: "192.0.2.1"}, "empty label"},
		{"CAA bad tag", Record{Zone: "example.org", Type: "CAA", Content: `0 issu "x"`}, "tag must be"},
		{"CAA bad flags", Record{Zone: "example.org", Type: "CAA", Content: `300 issue "x"`}, "flags must be 0-255"},
		{"SRV fields", Record{Zone: "example.org", Type: "SRV", Content: "10 5 5060 sip.example.org"}, "want `weight port target`"},
		{"empty zone", Record{Zone: ".", Type: "A", Content: "192.0.2.1"}, "empty zone name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Normalize(tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want containing %q", err, tt.want)
			}
		})
	}
}

func TestQuoteTXT(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", `""`},
		{"v=spf1 -all", `"v=spf1 -all"`},
		{`say "hi" \ ok`, `"say \"hi\" \\ ok"`},
		{strings.Repeat("x", 256), `"` + strings.Repeat("x", 255) + `" "x"`},
		{strings.Repeat("x", 254) + "ñ", `"` + strings.Repeat("x", 254) + `" "ñ"`},
		{strings.Repeat("\x80", 300), `"` + strings.Repeat("\x80", 255) + `" "` + strings.Repeat("\x80", 45) + `"`},
	}
	for _, tt := range tests {
		if got := QuoteTXT(tt.in); got != tt.want {
			t.Errorf("QuoteTXT(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if back := UnquoteTXT(QuoteTXT(tt.in)); back != tt.in {
			t.Errorf("round trip of %q gave %q", tt.in, back)
		}
	}
}

func TestRelativeName(t *testing.T) {
	for fqdn, want := range map[string]string{
		"example.org": "@", "Example.org.": "@", "www.example.org": "www", "a.b.example.org": "a.b",
		"*.example.org": "*", "other.net": "other.net",
	} {
		if got := RelativeName(fqdn, "example.org"); got != want {
			t.Errorf("RelativeName(%q) = %q, want %q", fqdn, got, want)
		}
	}
}

// FuzzTXT: any TXT value survives the wire form, and no chunk passes 255 bytes.
func FuzzTXT(f *testing.F) {
	for _, s := range []string{"", "v=spf1 -all", `"quoted"`, `back\slash`, strings.Repeat("ñ", 200)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := QuoteTXT(s)
		if back := UnquoteTXT(q); back != s {
			t.Fatalf("round trip of %q gave %q", s, back)
		}
		for _, chunk := range splitChunks(q) {
			if len(chunk) > 255 {
				t.Fatalf("chunk of %d bytes", len(chunk))
			}
		}
	})
}

// splitChunks undoes QuoteTXT's quoting chunk by chunk.
func splitChunks(q string) []string {
	var out []string
	var b strings.Builder
	in := false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\\' && in && i+1 < len(q):
			i++
			b.WriteByte(q[i])
		case c == '"' && in:
			out = append(out, b.String())
			b.Reset()
			in = false
		case c == '"':
			in = true
		case in:
			b.WriteByte(c)
		}
	}
	return out
}

// TestNameFastPaths checks the shortcuts that skip the IDNA mapping and the
// label loop: every zone name isLDH lets through is one idna.Lookup would
// return unchanged and without error, and every name asciiLabels lets
// through normalizes, label by label, to itself in lower case.
func TestNameFastPaths(t *testing.T) {
	alphabet := "abz09-._AZ*"
	rng := rand.New(rand.NewPCG(1, 2))
	names := []string{"lagrieta.es", "xn--and-6ma2c.es", "ab--c.es", "a-.es", "-a.es", "a_b.es", "_dmarc", "Www.Example.COM", "*.dev", "a..b", ".a", "a."}
	for range 20000 {
		b := make([]byte, 1+rng.IntN(12))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		names = append(names, string(b))
	}
	ldh := 0
	for _, n := range names {
		if isLDH(n) {
			ldh++
			if got, err := idna.Lookup.ToASCII(n); err != nil || got != n {
				t.Errorf("isLDH(%q), but idna.Lookup.ToASCII = %q, %v", n, got, err)
			}
		}
		if asciiLabels(n) {
			labels := strings.Split(n, ".")
			for i, l := range labels {
				if l == "" {
					t.Fatalf("asciiLabels(%q) with an empty label", n)
				}
				labels[i] = strings.ToLower(l)
			}
			if got, err := NormalizeHost(n); err != nil || got != strings.Join(labels, ".") {
				t.Errorf("NormalizeHost(%q) = %q, %v", n, got, err)
			}
		}
	}
	for _, n := range []string{"xn--and-6ma2c.es", "ab--c.es", "a-.es", "-a.es", "a_b.es", "Www.example.com", "a..b", ".a", "a.", ""} {
		if isLDH(n) {
			t.Errorf("isLDH(%q) = true, want the IDNA mapping to decide", n)
		}
	}
	if ldh < 1000 {
		t.Fatalf("only %d names took the LDH shortcut", ldh)
	}
}
