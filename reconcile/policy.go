package reconcile

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lagrieta/itlag/schema"
)

// Rule names a safety rule that can block a plan.
type Rule string

// The safety rules.
const (
	// RuleMassChange: updates+deletes above MaxChangePercent of a zone that
	// has at least MinZoneRecords managed, observed records.
	RuleMassChange Rule = "mass-change"
	// RuleApexNS: any change to an NS record at "@".
	RuleApexNS Rule = "apex-ns"
	// RuleProtected: any change to a protected record (record flag, or a
	// policy glob on "zone/name/TYPE").
	RuleProtected Rule = "protected"
	// RuleRegistrar: any change at a registrar (auto-renew, lock,
	// nameservers), always.
	RuleRegistrar Rule = "registrar"
)

// Rules lists every rule, in the order refusals are reported.
var Rules = []Rule{RuleMassChange, RuleApexNS, RuleProtected, RuleRegistrar}

// Defaults used when the policy leaves a threshold at zero.
const (
	DefaultMaxChangePercent = 30
	DefaultMinZoneRecords   = 10
)

// Policy holds the safety rules Plan enforces. A zero MaxChangePercent or
// MinZoneRecords means its default.
type Policy struct {
	MaxChangePercent int
	MinZoneRecords   int
	// Protected holds path.Match globs on "zone/name/TYPE" (zone canonical
	// ASCII).
	Protected []string
	// Allow holds the rules the operator allowed (--allow).
	Allow map[Rule]bool
}

// PolicyFromState turns the state's policy into a Policy, filling the
// defaults (30%, 10 records) where a threshold is zero. Nothing is allowed.
func PolicyFromState(p schema.Policy) Policy {
	out := Policy{MaxChangePercent: p.MaxChangePercent, MinZoneRecords: p.MinZoneRecords}
	if out.MaxChangePercent == 0 {
		out.MaxChangePercent = DefaultMaxChangePercent
	}
	if out.MinZoneRecords == 0 {
		out.MinZoneRecords = DefaultMinZoneRecords
	}
	out.Protected = append([]string(nil), p.Protected...)
	return out
}

// ParseAllow parses --allow values; each may hold several rules separated by
// commas ("mass-change,apex-ns"). An unknown rule is an error that lists the
// known ones.
func ParseAllow(vals []string) (map[Rule]bool, error) {
	allow := map[Rule]bool{}
	for _, v := range vals {
		for _, f := range strings.Split(v, ",") {
			f = strings.TrimSpace(f)
			if f == "" {
				continue
			}
			if !slices.Contains(Rules, Rule(f)) {
				known := make([]string, len(Rules))
				for i, r := range Rules {
					known[i] = string(r)
				}
				return nil, fmt.Errorf("--allow %s: unknown rule (known: %s)", f, strings.Join(known, ", "))
			}
			allow[Rule(f)] = true
		}
	}
	return allow, nil
}
