package reconcile

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/memory"
	"github.com/lagrieta/itlag/schema"
)

func at(line int) schema.Pos { return schema.Pos{File: "dns.yaml", Line: line, Col: 7} }

func TestDesiredFromState(t *testing.T) {
	ten := 10
	st := &schema.State{Zones: []schema.Zone{
		{Name: "Zeta.ORG.", Provider: "cloudflare", Purge: true, Pos: at(1), Records: []schema.Record{
			{Name: "WWW", Type: "a", Value: " 1.2.3.4 ", Pos: at(2)},
		}},
		{Name: "café.es", Provider: "cloudflare", Pos: at(10),
			Unmanaged: []schema.Unmanaged{{Name: "_ACME-challenge*"}, {Name: "tienda", Type: "txt"}},
			Records: []schema.Record{
				{Name: "@", Type: "MX", Value: "MX.Example.NET.", Priority: &ten, TTL: 3600, Pos: at(11)},
				{Name: "mañana", Type: "CNAME", Value: "café.es", Proxied: true, Protected: true, Pos: at(12)},
			}},
	}}
	d, err := DesiredFromState(st, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Zones) != 2 || d.Zones[0].Name != "xn--caf-dma.es" || d.Zones[1].Name != "zeta.org" {
		t.Fatalf("zones not canonical and sorted: %+v", d.Zones)
	}
	z := d.Zones[0]
	want := []providers.Record{
		{Zone: "xn--caf-dma.es", Name: "@", Type: "MX", Content: "mx.example.net", Priority: 10, TTL: 3600},
		{Zone: "xn--caf-dma.es", Name: "xn--maana-pta", Type: "CNAME", Content: "xn--caf-dma.es", TTL: providers.AutoTTL, Proxied: true},
	}
	if len(z.Records) != 2 || z.Records[0] != want[0] || z.Records[1] != want[1] {
		t.Errorf("records\n%+v\nwant\n%+v", z.Records, want)
	}
	if !z.Protected[want[1].Key()] || len(z.Protected) != 1 {
		t.Errorf("protected = %v", z.Protected)
	}
	if z.Purge || z.Provider != "cloudflare" {
		t.Errorf("zone attrs %+v", z)
	}
	if len(z.Unmanaged) != 2 || z.Unmanaged[0] != (Unmanaged{Name: "_acme-challenge*"}) || z.Unmanaged[1] != (Unmanaged{Name: "tienda", Type: "TXT"}) {
		t.Errorf("unmanaged = %+v", z.Unmanaged)
	}
	if r := d.Zones[1].Records[0]; r.Name != "www" || r.Type != "A" || r.Content != "1.2.3.4" || r.TTL != providers.AutoTTL {
		t.Errorf("record %+v", r)
	}
}

func TestDesiredFromStateErrors(t *testing.T) {
	st := &schema.State{Zones: []schema.Zone{
		{Name: "example.com", Provider: "cloudflare", Pos: at(1), Records: []schema.Record{
			{Name: "www", Type: "A", Value: "not-an-ip", Pos: at(2)},
			{Name: "mail", Type: "A", Value: "1.2.3.4", Pos: at(3)},
			{Name: "MAIL", Type: "A", Value: "1.2.3.4", Pos: at(4)},
			{Name: "x", Type: "SPF", Value: "v=spf1", Pos: at(5)},
		}},
		{Name: "EXAMPLE.com", Provider: "cloudflare", Pos: at(9)},
		{Name: "bad.org", Provider: "cloudflare", Pos: at(20), Unmanaged: []schema.Unmanaged{{Name: "[x"}}},
	}}
	_, err := DesiredFromState(st, nil)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		`dns.yaml:2:7: zone example.com: record www A: A "not-an-ip": not an IP address`,
		"dns.yaml:4:7: zone example.com: duplicate record mail/A/1.2.3.4 (first at dns.yaml:3:7)",
		`dns.yaml:5:7: zone example.com: record x SPF: type "SPF": not one of`,
		"dns.yaml:9:7: zone cloudflare:example.com: declared twice (first at dns.yaml:1:7)",
		"dns.yaml:20:7: zone bad.org: unmanaged: pattern \"[x\"",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestPolicyAndAllow(t *testing.T) {
	p := PolicyFromState(schema.Policy{Protected: []string{"*/@/NS"}})
	if p.MaxChangePercent != 30 || p.MinZoneRecords != 10 || len(p.Protected) != 1 || len(p.Allow) != 0 {
		t.Errorf("PolicyFromState defaults: %+v", p)
	}
	if p := PolicyFromState(schema.Policy{MaxChangePercent: 50, MinZoneRecords: 3}); p.MaxChangePercent != 50 || p.MinZoneRecords != 3 {
		t.Errorf("PolicyFromState kept %+v", p)
	}
	tests := []struct {
		in      []string
		want    map[Rule]bool
		wantErr string
	}{
		{in: nil, want: map[Rule]bool{}},
		{in: []string{"mass-change,apex-ns"}, want: map[Rule]bool{RuleMassChange: true, RuleApexNS: true}},
		{in: []string{"protected", " apex-ns "}, want: map[Rule]bool{RuleProtected: true, RuleApexNS: true}},
		{in: []string{"mass-change,everything"}, wantErr: "--allow everything: unknown rule (known: mass-change, apex-ns, protected, registrar)"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.in, "|"), func(t *testing.T) {
			got, err := ParseAllow(tt.in)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || len(got) != len(tt.want) {
				t.Fatalf("got %v, %v; want %v", got, err, tt.want)
			}
			for r := range tt.want {
				if !got[r] {
					t.Errorf("%s not allowed", r)
				}
			}
		})
	}
}

func TestObserve(t *testing.T) {
	mem := memory.New("mem")
	mem.AddZone("a.org", "b.org")
	mem.Put(rec("www", "A", "1.2.3.4", inZone("a.org")))
	d := Desired{Zones: []Zone{
		{Provider: "mem", Name: "a.org"}, {Provider: "mem", Name: "b.org"},
		{Provider: "mem", Name: "gone.org"}, {Provider: "nope", Name: "c.org"},
	}}
	o, err := Observe(context.Background(), d, map[string]providers.Provider{"mem": mem})
	if err == nil {
		t.Fatal("no error")
	}
	if !errors.Is(err, providers.ErrZoneNotFound) {
		t.Errorf("error does not wrap ErrZoneNotFound: %v", err)
	}
	for _, want := range []string{"observe mem:gone.org: mem: zone gone.org: zone not found", `observe nope:c.org: no provider "nope" configured`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	if len(o.Zones) != 2 || len(o.Zones["mem:a.org"].Records) != 1 {
		t.Errorf("observed %+v", o.Zones)
	}
}
