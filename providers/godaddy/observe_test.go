package godaddy_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/godaddy"
	"github.com/lagrieta/itlag/providers/godaddy/godaddytest"
	"github.com/lagrieta/itlag/providers/providertest"
)

func ip(v int) *int { return &v }

// TestObserveMapping: GoDaddy's wire records as they come, to canonical
// records; the SOA and GoDaddy's own apex NS left out, the rest kept.
func TestObserveMapping(t *testing.T) {
	e := setup(t, godaddytest.Options{}, godaddy.Config{})
	e.fake.AddDomain(providers.Domain{Name: zone}) // adds the SOA and ns51/ns52.domaincontrol.com
	raw := []godaddytest.Record{
		{Type: "A", Name: "@", Data: "192.0.2.1", TTL: 600},
		{Type: "AAAA", Name: "v6", Data: "2001:DB8:0:0::1", TTL: 3600},
		{Type: "CNAME", Name: "www", Data: "@", TTL: 3600},
		{Type: "CNAME", Name: "Shop", Data: "Shops.MyShopify.com.", TTL: 3600},
		{Type: "MX", Name: "@", Data: "mx1.example.net", TTL: 3600, Priority: ip(10)},
		{Type: "TXT", Name: "@", Data: `v=spf1 include:_spf.example.net ~all`, TTL: 3600},
		{Type: "TXT", Name: "_dmarc", Data: `"v=DMARC1; p=none"`, TTL: 3600},
		{Type: "CAA", Name: "@", Data: `0 issue "letsencrypt.org"`, TTL: 3600},
		{Type: "SRV", Name: "@", Data: "sip.example.net", TTL: 3600, Priority: ip(10), Weight: ip(5), Port: ip(5060), Service: "_sip", Protocol: "_tcp"},
		{Type: "SRV", Name: "voip", Data: "voip.example.net", TTL: 3600, Priority: ip(0), Weight: ip(1), Port: ip(5060), Service: "_sip", Protocol: "_udp"},
		{Type: "SRV", Name: "_ldap._tcp", Data: "ldap.example.net", TTL: 3600, Priority: ip(0), Weight: ip(0), Port: ip(389), Service: "_ldap", Protocol: "_tcp"},
		{Type: "NS", Name: "@", Data: "ns1.other-dns.example", TTL: 3600},
		{Type: "NS", Name: "dev", Data: "ns53.domaincontrol.com", TTL: 3600},
		{Type: "A", Name: "broken", Data: "not-an-ip", TTL: 600},
		{Type: "PTR", Name: "x", Data: "host.example", TTL: 3600},
	}
	if err := e.fake.AddRawRecords(zone, raw...); err != nil {
		t.Fatal(err)
	}
	obs, err := e.p.Observe(ctx(t), zone)
	if err != nil {
		t.Fatal(err)
	}
	want := []providers.Record{
		rec(t, zone, "@", "A", "192.0.2.1", 600, 0),
		rec(t, zone, "v6", "AAAA", "2001:db8::1", 3600, 0),
		rec(t, zone, "www", "CNAME", zone, 3600, 0),
		rec(t, zone, "shop", "CNAME", "shops.myshopify.com", 3600, 0),
		rec(t, zone, "@", "MX", "mx1.example.net", 3600, 10),
		rec(t, zone, "@", "TXT", "v=spf1 include:_spf.example.net ~all", 3600, 0),
		rec(t, zone, "_dmarc", "TXT", "v=DMARC1; p=none", 3600, 0),
		rec(t, zone, "@", "CAA", `0 issue "letsencrypt.org"`, 3600, 0),
		rec(t, zone, "_sip._tcp", "SRV", "5 5060 sip.example.net", 3600, 10),
		rec(t, zone, "_sip._udp.voip", "SRV", "1 5060 voip.example.net", 3600, 0),
		rec(t, zone, "_ldap._tcp", "SRV", "0 389 ldap.example.net", 3600, 0),
		rec(t, zone, "@", "NS", "ns1.other-dns.example", 3600, 0),
		rec(t, zone, "dev", "NS", "ns53.domaincontrol.com", 3600, 0),
	}
	if d := providertest.SameSet(obs.Records, want); d != "" {
		t.Fatalf("observed:%s", d)
	}
	if len(obs.Findings) != 1 || !strings.Contains(obs.Findings[0].Summary, "broken") || obs.Findings[0].Severity != finding.Low {
		t.Fatalf("findings %+v, want one low finding for the broken record", obs.Findings)
	}
}

// TestObservePaging: one request per page of 500, plus one for an empty
// last page when the count is a multiple of 500; every record once. The
// zone holds 3 records more than the A records listed: the SOA and
// GoDaddy's two NS records.
func TestObservePaging(t *testing.T) {
	tests := []struct{ records, pageSize, wantRequests int }{
		{0, 0, 1},     // 3 on the wire
		{496, 0, 1},   // 499
		{497, 0, 2},   // 500: a full page, then an empty one
		{998, 0, 3},   // 1001
		{1997, 0, 5},  // 2000
		{4, 3, 3},     // 7 in pages of 3
		{10, 1000, 1}, // 13: the page size is lowered to 500
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d records, page %d", tt.records, tt.pageSize), func(t *testing.T) {
			e := setup(t, godaddytest.Options{}, godaddy.Config{PageSize: tt.pageSize})
			e.fake.AddDomain(providers.Domain{Name: zone})
			want := manyA(zone, tt.records)
			if err := e.fake.AddRecords(zone, want...); err != nil {
				t.Fatal(err)
			}
			e.fake.ResetStats()
			got := observe(t, e.p, zone)
			if len(got) != tt.records {
				t.Fatalf("observed %d records, want %d", len(got), tt.records)
			}
			for i := range want {
				want[i] = rec(t, zone, want[i].Name, "A", want[i].Content, 3600, 0)
			}
			if d := providertest.SameSet(got, want); d != "" {
				t.Fatalf("observed:%s", d)
			}
			if st := e.fake.Requests(); st.ListRecords != tt.wantRequests || st.Total() != tt.wantRequests {
				t.Fatalf("requests %+v, want %d list requests", st, tt.wantRequests)
			}
		})
	}
}
