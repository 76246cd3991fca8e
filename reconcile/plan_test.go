package reconcile

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/providers"
)

var defaultPolicy = Policy{MaxChangePercent: 30, MinZoneRecords: 10}

func TestPlanChanges(t *testing.T) {
	acme := Unmanaged{Name: "_acme-challenge*"}
	long := "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC1"
	tests := []struct {
		name     string
		desired  Zone
		observed []providers.Record
		want     []string
		summary  Summary
	}{
		{
			name:    "create missing record",
			desired: zone(true, rec("www", "A", "1.2.3.4")),
			want:    []string{"create cf:example.com/www/A: missing"},
			summary: Summary{Create: 1},
		},
		{
			name:     "unchanged",
			desired:  zone(true, rec("www", "A", "1.2.3.4")),
			observed: []providers.Record{rec("www", "A", "1.2.3.4")},
			want:     []string{},
			summary:  Summary{Unchanged: 1},
		},
		{
			name:     "update ttl",
			desired:  zone(true, rec("www", "A", "1.2.3.4", ttl(3600))),
			observed: []providers.Record{rec("www", "A", "1.2.3.4")},
			want:     []string{"update cf:example.com/www/A: ttl auto → 3600"},
			summary:  Summary{Update: 1},
		},
		{
			name:     "update proxied and comment",
			desired:  zone(true, rec("www", "CNAME", "example.net", proxied(), comment("web"))),
			observed: []providers.Record{rec("www", "CNAME", "example.net")},
			want:     []string{`update cf:example.com/www/CNAME: proxied false → true, comment "" → "web"`},
			summary:  Summary{Update: 1},
		},
		{
			name:     "update priority",
			desired:  zone(true, rec("@", "MX", "mx.example.net", prio(20))),
			observed: []providers.Record{rec("@", "MX", "mx.example.net", prio(10))},
			want:     []string{"update cf:example.com/@/MX: priority 10 → 20"},
			summary:  Summary{Update: 1},
		},
		{
			name:     "content change of a single record is an update",
			desired:  zone(true, rec("www", "A", "5.6.7.8")),
			observed: []providers.Record{rec("www", "A", "1.2.3.4", ttl(300))},
			want:     []string{"update cf:example.com/www/A: content 1.2.3.4 → 5.6.7.8, ttl 300 → auto"},
			summary:  Summary{Update: 1},
		},
		{
			name:     "delete undeclared record when purging",
			desired:  zone(true, rec("www", "A", "1.2.3.4")),
			observed: []providers.Record{rec("www", "A", "1.2.3.4"), rec("old", "CNAME", "gone.example.net")},
			want:     []string{"delete cf:example.com/old/CNAME: not declared"},
			summary:  Summary{Delete: 1, Unchanged: 1},
		},
		{
			name:     "purge false keeps undeclared records",
			desired:  zone(false, rec("www", "A", "1.2.3.4")),
			observed: []providers.Record{rec("old", "CNAME", "gone.example.net"), rec("www", "A", "9.9.9.9"), rec("www", "A", "8.8.8.8")},
			want:     []string{"create cf:example.com/www/A/1.2.3.4: missing"},
			summary:  Summary{Create: 1, Unmanaged: 3},
		},
		{
			name:     "multi-value set pairs the one leftover as an update",
			desired:  zone(true, rec("www", "A", "1.1.1.1"), rec("www", "A", "1.1.1.2")),
			observed: []providers.Record{rec("www", "A", "1.1.1.1"), rec("www", "A", "1.1.1.3")},
			want:     []string{"update cf:example.com/www/A/1.1.1.2: content 1.1.1.3 → 1.1.1.2"},
			summary:  Summary{Update: 1, Unchanged: 1},
		},
		{
			name:     "multi-value set: deletes before creates, by address",
			desired:  zone(true, rec("www", "A", "1.1.1.3"), rec("www", "A", "1.1.1.1"), rec("www", "A", "1.1.1.2")),
			observed: []providers.Record{rec("www", "A", "1.1.1.5"), rec("www", "A", "1.1.1.4")},
			want: []string{
				"delete cf:example.com/www/A/1.1.1.4: not declared",
				"delete cf:example.com/www/A/1.1.1.5: not declared",
				"create cf:example.com/www/A/1.1.1.1: missing",
				"create cf:example.com/www/A/1.1.1.2: missing",
				"create cf:example.com/www/A/1.1.1.3: missing",
			},
			summary: Summary{Create: 3, Delete: 2},
		},
		{
			name: "order within a zone: deletes, updates, creates",
			desired: zone(true, rec("a", "A", "1.1.1.1"), rec("b", "A", "2.2.2.2", ttl(60)),
				rec("c", "TXT", "x")),
			observed: []providers.Record{rec("b", "A", "2.2.2.2"), rec("z", "A", "3.3.3.3"), rec("y", "A", "3.3.3.3")},
			want: []string{
				"delete cf:example.com/y/A: not declared",
				"delete cf:example.com/z/A: not declared",
				"update cf:example.com/b/A: ttl auto → 60",
				"create cf:example.com/a/A: missing",
				"create cf:example.com/c/TXT: missing",
			},
			summary: Summary{Create: 2, Update: 1, Delete: 2},
		},
		{
			name: "unmanaged records are never touched",
			desired: func() Zone {
				z := zone(true, rec("www", "A", "1.2.3.4"))
				z.Unmanaged = []Unmanaged{acme, {Type: "SRV"}}
				return z
			}(),
			observed: []providers.Record{rec("www", "A", "1.2.3.4"), rec("_acme-challenge", "TXT", "token"),
				rec("_acme-challenge.www", "TXT", "t2"), rec("_sip._tcp", "SRV", "5 5060 sip.example.net", prio(10))},
			want:    []string{},
			summary: Summary{Unmanaged: 3, Unchanged: 1},
		},
		{
			name: "a desired record matching an unmanaged rule is managed; unmanaged neighbours are not paired",
			desired: func() Zone {
				z := zone(true, rec("_acme-challenge", "TXT", "keep", ttl(60)), rec("_acme-challenge", "TXT", "new"))
				z.Unmanaged = []Unmanaged{acme}
				return z
			}(),
			observed: []providers.Record{rec("_acme-challenge", "TXT", "keep"), rec("_acme-challenge", "TXT", "other")},
			want: []string{
				"update cf:example.com/_acme-challenge/TXT/keep: ttl auto → 60",
				"create cf:example.com/_acme-challenge/TXT/new: missing",
			},
			summary: Summary{Create: 1, Update: 1, Unmanaged: 1},
		},
		{
			name:     "long content is shortened in addresses and reasons",
			desired:  zone(true, rec("k1._domainkey", "TXT", long), rec("k1._domainkey", "TXT", "b")),
			observed: nil,
			want: []string{
				"create cf:example.com/k1._domainkey/TXT/b: missing",
				"create cf:example.com/k1._domainkey/TXT/" + ShortContent(long) + ": missing",
			},
			summary: Summary{Create: 2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Plan(Desired{Zones: []Zone{tt.desired}}, observed("cf:"+tz, tt.observed...), defaultPolicy)
			if got := lines(p.Changes); join(got) != join(tt.want) {
				t.Errorf("changes:\n%s\nwant:\n%s", join(got), join(tt.want))
			}
			if p.Summary != tt.summary {
				t.Errorf("summary %+v, want %+v", p.Summary, tt.summary)
			}
			if p.Blocked() {
				t.Errorf("unexpected refusals: %+v", p.Refusals)
			}
			if p.Empty() != (len(tt.want) == 0) {
				t.Errorf("Empty() = %v with %d changes", p.Empty(), len(tt.want))
			}
			for _, c := range p.Changes {
				if c.Provider != "cf" || c.Zone != tz {
					t.Errorf("%s: provider %q zone %q", c.Address, c.Provider, c.Zone)
				}
				if (c.Action == providers.Delete || c.Action == providers.Update) && (c.Before == nil || c.Before.ID == "") {
					t.Errorf("%s: %s without the observed record's ID", c.Address, c.Action)
				}
			}
		})
	}
}

func TestShortContent(t *testing.T) {
	long := "v=spf1 include:_spf.example.net include:mail.example.org ~all"
	got := ShortContent(long)
	if len(got) > 40 || got == long || got != ShortContent(long) || got[:10] != long[:10] {
		t.Errorf("ShortContent(%q) = %q", long, got)
	}
	if other := ShortContent(long + "x"); other == got {
		t.Errorf("two contents share the short form %q", got)
	}
	if s := ShortContent("short"); s != "short" {
		t.Errorf("short content changed: %q", s)
	}
}

func TestPlanZonesAndFindings(t *testing.T) {
	other := Zone{Provider: "cf", Name: "a.org", Purge: true, Records: []providers.Record{rec("@", "A", "1.1.1.1", inZone("a.org"))}}
	missing := Zone{Provider: "cf", Name: "missing.org", Records: []providers.Record{rec("@", "A", "1.1.1.1", inZone("missing.org"))}}
	d := Desired{Zones: []Zone{zone(true, rec("www", "A", "1.2.3.4")), missing, other}}
	f1 := finding.New(finding.Low, "cf:example.com", "k1", "low one")
	f2 := finding.New(finding.Critical, "cf:example.com", "k2", "critical one")
	f3 := finding.New(finding.Critical, "cf:a.org", "k3", "critical in a.org")
	o := Observed{Zones: map[string]providers.Observation{
		"cf:example.com": {Records: withIDs(rec("old", "A", "9.9.9.9")), Findings: []finding.Finding{f1, f2}},
		"cf:a.org":       {Findings: []finding.Finding{f3}},
	}}
	p := Plan(d, o, defaultPolicy)
	want := []string{
		"create cf:a.org/@/A: missing",
		"delete cf:example.com/old/A: not declared",
		"create cf:example.com/www/A: missing",
	}
	if got := lines(p.Changes); join(got) != join(want) {
		t.Errorf("changes:\n%s\nwant:\n%s", join(got), join(want))
	}
	var fs []string
	for _, f := range p.Findings {
		fs = append(fs, f.String())
	}
	wantF := []string{
		"critical cf:a.org: critical in a.org",
		"critical cf:example.com: critical one",
		"high cf:missing.org: zone was not observed; no changes planned for it",
		"low cf:example.com: low one",
	}
	if join(fs) != join(wantF) {
		t.Errorf("findings:\n%s\nwant:\n%s", join(fs), join(wantF))
	}
}

func TestPlanSafety(t *testing.T) {
	ten := nrecs(10, "A")
	changedTTL := func(n int) []providers.Record { // the first n of ten with ttl 60
		out := slices.Clone(ten)
		for i := range n {
			out[i].TTL = 60
		}
		return out
	}
	protectedZone := func() Zone {
		z := zone(true, rec("www", "A", "1.2.3.4", ttl(60)))
		z.Protected = map[string]bool{rec("www", "A", "1.2.3.4").Key(): true}
		return z
	}
	tests := []struct {
		name     string
		desired  Zone
		observed []providers.Record
		policy   Policy
		want     []Rule
		addrs    []string
		allowed  []Rule
	}{
		{name: "exactly 30% updated is fine", desired: zone(true, changedTTL(3)...), observed: ten, policy: defaultPolicy},
		{name: "above 30% updated is refused", desired: zone(true, changedTTL(4)...), observed: ten, policy: defaultPolicy,
			want: []Rule{RuleMassChange}, addrs: []string{"cf:example.com/h00/A", "cf:example.com/h01/A", "cf:example.com/h02/A", "cf:example.com/h03/A"}},
		{name: "mass change allowed", desired: zone(true, changedTTL(4)...), observed: ten,
			policy: Policy{MaxChangePercent: 30, MinZoneRecords: 10, Allow: map[Rule]bool{RuleMassChange: true}}, allowed: []Rule{RuleMassChange}},
		{name: "deletes count", desired: zone(true, ten[:6]...), observed: ten, policy: defaultPolicy, want: []Rule{RuleMassChange}},
		{name: "creates do not count", desired: zone(true, nrecs(40, "A")...), observed: ten, policy: defaultPolicy},
		{name: "purge false deletes nothing", desired: zone(false), observed: ten, policy: defaultPolicy},
		{name: "zone below the minimum is exempt", desired: zone(true), observed: ten[:9], policy: defaultPolicy},
		{name: "unmanaged records do not count towards the zone size",
			desired: func() Zone {
				z := zone(true, changedTTL(3)[:9]...)
				z.Unmanaged = []Unmanaged{{Type: "TXT"}}
				return z
			}(),
			observed: append(slices.Clone(ten[:9]), rec("t", "TXT", "x")), policy: defaultPolicy},
		{name: "apex NS refused", desired: zone(true, rec("@", "NS", "ns1.example.net")), policy: defaultPolicy,
			want: []Rule{RuleApexNS}, addrs: []string{"cf:example.com/@/NS"}},
		{name: "apex NS allowed", desired: zone(true, rec("@", "NS", "ns1.example.net")),
			policy: Policy{MaxChangePercent: 30, MinZoneRecords: 10, Allow: map[Rule]bool{RuleApexNS: true}}, allowed: []Rule{RuleApexNS}},
		{name: "subdomain NS is fine", desired: zone(true, rec("dev", "NS", "ns1.example.net")), policy: defaultPolicy},
		{name: "protected record flag", desired: protectedZone(), observed: []providers.Record{rec("www", "A", "1.2.3.4")},
			policy: defaultPolicy, want: []Rule{RuleProtected}, addrs: []string{"cf:example.com/www/A"}},
		{name: "protected record allowed", desired: protectedZone(), observed: []providers.Record{rec("www", "A", "1.2.3.4")},
			policy: Policy{Allow: map[Rule]bool{RuleProtected: true}}, allowed: []Rule{RuleProtected}},
		{name: "allowing a rule the plan does not break records nothing", desired: zone(true, changedTTL(1)...), observed: ten,
			policy: Policy{Allow: map[Rule]bool{RuleProtected: true, RuleMassChange: true}}},
		{name: "protected by policy glob", desired: zone(true), observed: []providers.Record{rec("@", "MX", "mx.example.net", prio(10))},
			policy: Policy{MaxChangePercent: 30, MinZoneRecords: 10, Protected: []string{"*/@/MX"}},
			want:   []Rule{RuleProtected}, addrs: []string{"cf:example.com/@/MX"}},
		{name: "policy glob not matching", desired: zone(true), observed: []providers.Record{rec("@", "MX", "mx.example.net", prio(10))},
			policy: Policy{MaxChangePercent: 30, MinZoneRecords: 10, Protected: []string{"other.org/@/MX"}}},
		{name: "several rules at once", desired: zone(true, rec("@", "NS", "ns1.example.net")), observed: ten,
			policy: Policy{MaxChangePercent: 30, MinZoneRecords: 10, Protected: []string{"example.com/*/A"}},
			want:   []Rule{RuleMassChange, RuleApexNS, RuleProtected}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Plan(Desired{Zones: []Zone{tt.desired}}, observed("cf:"+tz, tt.observed...), tt.policy)
			var got []Rule
			for _, r := range p.Refusals {
				got = append(got, r.Rule)
				if r.Zone != "cf:example.com" || len(r.Addresses) == 0 {
					t.Errorf("refusal %+v", r)
				}
				if want := "rerun with --allow " + string(r.Rule); !strings.Contains(r.Message, want) {
					t.Errorf("message %q does not say %q", r.Message, want)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("refusals %v, want %v (%+v)", got, tt.want, p.Refusals)
			}
			if tt.addrs != nil && !slices.Equal(p.Refusals[0].Addresses, tt.addrs) {
				t.Errorf("addresses %v, want %v", p.Refusals[0].Addresses, tt.addrs)
			}
			if p.Blocked() != (len(tt.want) > 0) {
				t.Errorf("Blocked() = %v", p.Blocked())
			}
			var allowed []Rule
			for _, r := range p.Allowed {
				allowed = append(allowed, r.Rule)
				if !strings.Contains(r.Message, "allowed with --allow "+string(r.Rule)) || len(r.Addresses) == 0 {
					t.Errorf("allowed %+v", r)
				}
			}
			if !slices.Equal(allowed, tt.allowed) {
				t.Errorf("allowed %v, want %v", allowed, tt.allowed)
			}
		})
	}
}

func TestPlanDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	mk := func() (Desired, Observed) {
		var zones []Zone
		obs := Observed{Zones: map[string]providers.Observation{}}
		for zi, zn := range []string{"b.org", "a.org", "c.org"} {
			var des, live []providers.Record
			for i := range 60 {
				r := rec("h"+string(rune('a'+i%7)), []string{"A", "TXT", "MX"}[i%3], "", inZone(zn))
				switch r.Type {
				case "A":
					r.Content = "10.0." + itoa(zi) + "." + itoa(i)
				case "TXT":
					r.Content = "v" + itoa(i%5)
				case "MX":
					r.Content, r.Priority = "mx"+itoa(i%4)+".example.net", i%3
				}
				if i%2 == 0 {
					des = append(des, r)
				}
				if i%3 != 0 {
					r.TTL = 300 * (i % 2)
					r.ID = zn + itoa(i)
					live = append(live, r)
				}
			}
			des = dedupe(des)
			zones = append(zones, Zone{Provider: "cf", Name: zn, Purge: zi != 1, Records: des})
			obs.Zones["cf:"+zn] = providers.Observation{Records: live, Findings: []finding.Finding{
				finding.New(finding.Medium, "cf:"+zn, "m", "medium"),
				finding.New(finding.High, "cf:"+zn, "h", "high"),
			}}
		}
		return Desired{Zones: zones}, obs
	}
	d, o := mk()
	want, err := json.Marshal(Plan(d, o, defaultPolicy))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		d, o := mk()
		rng.Shuffle(len(d.Zones), func(a, b int) { d.Zones[a], d.Zones[b] = d.Zones[b], d.Zones[a] })
		for zi := range d.Zones {
			rs := d.Zones[zi].Records
			rng.Shuffle(len(rs), func(a, b int) { rs[a], rs[b] = rs[b], rs[a] })
		}
		for k, ob := range o.Zones {
			rng.Shuffle(len(ob.Records), func(a, b int) { ob.Records[a], ob.Records[b] = ob.Records[b], ob.Records[a] })
			rng.Shuffle(len(ob.Findings), func(a, b int) { ob.Findings[a], ob.Findings[b] = ob.Findings[b], ob.Findings[a] })
			o.Zones[k] = ob
		}
		got, err := json.Marshal(Plan(d, o, defaultPolicy))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Fatalf("shuffle %d: plan JSON differs:\n%s\nwant:\n%s", i, got, want)
		}
	}
	if p := Plan(d, o, defaultPolicy); p.Empty() {
		t.Fatal("determinism test plan is empty; it tests nothing")
	}
}

func itoa(i int) string { return string(rune('0'+i/10%10)) + string(rune('0'+i%10)) }

func dedupe(rs []providers.Record) []providers.Record {
	seen := map[string]bool{}
	var out []providers.Record
	for _, r := range rs {
		if !seen[r.Key()] {
			seen[r.Key()] = true
			out = append(out, r)
		}
	}
	return out
}
