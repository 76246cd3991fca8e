package cloudflare_test

import (
	"strings"
	"testing"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/cloudflare"
	"github.com/lagrieta/itlag/providers/cloudflare/cloudflaretest"
	"github.com/lagrieta/itlag/providers/providertest"
)

// TestRoundTrip applies each desired record, observes the zone and expects
// the same canonical record back; then updates it and deletes it.
func TestRoundTrip(t *testing.T) {
	long := strings.Repeat("v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA", 12) // 600+ bytes
	tests := []struct {
		name string
		zone string
		in   providers.Record
	}{
		{"A apex", "lagrieta.es", providers.Record{Name: "@", Type: "A", Content: "192.0.2.1"}},
		{"A proxied ttl auto", "lagrieta.es", providers.Record{Name: "www", Type: "A", Content: "192.0.2.2", Proxied: true}},
		{"A ttl and comment", "lagrieta.es", providers.Record{Name: "api", Type: "A", Content: "192.0.2.3", TTL: 300, Comment: "the API"}},
		{"AAAA long form", "lagrieta.es", providers.Record{Name: "v6", Type: "aaaa", Content: "2001:0DB8:0000:0000:0000:0000:0000:0001"}},
		{"CNAME trailing dot uppercase", "lagrieta.es", providers.Record{Name: "Blog", Type: "CNAME", Content: "Ghost.Example.COM."}},
		{"CNAME proxied", "lagrieta.es", providers.Record{Name: "shop", Type: "CNAME", Content: "shops.myshopify.com", Proxied: true, TTL: 1}},
		{"wildcard", "lagrieta.es", providers.Record{Name: "*", Type: "A", Content: "192.0.2.9"}},
		{"wildcard sub", "lagrieta.es", providers.Record{Name: "*.dev", Type: "CNAME", Content: "lagrieta.es"}},
		{"MX", "lagrieta.es", providers.Record{Name: "@", Type: "MX", Content: "mx1.mail.example.net.", Priority: 10}},
		{"MX priority 0", "lagrieta.es", providers.Record{Name: "mail", Type: "MX", Content: "mx.example.net", Priority: 0, TTL: 3600}},
		{"null MX", "lagrieta.es", providers.Record{Name: "nomail", Type: "MX", Content: ".", Priority: 0}},
		{"TXT simple", "lagrieta.es", providers.Record{Name: "@", Type: "TXT", Content: "v=spf1 include:_spf.google.com ~all"}},
		{"TXT over 255 bytes", "lagrieta.es", providers.Record{Name: "google._domainkey", Type: "TXT", Content: long}},
		{"TXT exactly 255", "lagrieta.es", providers.Record{Name: "t255", Type: "TXT", Content: strings.Repeat("x", 255)}},
		{"TXT quotes and backslashes", "lagrieta.es", providers.Record{Name: "q", Type: "TXT", Content: `say "hi" \ back\slash`}},
		{"TXT given quoted", "lagrieta.es", providers.Record{Name: "pre", Type: "TXT", Content: `"abc" "def"`}},
		{"TXT unicode", "lagrieta.es", providers.Record{Name: "u", Type: "TXT", Content: "cañón ñandú €"}},
		{"TXT _dmarc", "lagrieta.es", providers.Record{Name: "_dmarc", Type: "TXT", Content: "v=DMARC1; p=reject; rua=mailto:d@lagrieta.es", Comment: "dmarc"}},
		{"CAA issue", "lagrieta.es", providers.Record{Name: "@", Type: "CAA", Content: `0 issue "letsencrypt.org"`}},
		{"CAA loose", "lagrieta.es", providers.Record{Name: "c", Type: "CAA", Content: `128 IODEF "mailto:security@lagrieta.es"`}},
		{"CAA issuewild", "lagrieta.es", providers.Record{Name: "c2", Type: "CAA", Content: `0 issuewild ";"`}},
		{"SRV", "lagrieta.es", providers.Record{Name: "_sip._tcp", Type: "SRV", Content: "5 5060 SIP.Example.com.", Priority: 10}},
		{"SRV priority 0", "lagrieta.es", providers.Record{Name: "_xmpp._tcp.chat", Type: "SRV", Content: "0 5222 xmpp.lagrieta.es", Priority: 0, TTL: 600}},
		{"NS delegation", "lagrieta.es", providers.Record{Name: "sub", Type: "NS", Content: "ns1.other.net."}},
		{"IDN name", "lagrieta.es", providers.Record{Name: "cañón", Type: "A", Content: "192.0.2.10"}},
		{"IDN zone apex", "ñandú.es", providers.Record{Name: "@", Type: "A", Content: "192.0.2.11"}},
		{"IDN zone and name", "ñandú.es", providers.Record{Name: "Cañón", Type: "CNAME", Content: "ñandú.es."}},
		{"uppercase name", "lagrieta.es", providers.Record{Name: "WWW2", Type: "a", Content: "192.0.2.12"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, cloudflaretest.Options{}, cloudflare.Config{})
			e.fake.AddZone(tt.zone)
			zone, err := providers.NormalizeZone(tt.zone)
			if err != nil {
				t.Fatal(err)
			}
			in := tt.in
			in.Zone = tt.zone
			want := mustNormalize(t, in)

			providertest.NoErrors(t, e.p.Apply(ctx(t), zone, creates(zone, []providers.Record{in})))
			got := observeOne(t, e, zone)
			if !got.SameAttrs(want) {
				t.Fatalf("after create:\n got %+v\nwant %+v", got, want)
			}

			// update attributes: TTL, comment, proxied where allowed
			upd := want
			upd.TTL, upd.Comment = 120, "changed"
			upd.Proxied = providers.Proxiable(upd.Type) && !want.Proxied
			if upd.Proxied {
				upd.TTL = providers.AutoTTL // Cloudflare serves proxied records with auto TTL
			}
			before := got
			providertest.NoErrors(t, e.p.Apply(ctx(t), zone, []providers.Change{{Action: providers.Update, Zone: zone, Before: &before, After: &upd}}))
			got = observeOne(t, e, zone)
			if !got.SameAttrs(upd) || got.ID != before.ID {
				t.Fatalf("after update:\n got %+v\nwant %+v (id %s)", got, upd, before.ID)
			}

			providertest.NoErrors(t, e.p.Apply(ctx(t), zone, []providers.Change{{Action: providers.Delete, Zone: zone, Before: &got}}))
			obs, err := e.p.Observe(ctx(t), zone)
			if err != nil {
				t.Fatal(err)
			}
			if len(obs.Records) != 0 {
				t.Fatalf("after delete: %+v", obs.Records)
			}
		})
	}
}

func observeOne(t *testing.T, e env, zone string) providers.Record {
	t.Helper()
	obs, err := e.p.Observe(ctx(t), zone)
	if err != nil {
		t.Fatal(err)
	}
	if len(obs.Records) != 1 || len(obs.Findings) != 0 {
		t.Fatalf("observed %d records %+v, findings %v; want 1 record", len(obs.Records), obs.Records, obs.Findings)
	}
	return obs.Records[0]
}

// TestProxiedTTLIsAuto pins down a Cloudflare rule that the desired side
// must follow to avoid a perpetual diff: a proxied record always comes back
// with TTL 1 (auto), whatever TTL was sent.
func TestProxiedTTLIsAuto(t *testing.T) {
	e := setup(t, cloudflaretest.Options{}, cloudflare.Config{})
	e.fake.AddZone("lagrieta.es")
	in := providers.Record{Zone: "lagrieta.es", Name: "www", Type: "A", Content: "192.0.2.1", Proxied: true, TTL: 300}
	providertest.NoErrors(t, e.p.Apply(ctx(t), "lagrieta.es", creates("lagrieta.es", []providers.Record{in})))
	if got := observeOne(t, e, "lagrieta.es"); got.TTL != providers.AutoTTL || !got.Proxied {
		t.Errorf("observed %+v, want proxied with TTL 1", got)
	}
}
