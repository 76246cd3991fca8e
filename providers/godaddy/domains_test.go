package godaddy_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/godaddy"
	"github.com/lagrieta/itlag/providers/godaddy/godaddytest"
)

func TestDomain(t *testing.T) {
	e := setup(t, godaddytest.Options{}, godaddy.Config{})
	exp := time.Date(2027, 3, 4, 5, 6, 7, 0, time.UTC)
	e.fake.AddDomain(providers.Domain{Name: "Café.example", Status: "ACTIVE", Expires: exp, RenewDeadline: exp.AddDate(0, 1, 0),
		RenewAuto: true, Locked: true, Privacy: true, ExpirationProtected: true,
		NameServers: []string{"NS2.Other-DNS.net.", "ns1.other-dns.net"}})
	got, err := e.p.Domain(ctx(t), "café.example")
	if err != nil {
		t.Fatal(err)
	}
	want := providers.Domain{Name: "xn--caf-dma.example", Status: "ACTIVE", Expires: exp, RenewDeadline: exp.AddDate(0, 1, 0),
		RenewAuto: true, Locked: true, Privacy: true, ExpirationProtected: true,
		NameServers: []string{"ns1.other-dns.net", "ns2.other-dns.net"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Domain =\n %+v\nwant\n %+v", got, want)
	}
}

// TestDomainsPagination lists n domains with pages of 3: marker paging
// until a short or empty page, every domain once, in name order.
func TestDomainsPagination(t *testing.T) {
	tests := []struct{ domains, wantRequests int }{
		{0, 1}, {2, 1}, {3, 2}, {7, 3}, {9, 4},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.domains), func(t *testing.T) {
			e := setup(t, godaddytest.Options{}, godaddy.Config{PageSize: 3})
			var want []string
			for i := tt.domains - 1; i >= 0; i-- { // added out of order
				n := fmt.Sprintf("d%02d.example", i)
				e.fake.AddDomain(providers.Domain{Name: n, Status: []string{"ACTIVE", "EXPIRED"}[i%2]})
				want = append([]string{n}, want...)
			}
			got, err := e.p.Domains(ctx(t))
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, d := range got {
				names = append(names, d.Name)
				if len(d.NameServers) != 2 || !strings.HasSuffix(d.NameServers[0], ".domaincontrol.com") || d.Expires.IsZero() {
					t.Errorf("%s: summary not filled: %+v", d.Name, d)
				}
			}
			if !reflect.DeepEqual(names, want) {
				t.Fatalf("Domains = %v, want %v", names, want)
			}
			if n := e.fake.Requests().ListDomains; n != tt.wantRequests {
				t.Fatalf("%d list requests, want %d", n, tt.wantRequests)
			}
		})
	}
}

// TestSetDomain: one PATCH carrying only the fields set; the others keep
// their values in the fake.
func TestSetDomain(t *testing.T) {
	yes, no := true, false
	start := providers.Domain{Name: zone, RenewAuto: false, Locked: true, NameServers: []string{"ns1.old.example", "ns2.old.example"}}
	tests := []struct {
		name     string
		set      providers.DomainSettings
		want     func(d *providers.Domain)
		requests int
	}{
		{"renew auto only", providers.DomainSettings{RenewAuto: &yes}, func(d *providers.Domain) { d.RenewAuto = true }, 1},
		{"unlock only", providers.DomainSettings{Locked: &no}, func(d *providers.Domain) { d.Locked = false }, 1},
		{"nameservers only", providers.DomainSettings{NameServers: []string{"B.ns.cloudflare.com.", "a.ns.cloudflare.com"}},
			func(d *providers.Domain) { d.NameServers = []string{"a.ns.cloudflare.com", "b.ns.cloudflare.com"} }, 1},
		{"all three", providers.DomainSettings{RenewAuto: &yes, Locked: &no, NameServers: []string{"ns9.example.net"}},
			func(d *providers.Domain) {
				d.RenewAuto, d.Locked, d.NameServers = true, false, []string{"ns9.example.net"}
			}, 1},
		{"nothing", providers.DomainSettings{}, func(d *providers.Domain) {}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, godaddytest.Options{}, godaddy.Config{})
			e.fake.AddDomain(start)
			before := e.fake.Domain(zone)
			if err := e.p.SetDomain(ctx(t), zone, tt.set); err != nil {
				t.Fatal(err)
			}
			want := before
			tt.want(&want)
			if got := e.fake.Domain(zone); !reflect.DeepEqual(got, want) {
				t.Fatalf("fake holds\n %+v\nwant\n %+v", got, want)
			}
			st := e.fake.Requests()
			if st.PatchDomain != tt.requests || st.Total() != tt.requests {
				t.Fatalf("requests %+v, want %d PATCH and nothing else", st, tt.requests)
			}
		})
	}
}

func TestSetDomainRefuses(t *testing.T) {
	e := setup(t, godaddytest.Options{}, godaddy.Config{})
	e.fake.AddDomain(providers.Domain{Name: zone})
	for _, ns := range [][]string{{}, {"bad..host"}} {
		if err := e.p.SetDomain(ctx(t), zone, providers.DomainSettings{NameServers: ns}); err == nil {
			t.Errorf("nameservers %q accepted", ns)
		}
	}
	if n := e.fake.Requests().Total(); n != 0 {
		t.Fatalf("%d requests sent for refused settings", n)
	}
}
