package reconcile

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/lagrieta/itlag/providers"
)

// refusals applies the safety rules to one zone's changes: the rules broken
// and not allowed, then those broken and allowed by p, each in the order of
// Rules. A zero threshold means its default (30%, 10 records).
func refusals(z Zone, zp zonePlan, p Policy) (refused, allowed []Refusal) {
	add := func(r Rule, addrs []string, msg string) {
		if len(addrs) == 0 {
			return
		}
		slices.Sort(addrs)
		ref := Refusal{Rule: r, Zone: z.Key(), Addresses: addrs}
		if p.Allow[r] {
			ref.Message = msg + "; allowed with --allow " + string(r)
			allowed = append(allowed, ref)
			return
		}
		ref.Message = msg + "; rerun with --allow " + string(r)
		refused = append(refused, ref)
	}

	maxPct, minRecs := p.MaxChangePercent, p.MinZoneRecords
	if maxPct == 0 {
		maxPct = DefaultMaxChangePercent
	}
	if minRecs == 0 {
		minRecs = DefaultMinZoneRecords
	}
	var mass, apex, prot []string
	for _, c := range zp.changes {
		if c.Action != providers.Create {
			mass = append(mass, c.Address)
		}
		if isApexNS(c) {
			apex = append(apex, c.Address)
		}
		if protected(z, c, p) {
			prot = append(prot, c.Address)
		}
	}
	if zp.managed == 0 || zp.managed < minRecs || len(mass)*100 <= maxPct*zp.managed {
		mass = nil
	}
	add(RuleMassChange, mass, fmt.Sprintf("%d of %d records in %s would be updated or deleted (%d%%, more than %d%%)",
		len(mass), zp.managed, z.Key(), len(mass)*100/max(zp.managed, 1), maxPct))
	add(RuleApexNS, apex, fmt.Sprintf("%s to apex NS records of %s", changes(len(apex)), z.Key()))
	add(RuleProtected, prot, fmt.Sprintf("%s to protected records of %s", changes(len(prot)), z.Key()))
	return refused, allowed
}

func isApexNS(c providers.Change) bool {
	for _, r := range []*providers.Record{c.Before, c.After} {
		if r != nil && r.Name == "@" && r.Type == "NS" {
			return true
		}
	}
	return false
}

// protected reports whether c touches a record marked protected in the state
// or matched by one of the policy's "zone/name/TYPE" globs.
func protected(z Zone, c providers.Change, p Policy) bool {
	for _, r := range []*providers.Record{c.Before, c.After} {
		if r == nil {
			continue
		}
		if z.Protected[r.Key()] {
			return true
		}
		id := z.Name + "/" + r.Name + "/" + r.Type
		for _, g := range p.Protected {
			if ok, err := path.Match(g, id); err == nil && ok {
				return true
			}
		}
	}
	return false
}

func changes(n int) string {
	if n == 1 {
		return "1 change"
	}
	return fmt.Sprintf("%d changes", n)
}

// Waive moves the refusals whose rule ok accepts from p.Refusals into
// p.Allowed, their message ending with why ("approved in
// approvals/<checksum>.yaml") instead of how to allow them.
func (p *Planned) Waive(ok func(Rule) bool, why string) {
	kept := p.Refusals[:0:0]
	for _, r := range p.Refusals {
		if !ok(r.Rule) {
			kept = append(kept, r)
			continue
		}
		if i := strings.LastIndex(r.Message, "; rerun with --allow"); i >= 0 {
			r.Message = r.Message[:i]
		}
		r.Message += "; " + why
		p.Allowed = append(p.Allowed, r)
	}
	p.Refusals = kept
}
