package importer

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/reconcile"
)

// rec is a record as a provider reports it (already canonical where it
// can be).
func rec(id, name, typ, content string, ttl int) providers.Record {
	return providers.Record{ID: id, Zone: "example.com", Name: name, Type: typ, Content: content, TTL: ttl}
}

func TestZoneSkipped(t *testing.T) {
	with := func(r providers.Record, f func(*providers.Record)) providers.Record { f(&r); return r }
	tests := []struct {
		name     string
		provider string
		recs     []providers.Record
		skipped  []string // IDs
		reason   string
		rule     string // the unmanaged rule as written
	}{
		{"ttl under 60", "cloudflare", []providers.Record{
			rec("1", "*", "A", "192.0.2.1", 30), rec("2", "*", "A", "192.0.2.2", 1),
		}, []string{"1"}, "ttl 30 is outside", `{name: '\*', type: A}`},
		{"ttl over a day", "cloudflare", []providers.Record{rec("1", "slow", "A", "192.0.2.1", 100000)},
			[]string{"1"}, "ttl 100000 is outside", "{name: slow, type: A}"},
		{"type not managed", "cloudflare", []providers.Record{rec("1", "@", "HTTPS", "1 . alpn=h2", 300)},
			[]string{"1"}, "type HTTPS is not one itlag manages", `{name: "@", type: HTTPS}`},
		{"type with digits", "cloudflare", []providers.Record{rec("1", "x", "TYPE65", `\# 0`, 300)},
			[]string{"1"}, "is not one itlag manages", `{name: x, type: "TYPE??"}`},
		{"comment over 100 characters", "cloudflare", []providers.Record{
			with(rec("1", "c", "TXT", "x", 1), func(r *providers.Record) { r.Comment = strings.Repeat("é", 101) }),
			with(rec("2", "c", "TXT", "y", 1), func(r *providers.Record) { r.Comment = strings.Repeat("é", 100) }),
		}, []string{"1"}, "comment is 101 characters", "{name: c, type: TXT}"},
		{"priority out of range", "cloudflare", []providers.Record{
			with(rec("1", "@", "MX", "mx.example.net", 1), func(r *providers.Record) { r.Priority = 70000 }),
		}, []string{"1"}, "priority 70000", `{name: "@", type: MX}`},
		{"duplicates", "cloudflare", []providers.Record{
			rec("1", "dup", "TXT", "same", 1), rec("2", "dup", "TXT", "same", 300), rec("3", "dup", "TXT", "other", 1),
		}, []string{"1", "2"}, "2 live records share", "{name: dup, type: TXT}"},
		{"CNAME beside other records", "cloudflare", []providers.Record{
			rec("1", "mixed", "CNAME", "example.net", 1), rec("2", "mixed", "TXT", "hello", 1),
		}, []string{"1"}, "a CNAME must be alone", "{name: mixed, type: CNAME}"},
		{"two CNAMEs at a name", "cloudflare", []providers.Record{
			rec("1", "two", "CNAME", "a.example.net", 1), rec("2", "two", "CNAME", "b.example.net", 1),
		}, []string{"1", "2"}, "a CNAME must be alone", "{name: two, type: CNAME}"},
		{"not UTF-8", "cloudflare", []providers.Record{rec("1", "bad", "TXT", "a\xffb", 1)},
			[]string{"1"}, "not valid UTF-8", "{name: bad, type: TXT}"},
		{"value Normalize changes again", "cloudflare", []providers.Record{rec("1", "@", "CAA", `0 issue "a\"b"`, 1)},
			[]string{"1"}, "would load back different: value", `{name: "@", type: CAA}`},
		{"space in the name", "cloudflare", []providers.Record{rec("1", "a b", "A", "192.0.2.1", 1)},
			[]string{"1"}, "is not a name the state allows", `{name: "a?b", type: A}`},
		{"glob characters in the name", "cloudflare", []providers.Record{rec("1", "*.x?[y]", "A", "192.0.2.1", 30)},
			[]string{"1"}, "ttl 30", `{name: '\*.x\?\[y\]', type: A}`},
		{"godaddy proxied", "godaddy", []providers.Record{
			with(rec("1", "@", "A", "192.0.2.1", 1), func(r *providers.Record) { r.Proxied = true }),
			rec("2", "@", "A", "192.0.2.2", 600),
		}, []string{"1"}, "proxied is not supported by godaddy", `{name: "@", type: A}`},
		{"godaddy ttl under its minimum", "godaddy", []providers.Record{rec("1", "@", "A", "192.0.2.1", 300)},
			[]string{"1"}, "below godaddy's minimum of 600", `{name: "@", type: A}`},
		{"godaddy comment", "godaddy", []providers.Record{
			with(rec("1", "@", "TXT", "x", 600), func(r *providers.Record) { r.Comment = "kept nowhere" }),
		}, []string{"1"}, "would load back different: comment", `{name: "@", type: TXT}`},
		{"godaddy ttl auto", "godaddy", []providers.Record{rec("1", "@", "A", "192.0.2.1", 1)},
			[]string{"1"}, "would load back different: ttl 3600, live 1", `{name: "@", type: A}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, skipped, out := roundTrip(t, tt.provider, "example.com", tt.recs)
			wantNoChanges(t, p, out)
			var ids []string
			for _, s := range skipped {
				ids = append(ids, s.Record.ID)
				if !strings.Contains(s.Reason, tt.reason) {
					t.Errorf("skipped %s: reason %q, want it to contain %q", s.Record.ID, s.Reason, tt.reason)
				}
				if !strings.Contains(string(out), oneLine(s.Reason)) {
					t.Errorf("output does not say why %s was skipped:\n%s", s.Record.ID, out)
				}
			}
			if fmt.Sprint(ids) != fmt.Sprint(tt.skipped) {
				t.Errorf("skipped %v, want %v", ids, tt.skipped)
			}
			if !strings.Contains(string(out), "- "+tt.rule+"\n") {
				t.Errorf("output lacks the rule %s:\n%s", tt.rule, out)
			}
			if p.Summary.Delete != 0 || p.Summary.Unmanaged != len(tt.skipped) ||
				p.Summary.Unchanged != len(tt.recs)-len(tt.skipped) {
				t.Errorf("summary %+v, want %d unmanaged, %d unchanged, no delete",
					p.Summary, len(tt.skipped), len(tt.recs)-len(tt.skipped))
			}
		})
	}
}

// TestUnmanagedRulesMatter: without its unmanaged rules, the imported
// state would delete exactly the skipped records; with them, nothing.
func TestUnmanagedRulesMatter(t *testing.T) {
	recs := []providers.Record{
		rec("1", "*", "A", "192.0.2.1", 30),
		rec("2", "*.apps", "TXT", "x", 1),
		rec("3", "*.apps", "TXT", "x", 1),
		rec("4", "@", "HTTPS", "1 . alpn=h2", 300),
		rec("5", "www", "A", "192.0.2.5", 1),
	}
	out, skipped, err := Zone("cloudflare", providers.DefaultCapabilities, "example.com", recs, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(skipped) != 4 {
		t.Fatalf("skipped %d records, want 4: %+v", len(skipped), skipped)
	}
	_, d := load(t, ZonePath("example.com"), out)
	o := reconcile.Observed{Zones: map[string]providers.Observation{"cloudflare:example.com": {Records: recs}}}
	if p := reconcile.Plan(d, o, reconcile.Policy{}); !p.Empty() || p.Summary.Unmanaged != 4 {
		t.Errorf("plan with the rules: %d changes, summary %+v; want none, 4 unmanaged", len(p.Changes), p.Summary)
	}
	d.Zones[0].Unmanaged = nil
	p := reconcile.Plan(d, o, reconcile.Policy{})
	var deleted []string
	for _, c := range p.Changes {
		if c.Action != providers.Delete {
			t.Errorf("unexpected %s %s", c.Action, c.Address)
			continue
		}
		deleted = append(deleted, c.Before.ID)
	}
	slices.Sort(deleted)
	if fmt.Sprint(deleted) != "[1 2 3 4]" {
		t.Errorf("without the rules the plan deletes %v, want [1 2 3 4]", deleted)
	}
}
