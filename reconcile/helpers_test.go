package reconcile

import (
	"fmt"
	"strings"

	"github.com/lagrieta/itlag/providers"
)

const tz = "example.com"

type opt func(*providers.Record)

func ttl(n int) opt        { return func(r *providers.Record) { r.TTL = n } }
func prio(n int) opt       { return func(r *providers.Record) { r.Priority = n } }
func proxied() opt         { return func(r *providers.Record) { r.Proxied = true } }
func comment(s string) opt { return func(r *providers.Record) { r.Comment = s } }
func id(s string) opt      { return func(r *providers.Record) { r.ID = s } }
func inZone(z string) opt  { return func(r *providers.Record) { r.Zone = z } }
func rec(name, typ, content string, opts ...opt) providers.Record {
	r := providers.Record{Zone: tz, Name: name, Type: typ, Content: content, TTL: providers.AutoTTL}
	for _, o := range opts {
		o(&r)
	}
	return r
}

// withIDs gives observed records IDs ("o1", "o2", …) where they have none.
func withIDs(recs ...providers.Record) []providers.Record {
	out := make([]providers.Record, len(recs))
	for i, r := range recs {
		if r.ID == "" {
			r.ID = fmt.Sprintf("o%d", i+1)
		}
		out[i] = r
	}
	return out
}

func zone(purge bool, recs ...providers.Record) Zone {
	return Zone{Provider: "cf", Name: tz, Purge: purge, Records: recs}
}

func observed(zoneKey string, recs ...providers.Record) Observed {
	return Observed{Zones: map[string]providers.Observation{zoneKey: {Records: withIDs(recs...)}}}
}

// lines renders changes as "action address: reason".
func lines(cs []providers.Change) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%s %s: %s", c.Action, c.Address, c.Reason))
	}
	return out
}

func nrecs(n int, typ string) []providers.Record {
	var out []providers.Record
	for i := range n {
		out = append(out, rec(fmt.Sprintf("h%02d", i), typ, fmt.Sprintf("10.0.0.%d", i+1)))
	}
	return out
}

func join(ss []string) string { return strings.Join(ss, "\n") }
