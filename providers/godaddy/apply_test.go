package godaddy_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/godaddy"
	"github.com/lagrieta/itlag/providers/godaddy/godaddytest"
	"github.com/lagrieta/itlag/providers/providertest"
)

func observe(t *testing.T, p *godaddy.Provider, z string) []providers.Record {
	t.Helper()
	obs, err := p.Observe(ctx(t), z)
	if err != nil {
		t.Fatal(err)
	}
	return obs.Records
}

// TestWholeSetKeepsUndeclared: a record sharing name and type with changed
// ones, but named by no change (unmanaged, undeclared), survives updates
// and deletes of its set; so do GoDaddy's own apex NS records.
func TestWholeSetKeepsUndeclared(t *testing.T) {
	e := setup(t, godaddytest.Options{}, godaddy.Config{})
	e.fake.AddDomain(providers.Domain{Name: zone})
	managed := rec(t, zone, "www", "A", "192.0.2.1", 3600, 0)
	other := rec(t, zone, "www", "A", "192.0.2.2", 600, 0)
	mx := rec(t, zone, "@", "MX", "mx1.example.net", 3600, 10)
	if err := e.fake.AddRecords(zone, managed, other, mx); err != nil {
		t.Fatal(err)
	}
	opNS := rec(t, zone, "@", "NS", "ns1.other-dns.example", 3600, 0)
	updated := managed
	updated.Content, updated.TTL = "192.0.2.9", 1200
	mx2 := rec(t, zone, "@", "MX", "mx2.example.net", 3600, 20)
	providertest.NoErrors(t, e.p.Apply(ctx(t), zone, []providers.Change{
		change(providers.Update, &managed, &updated),
		change(providers.Create, nil, &mx2),
		change(providers.Create, nil, &opNS),
	}))
	if d := providertest.SameSet(observe(t, e.p, zone), []providers.Record{updated, other, mx, mx2, opNS}); d != "" {
		t.Fatalf("after update:%s", d)
	}
	providertest.NoErrors(t, e.p.Apply(ctx(t), zone, []providers.Change{
		change(providers.Delete, &updated, nil),
		change(providers.Delete, &opNS, nil),
	}))
	if d := providertest.SameSet(observe(t, e.p, zone), []providers.Record{other, mx, mx2}); d != "" {
		t.Fatalf("after delete:%s", d)
	}
	own := 0
	for _, r := range e.fake.RawRecords(zone) {
		if r.Type == "NS" && r.Name == "@" && strings.HasSuffix(r.Data, ".domaincontrol.com") {
			own++
		}
	}
	if own != 2 {
		t.Fatalf("GoDaddy's own apex NS records: %d left, want 2", own)
	}
	// one set to rewrite: read on its own, written once
	e.fake.ResetStats()
	other2 := other
	other2.TTL = 7200
	providertest.NoErrors(t, e.p.Apply(ctx(t), zone, []providers.Change{change(providers.Update, &other, &other2)}))
	if st := e.fake.Requests(); st.GetRecords != 1 || st.Replace != 1 || st.Total() != 2 {
		t.Fatalf("requests %+v, want one set read and one PUT", st)
	}
	if d := providertest.SameSet(observe(t, e.p, zone), []providers.Record{other2, mx, mx2}); d != "" {
		t.Fatalf("after the ttl update:%s", d)
	}
}

// TestSRVSet: SRV records of different services under one owner share a
// GoDaddy record set; changing one keeps the other.
func TestSRVSet(t *testing.T) {
	e := setup(t, godaddytest.Options{}, godaddy.Config{})
	e.fake.AddDomain(providers.Domain{Name: zone})
	sip := rec(t, zone, "_sip._tcp", "SRV", "5 5060 sip.example.net", 3600, 10)
	xmpp := rec(t, zone, "_xmpp._tcp", "SRV", "0 5222 chat.example.net", 3600, 5)
	voip := rec(t, zone, "_sip._udp.voip", "SRV", "1 5060 voip.example.net", 3600, 0)
	providertest.NoErrors(t, e.p.Apply(ctx(t), zone, creates([]providers.Record{sip, xmpp, voip})))
	var owners []string
	for _, r := range e.fake.RawRecords(zone) {
		if r.Type == "SRV" {
			owners = append(owners, r.Service+" "+r.Protocol+" "+r.Name)
		}
	}
	if strings.Join(owners, ",") != "_sip _tcp @,_xmpp _tcp @,_sip _udp voip" {
		t.Fatalf("wire SRV records: %q", owners)
	}
	sip2 := sip
	sip2.Priority = 20
	providertest.NoErrors(t, e.p.Apply(ctx(t), zone, []providers.Change{change(providers.Update, &sip, &sip2), change(providers.Delete, &voip, nil)}))
	if d := providertest.SameSet(observe(t, e.p, zone), []providers.Record{sip2, xmpp}); d != "" {
		t.Fatalf("after update:%s", d)
	}
}

// TestCreatesAreOneAppend: creates spread over many sets cost one PATCH.
func TestCreatesAreOneAppend(t *testing.T) {
	e := setup(t, godaddytest.Options{}, godaddy.Config{})
	e.fake.AddDomain(providers.Domain{Name: zone})
	want := manyA(zone, 200)
	want = append(want, rec(t, zone, "@", "TXT", "v=spf1 -all", 3600, 0), rec(t, zone, "@", "CAA", `0 issue "letsencrypt.org"`, 3600, 0))
	providertest.NoErrors(t, e.p.Apply(ctx(t), zone, creates(want)))
	if st := e.fake.Requests(); st.Append != 1 || st.Total() != 1 {
		t.Fatalf("requests %+v, want one PATCH", st)
	}
	for i := range want {
		want[i] = rec(t, zone, want[i].Name, want[i].Type, want[i].Content, want[i].TTL, 0)
	}
	if d := providertest.SameSet(e.fake.Records(zone), want); d != "" {
		t.Fatalf("fake holds:%s", d)
	}
}

// TestPartialFailure: one set's write fails for good; only that set's
// changes fail, the others are done; running the same changes again once
// the fault is gone converges without duplicates.
func TestPartialFailure(t *testing.T) {
	tests := []struct {
		name   string
		status int
		want   string
	}{
		{"500 forever", http.StatusInternalServerError, "replace A bad set: 500 INTERNAL_SERVER_ERROR"},
		{"422", http.StatusUnprocessableEntity, "replace A bad set: 422 INVALID_BODY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, godaddytest.Options{}, godaddy.Config{})
			e.fake.AddDomain(providers.Domain{Name: zone})
			good := rec(t, zone, "good", "A", "192.0.2.1", 3600, 0)
			bad := rec(t, zone, "bad", "A", "192.0.2.2", 3600, 0)
			gone := rec(t, zone, "gone", "TXT", "old", 3600, 0)
			if err := e.fake.AddRecords(zone, good, bad, gone); err != nil {
				t.Fatal(err)
			}
			good2, bad2 := good, bad
			good2.Content, bad2.Content = "192.0.2.11", "192.0.2.12"
			extra := rec(t, zone, "bad", "A", "192.0.2.13", 3600, 0)
			fresh := rec(t, zone, "fresh", "AAAA", "2001:db8::1", 3600, 0)
			changes := []providers.Change{
				change(providers.Update, &good, &good2),
				change(providers.Update, &bad, &bad2),
				change(providers.Create, nil, &extra), // also in the bad set
				change(providers.Delete, &gone, nil),
				change(providers.Create, nil, &fresh),
			}
			e.fake.FailWith(func(r *http.Request) int {
				if r.Method == http.MethodPut && strings.HasSuffix(r.URL.Path, "/records/A/bad") {
					return tt.status
				}
				return 0
			})
			errs := e.p.Apply(ctx(t), zone, changes)
			for i, err := range errs {
				inBad := i == 1 || i == 2
				switch {
				case inBad && (err == nil || !strings.Contains(err.Error(), tt.want)):
					t.Errorf("change %d: %v, want %q", i, err, tt.want)
				case !inBad && err != nil:
					t.Errorf("change %d: %v, want no error", i, err)
				}
			}
			if d := providertest.SameSet(observe(t, e.p, zone), []providers.Record{good2, bad, fresh}); d != "" {
				t.Fatalf("after the partial failure:%s", d)
			}
			e.fake.FailWith(nil)
			providertest.NoErrors(t, e.p.Apply(ctx(t), zone, changes))
			providertest.NoErrors(t, e.p.Apply(ctx(t), zone, changes)) // and again: nothing changes
			if d := providertest.SameSet(observe(t, e.p, zone), []providers.Record{good2, bad2, extra, fresh}); d != "" {
				t.Fatalf("after the re-run:%s", d)
			}
		})
	}
}

// TestAppendFallback: when the PATCH is refused (422) or its answer is
// lost and the transport's resend meets the records already there
// (DUPLICATE_RECORD), the sets are written one by one instead.
func TestAppendFallback(t *testing.T) {
	tests := []struct {
		name              string
		fault             func(n *int) func(*http.Request) int
		append, put, lost int
	}{
		{"patch refused", func(n *int) func(*http.Request) int {
			return func(r *http.Request) int {
				if r.Method == http.MethodPatch {
					return http.StatusUnprocessableEntity
				}
				return 0
			}
		}, 0, 3, 0},
		{"patch answer lost", func(n *int) func(*http.Request) int {
			return func(r *http.Request) int {
				if r.Method == http.MethodPatch {
					if *n++; *n == 1 {
						return godaddytest.LoseAnswer
					}
				}
				return 0
			}
		}, 2, 0, 1}, // the resend meets DUPLICATE_RECORD; the sets are already right
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, godaddytest.Options{}, godaddy.Config{})
			e.fake.AddDomain(providers.Domain{Name: zone})
			n := 0
			e.fake.FailWith(tt.fault(&n))
			want := manyA(zone, 3)
			for i := range want {
				want[i] = rec(t, zone, want[i].Name, "A", want[i].Content, 3600, 0)
			}
			providertest.NoErrors(t, e.p.Apply(ctx(t), zone, creates(want)))
			if d := providertest.SameSet(e.fake.Records(zone), want); d != "" {
				t.Fatalf("fake holds:%s", d)
			}
			st := e.fake.Requests()
			if st.Append != tt.append || st.ListRecords != 1 || st.GetRecords != 0 || st.Replace != tt.put || st.Lost != tt.lost {
				t.Fatalf("requests %+v, want %d PATCH answered, 1 zone read, %d PUT, %d lost", st, tt.append, tt.put, tt.lost)
			}
		})
	}
}

// TestApplyRefuses: invalid changes fail alone, before any request; the
// valid ones in the same call are done.
func TestApplyRefuses(t *testing.T) {
	e := setup(t, godaddytest.Options{}, godaddy.Config{})
	e.fake.AddDomain(providers.Domain{Name: zone})
	ok := rec(t, zone, "ok", "A", "192.0.2.1", 3600, 0)
	low := rec(t, zone, "low", "A", "192.0.2.2", 300, 0)
	proxied := rec(t, zone, "px", "A", "192.0.2.3", 3600, 0)
	proxied.Proxied = true
	badSRV := providers.Record{Zone: zone, Name: "sip", Type: "SRV", Content: "1 2 sip.example.net", TTL: 3600}
	other := rec(t, "other.example", "x", "A", "192.0.2.4", 3600, 0)
	on := true
	changes := []providers.Change{
		change(providers.Create, nil, &ok),
		change(providers.Create, nil, &low),
		change(providers.Create, nil, &proxied),
		change(providers.Create, nil, &badSRV),
		change(providers.Create, nil, &other),
		{Action: providers.Update, Zone: zone, Address: "godaddy:domain/" + zone,
			Domain: &providers.DomainChange{After: providers.DomainSettings{Locked: &on}}},
		{Action: "rename", Zone: zone, After: &ok},
	}
	wants := []string{"", "ttl 300 is below godaddy's minimum of 600", "proxied is not supported", "want _service._protocol",
		"is for zone", "goes through SetDomain", `unknown action "rename"`}
	errs := e.p.Apply(ctx(t), zone, changes)
	for i, want := range wants {
		if err := errs[i]; (want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), want)) {
			t.Errorf("change %d: %v, want %q", i, err, want)
		}
	}
	if d := providertest.SameSet(e.fake.Records(zone), []providers.Record{ok}); d != "" {
		t.Fatalf("fake holds:%s", d)
	}
	if len(errs) != len(changes) {
		t.Fatalf("%d errors for %d changes", len(errs), len(changes))
	}
}
