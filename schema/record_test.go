package schema

import (
	"strings"
	"testing"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/cuecontext"
	"gopkg.in/yaml.v3"
)

// The loader checks a record in parts (#RecordShape, then name, value and
// comment on their own); it must accept exactly what #Record accepts.
func TestRecordPartsMatchRecord(t *testing.T) {
	ctx := cuecontext.New()
	s := ctx.CompileString(Schema())
	wrapper := ctx.CompileString("out: #Record", cue.Scope(s))
	if err := wrapper.Err(); err != nil {
		t.Fatal(err)
	}
	records := []string{
		`{name: "@", type: A, value: 203.0.113.10, proxied: true}`,
		`{name: www, type: CNAME, value: lagrieta.es, proxied: true, ttl: auto}`,
		`{name: "@", type: MX, value: mx1.example.net, priority: 10, ttl: 3600}`,
		`{name: _sip._tcp, type: SRV, value: "5 5060 sip.lagrieta.es", priority: 0}`,
		`{name: "*", type: AAAA, value: "2001:db8::1", comment: "wildcard", protected: true}`,
		`{name: "ñandú", type: TXT, value: "x", ttl: 86400}`,
		`{name: "@", type: A, value: 203.0.113.10, ttl: 59}`,
		`{name: "@", type: A, value: 203.0.113.10, ttl: 86401}`,
		`{name: "@", type: A, value: "host"}`,
		`{name: "@", type: AAAA, value: "192.0.2.1"}`,
		`{name: "@", type: TXT, value: ""}`,
		`{name: "a.", type: TXT, value: "x"}`,
		`{name: "a b", type: TXT, value: "x"}`,
		`{name: "", type: TXT, value: "x"}`,
		`{name: "@", type: TXT, value: "x", proxied: true}`,
		`{name: "@", type: A, value: 192.0.2.1, proxied: true, ttl: 300}`,
		`{name: "@", type: NS, value: "x", priority: 1}`,
		`{name: "@", type: MX, value: "x"}`,
		`{name: "@", type: MX, value: "x", priority: -1}`,
		`{name: "@", type: TXT, value: "x", comment: "` + strings.Repeat("x", 101) + `"}`,
		`{name: "@", type: TXT, value: 1}`,
		`{name: 1, type: TXT, value: "x"}`,
		`{name: "@", type: txt, value: "x"}`,
		`{name: "@", type: TXT, value: "x", extra: 1}`,
		`{type: TXT, value: "x"}`,
		`[]`,
	}
	for _, rec := range records {
		t.Run(rec, func(t *testing.T) {
			var n yaml.Node
			if err := yaml.Unmarshal([]byte(rec), &n); err != nil {
				t.Fatal(err)
			}
			c := converter{file: "a.yaml"}
			data := c.value(&n, "", nil)
			full := wrapper.FillPath(outPath, ctx.Encode(data)).LookupPath(outPath).Validate(cue.Concrete(true))
			_, err := LoadFS(zone(rec))
			if (full == nil) != (err == nil) {
				t.Errorf("#Record says %v, the loader says %v", full, err)
			}
		})
	}
}
