package cloudflare_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/cloudflare/cloudflare-go/v6/dns"
	"github.com/cloudflare/cloudflare-go/v6/option"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/cloudflare"
	"github.com/lagrieta/itlag/providers/cloudflare/cloudflaretest"
	"github.com/lagrieta/itlag/providers/providertest"
	"github.com/lagrieta/itlag/providers/transport"
)

func TestObservePagination(t *testing.T) {
	tests := []struct {
		records, perPage int
		wantLists        int
	}{
		{0, 1000, 1},    // only the two apex NS records: one short page
		{2500, 1000, 3}, // ...1000, 1000, 502: stops on total_pages
		{1998, 1000, 2}, // 1998 + 2 NS = exactly 2 full pages
		{450, 100, 5},
		{30, 5, 7}, // per_page is clamped to at least 5 by the API
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d records per page %d", tt.records, tt.perPage), func(t *testing.T) {
			e := setup(t, cloudflaretest.Options{}, cloudflare.Config{PerPage: tt.perPage})
			e.fake.AddZone("lagrieta.es")
			for _, r := range manyA("lagrieta.es", tt.records) {
				e.fake.AddRecord("lagrieta.es", cloudflaretest.Record{Name: r.Name, Type: "A", Content: r.Content, TTL: 1})
			}
			e.fake.ResetStats()
			obs, err := e.p.Observe(ctx(t), "lagrieta.es")
			if err != nil {
				t.Fatal(err)
			}
			if d := providertest.SameSet(obs.Records, manyA("lagrieta.es", tt.records)); d != "" {
				t.Fatalf("records differ:%s", d)
			}
			st := e.fake.Requests()
			if st.ListRecords != tt.wantLists || st.ListZones != 1 || st.Total() != tt.wantLists+1 {
				t.Errorf("requests = %+v, want %d list requests and 1 zone lookup", st, tt.wantLists)
			}
			// the zone ID is cached: a second Observe only lists
			e.fake.ResetStats()
			if _, err := e.p.Observe(ctx(t), "LaGrieta.es."); err != nil {
				t.Fatal(err)
			}
			if st := e.fake.Requests(); st.ListZones != 0 || st.ListRecords != tt.wantLists {
				t.Errorf("second observe requests = %+v", st)
			}
		})
	}
}

// TestFakePagingStyles checks that the fake ends all three client styles
// of paging: the v6 SDK's (until an empty page), total_pages and a short
// last page (both used by Observe above).
func TestFakePagingStyles(t *testing.T) {
	fake := cloudflaretest.NewServer(cloudflaretest.Options{})
	defer fake.Close()
	id := fake.AddZone("lagrieta.es")
	for _, r := range manyA("lagrieta.es", 2498) { // 2500 with the apex NS
		fake.AddRecord(id, cloudflaretest.Record{Name: r.Name, Type: "A", Content: r.Content})
	}
	records := dns.NewRecordService(option.WithBaseURL(fake.URL()), option.WithAPIToken(fake.Token()),
		option.WithMaxRetries(0), option.WithHTTPClient(transport.New(fastTransport())))
	fake.ResetStats()
	var q dns.RecordListParams
	q.ZoneID.Value, q.ZoneID.Present = id, true
	q.PerPage.Value, q.PerPage.Present = 1000, true
	pager := records.ListAutoPaging(ctx(t), q)
	n := 0
	for pager.Next() {
		n++
	}
	if err := pager.Err(); err != nil {
		t.Fatal(err)
	}
	if n != 2500 {
		t.Errorf("v6 ListAutoPaging saw %d records, want 2500", n)
	}
	// v6 asks for one page past the end and stops on its empty result:
	// 3 pages of records + 1 empty = 4 requests, where Observe makes 3.
	if st := fake.Requests(); st.ListRecords != 4 {
		t.Errorf("v6 ListAutoPaging made %d list requests, want 4", st.ListRecords)
	}
}

func TestObserveZoneNotFound(t *testing.T) {
	e := setup(t, cloudflaretest.Options{}, cloudflare.Config{})
	e.fake.AddZone("other.es")
	_, err := e.p.Observe(ctx(t), "lagrieta.es")
	if !errors.Is(err, providers.ErrZoneNotFound) {
		t.Fatalf("err = %v, want ErrZoneNotFound", err)
	}
	if !strings.HasPrefix(err.Error(), "cloudflare: zone lagrieta.es: ") {
		t.Errorf("err = %q, want it to name the zone", err)
	}
	errs := e.p.Apply(ctx(t), "lagrieta.es", creates("lagrieta.es", manyA("lagrieta.es", 2)))
	for i, err := range errs {
		if !errors.Is(err, providers.ErrZoneNotFound) {
			t.Errorf("apply change %d: err = %v, want ErrZoneNotFound", i, err)
		}
	}
}

func TestAuthFailure(t *testing.T) {
	const secret = "wrong-secret-token-1234"
	e := setup(t, cloudflaretest.Options{Token: "right"}, cloudflare.Config{Token: secret})
	e.fake.AddZone("lagrieta.es")
	_, err := e.p.Observe(ctx(t), "lagrieta.es")
	if err == nil {
		t.Fatal("observe with a wrong token succeeded")
	}
	var ae *cloudflare.APIError
	if !errors.As(err, &ae) || ae.Status != 403 || len(ae.Errors) != 1 || ae.Errors[0].Code != 10000 {
		t.Errorf("err = %#v, want an APIError 403 with code 10000", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, "10000 Authentication error") || strings.Contains(msg, secret) {
		t.Errorf("err = %q: want the code and message, never the token", msg)
	}
	for _, err := range e.p.Apply(ctx(t), "lagrieta.es", creates("lagrieta.es", manyA("lagrieta.es", 1))) {
		if err == nil || strings.Contains(err.Error(), secret) || !strings.Contains(err.Error(), "Authentication error") {
			t.Errorf("apply err = %v", err)
		}
	}
}

func TestObserveSkipsAndFindings(t *testing.T) {
	e := setup(t, cloudflaretest.Options{}, cloudflare.Config{})
	e.fake.AddZone("lagrieta.es")
	seed := []cloudflaretest.Record{
		{Name: "@", Type: "SOA", Content: "ada.ns.cloudflare.com. dns.cloudflare.com. 1 10000 2400 604800 3600"},
		{Name: "@", Type: "HTTPS", Content: `1 . alpn="h2"`},
		{Name: "4.3.2.1.in-addr.arpa", Type: "PTR", Content: "x.lagrieta.es"},
		{Name: "sub", Type: "NS", Content: "ns1.other.net"},
		{Name: "bad", Type: "A", Content: "not-an-ip"},
		{Name: "ok", Type: "A", Content: "192.0.2.1", TTL: 300},
	}
	for _, r := range seed {
		e.fake.AddRecord("lagrieta.es", r)
	}
	obs, err := e.p.Observe(ctx(t), "lagrieta.es")
	if err != nil {
		t.Fatal(err)
	}
	want := []providers.Record{
		{Zone: "lagrieta.es", Name: "sub", Type: "NS", Content: "ns1.other.net", TTL: 1},
		{Zone: "lagrieta.es", Name: "ok", Type: "A", Content: "192.0.2.1", TTL: 300},
	}
	if d := providertest.SameSet(obs.Records, want); d != "" {
		t.Errorf("records differ:%s", d)
	}
	if len(obs.Findings) != 1 || obs.Findings[0].Severity != finding.Low ||
		!strings.Contains(obs.Findings[0].Summary, "bad.lagrieta.es") || obs.Findings[0].Source != "cloudflare:lagrieta.es" {
		t.Errorf("findings = %v, want one low finding for bad.lagrieta.es", obs.Findings)
	}
}

// TestPrepare: naming many zones up front finds them through the zone list,
// one request per 50 zones, instead of one look-up each; zones beyond what
// the list pages cover are still found by name.
func TestPrepare(t *testing.T) {
	tests := []struct {
		name          string
		account, want int // zones in the account, zones asked for (the first ones by name)
		maxZoneReqs   int
	}{
		{"50 of 50", 50, 50, 1},
		{"50 of 120", 120, 50, 1},
		{"120 of 120", 120, 120, 3},
		{"one zone: plain look-up", 120, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, cloudflaretest.Options{}, cloudflare.Config{})
			var names []string
			for i := range tt.account {
				n := fmt.Sprintf("z%03d.example", i)
				e.fake.AddZone(n)
				if i < tt.want {
					names = append(names, n)
				}
			}
			e.fake.ResetStats()
			e.p.Prepare(ctx(t), names)
			for _, n := range names {
				if _, err := e.p.Observe(ctx(t), n); err != nil {
					t.Fatal(err)
				}
			}
			st := e.fake.Requests()
			if st.ListZones > tt.maxZoneReqs || st.ListRecords != tt.want {
				t.Fatalf("zone requests %d (want ≤ %d), record lists %d (want %d)", st.ListZones, tt.maxZoneReqs, st.ListRecords, tt.want)
			}
		})
	}
	t.Run("zone missing from the list is looked up by name", func(t *testing.T) {
		e := setup(t, cloudflaretest.Options{}, cloudflare.Config{})
		e.fake.AddZone("a.example")
		e.fake.AddZone("b.example")
		e.p.Prepare(ctx(t), []string{"a.example", "b.example", "missing.example"})
		if _, err := e.p.Observe(ctx(t), "b.example"); err != nil {
			t.Fatal(err)
		}
		if _, err := e.p.Observe(ctx(t), "missing.example"); !errors.Is(err, providers.ErrZoneNotFound) {
			t.Fatalf("err = %v, want ErrZoneNotFound", err)
		}
	})
}
