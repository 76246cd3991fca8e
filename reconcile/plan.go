package reconcile

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/providers"
)

// Refusal is a safety rule that blocks apply until the operator allows it.
type Refusal struct {
	Rule      Rule     `json:"rule"`
	Zone      string   `json:"zone"` // zone key
	Addresses []string `json:"addresses"`
	// Message says what and how to allow it: "… rerun with --allow mass-change".
	Message string `json:"message"`
}

// Summary counts records by what the plan does with them. Unmanaged counts
// live records the plan leaves alone: those an unmanaged rule covers and, in
// a zone with purge: false, those the state does not declare.
type Summary struct {
	Create    int `json:"create"`
	Update    int `json:"update"`
	Delete    int `json:"delete"`
	Unmanaged int `json:"unmanaged"`
	Unchanged int `json:"unchanged"`
}

// Planned is the result of Plan: the changes in apply order, what the
// providers noticed, and the safety rules that block apply.
type Planned struct {
	FormatVersion string             `json:"format_version"`
	Changes       []providers.Change `json:"changes"`
	Findings      []finding.Finding  `json:"findings"`
	// Refusals lists the rules that block apply; allowed rules are not listed.
	Refusals []Refusal `json:"refusals"`
	// Allowed lists the rules this plan breaks that the operator allowed
	// (--allow), so a reviewer sees them and a saved plan carries them.
	Allowed []Refusal `json:"allowed,omitempty"`
	Summary Summary   `json:"summary"`
	// Skipped lists the zones and domains that were not observed because
	// their provider denied access (sorted): the plan cannot speak for them.
	Skipped []string `json:"skipped,omitempty"`
	// Warnings say what a reviewer should know that is neither a change
	// nor a finding: an API endpoint that is not the provider's official
	// host, say. Plan leaves it empty; the caller adds them.
	Warnings []string `json:"warnings,omitempty"`
}

// Empty reports whether the plan has no changes.
func (p *Planned) Empty() bool { return len(p.Changes) == 0 }

// Blocked reports whether a safety rule refuses the plan.
func (p *Planned) Blocked() bool { return len(p.Refusals) > 0 }

// Plan diffs desired against observed. It is pure and deterministic: the
// same input (in any order) yields byte-identical JSON.
//
// Per zone and per (name, type): observed records an unmanaged rule covers
// are left alone unless a desired record has the same Key (desired wins).
// Desired and observed records with the same Key are unchanged, or an update
// when TTL, priority, proxied or comment differ. If exactly one desired and
// one observed record are then left, that is an update of the content;
// otherwise the rest are creates and (when the zone purges) deletes.
//
// Changes are ordered by zone key, then deletes, updates and creates, each
// sorted by address: the order Apply runs them in. A desired zone missing
// from observed gets no changes and a high finding (none when o.Skipped
// names it: a low finding from Observe already says why).
//
// After every zone come the resource changes (dynamic-DNS hosts, NAS files
// and blocks; see planResources), per set in key order, then the registrar changes, one per managed domain whose
// settings differ (see planDomain), each refused by RuleRegistrar unless
// allowed. When o.At is set, the expiry findings of every domain and
// subscription (Expiries) join the findings: Plan stays pure, counting days
// from the observation's time.
func Plan(d Desired, o Observed, p Policy) *Planned {
	out := &Planned{
		FormatVersion: FormatVersion,
		Changes:       []providers.Change{},
		Findings:      []finding.Finding{},
		Refusals:      []Refusal{},
	}
	zones := slices.Clone(d.Zones)
	slices.SortFunc(zones, func(a, b Zone) int { return cmp.Compare(a.Key(), b.Key()) })
	for _, z := range zones {
		obs, ok := o.Zones[z.Key()]
		if _, skipped := o.Skipped[z.Key()]; !ok && skipped {
			continue // a low finding in o.Findings says why
		}
		if !ok {
			out.Findings = append(out.Findings, finding.New(finding.High, z.Key(), "not-observed",
				"zone was not observed; no changes planned for it"))
			continue
		}
		zp := planZone(z, obs.Records)
		out.Changes = append(out.Changes, zp.changes...)
		out.Summary.add(zp.summary)
		refused, allowed := refusals(z, zp, p)
		out.Refusals = append(out.Refusals, refused...)
		out.Allowed = append(out.Allowed, allowed...)
	}
	planResources(d, o, out)
	for _, obs := range o.Resources {
		out.Findings = append(out.Findings, obs.Findings...)
	}
	for _, dom := range d.Domains {
		obs, ok := o.Domains[dom.Key()]
		if !dom.Managed() || !ok {
			continue
		}
		c := planDomain(dom, obs, d.Zones)
		if c == nil {
			continue
		}
		out.Changes = append(out.Changes, *c)
		out.Summary.Update++
		ref := Refusal{Rule: RuleRegistrar, Zone: dom.Key(), Addresses: []string{c.Address},
			Message: fmt.Sprintf("registrar change to %s (%s)", dom.Name, c.Reason)}
		if p.Allow[RuleRegistrar] {
			ref.Message += "; allowed with --allow registrar"
			out.Allowed = append(out.Allowed, ref)
		} else {
			ref.Message += "; rerun with --allow registrar"
			out.Refusals = append(out.Refusals, ref)
		}
	}
	for _, obs := range o.Zones {
		out.Findings = append(out.Findings, obs.Findings...)
	}
	out.Findings = append(out.Findings, o.Findings...)
	for k := range o.Skipped {
		out.Skipped = append(out.Skipped, k)
	}
	slices.Sort(out.Skipped)
	if !o.At.IsZero() {
		out.Findings = append(out.Findings, ExpiryFindings(Expiries(d, o))...)
	}
	slices.SortFunc(out.Findings, compareFindings)
	return out
}

func (s *Summary) add(o Summary) {
	s.Create += o.Create
	s.Update += o.Update
	s.Delete += o.Delete
	s.Unmanaged += o.Unmanaged
	s.Unchanged += o.Unchanged
}

func compareFindings(a, b finding.Finding) int {
	return cmp.Or(cmp.Compare(a.Severity.Rank(), b.Severity.Rank()), cmp.Compare(a.Source, b.Source),
		cmp.Compare(a.Fingerprint, b.Fingerprint), cmp.Compare(a.Summary, b.Summary), cmp.Compare(a.Detail, b.Detail))
}

// zonePlan is one zone's diff.
type zonePlan struct {
	changes []providers.Change
	summary Summary
	// managed counts observed records no unmanaged rule covers.
	managed int
}

// planZone diffs one zone: both sides, sorted by name and type, are walked
// together one (name, type) group at a time, in that order.
func planZone(z Zone, observed []providers.Record) zonePlan {
	var zp zonePlan
	desired := make([]providers.Record, len(z.Records))
	for i, r := range z.Records {
		r.Zone = z.Name
		desired[i] = r
	}
	sortRecords(desired)
	obs := make([]providers.Record, 0, len(observed))
	for _, r := range observed {
		r.Zone = z.Name
		if !hasKey(desired, r) && unmanaged(z, r) {
			zp.summary.Unmanaged++
			continue
		}
		zp.managed++
		obs = append(obs, r)
	}
	sortRecords(obs)
	for len(desired) > 0 || len(obs) > 0 {
		var k providers.Record // the group's name and type: the smaller side's first
		switch {
		case len(obs) == 0:
			k = desired[0]
		case len(desired) == 0:
			k = obs[0]
		case compareNameType(desired[0], obs[0]) <= 0:
			k = desired[0]
		default:
			k = obs[0]
		}
		nd := groupLen(desired, k)
		no := groupLen(obs, k)
		planGroup(z, desired[:nd:nd], obs[:no:no], &zp)
		desired, obs = desired[nd:], obs[no:]
	}
	slices.SortStableFunc(zp.changes, compareChanges)
	return zp
}

// sortRecords sorts rs by compareRecords. The desired side usually comes
// sorted already (DesiredFromState sorts it): checking costs a pass,
// sorting again costs moving the records around.
func sortRecords(rs []providers.Record) {
	if !slices.IsSortedFunc(rs, compareRecords) {
		slices.SortFunc(rs, compareRecords)
	}
}

// compareNameType orders records by name, then type.
func compareNameType(a, b providers.Record) int {
	return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.Type, b.Type))
}

// groupLen is how many records at the start of rs (sorted by name and
// type) share k's name and type.
func groupLen(rs []providers.Record, k providers.Record) int {
	n := 0
	for n < len(rs) && compareNameType(rs[n], k) == 0 {
		n++
	}
	return n
}

// hasKey reports whether rs (sorted by compareRecords) holds a record with
// r's key (name, type and content).
func hasKey(rs []providers.Record, r providers.Record) bool {
	_, found := slices.BinarySearchFunc(rs, r, func(a, b providers.Record) int {
		return cmp.Or(compareNameType(a, b), strings.Compare(a.Content, b.Content))
	})
	return found
}

func unmanaged(z Zone, r providers.Record) bool {
	for _, u := range z.Unmanaged {
		if u.Matches(r) {
			return true
		}
	}
	return false
}

// planGroup diffs the records of one (name, type), each side sorted by
// compareRecords.
func planGroup(z Zone, desired, observed []providers.Record, zp *zonePlan) {
	single := len(desired) <= 1 && len(observed) <= 1
	used := make([]bool, len(observed))
	var leftD []providers.Record
	// The group shares name and type, so a key differs by content only;
	// both sides are sorted by content: each desired record takes the
	// first unused observed record with its content, in one pass.
	j := 0
	for _, d := range desired {
		for j < len(observed) && observed[j].Content < d.Content {
			j++
		}
		if j == len(observed) || observed[j].Content != d.Content {
			leftD = append(leftD, d)
			continue
		}
		i := j
		j++
		used[i] = true
		if d.SameAttrs(observed[i]) {
			zp.summary.Unchanged++
			continue
		}
		zp.add(z, providers.Update, &observed[i], &d, single)
	}
	var leftO []providers.Record
	for i, o := range observed {
		if !used[i] {
			leftO = append(leftO, o)
		}
	}
	if len(leftD) == 1 && len(leftO) == 1 {
		zp.add(z, providers.Update, &leftO[0], &leftD[0], single)
		return
	}
	for i := range leftO {
		if !z.Purge {
			zp.summary.Unmanaged++
			continue
		}
		zp.add(z, providers.Delete, &leftO[i], nil, single)
	}
	for i := range leftD {
		zp.add(z, providers.Create, nil, &leftD[i], single)
	}
}

func (zp *zonePlan) add(z Zone, a providers.Action, before, after *providers.Record, single bool) {
	c := providers.Change{Action: a, Provider: z.Provider, Zone: z.Name}
	var r providers.Record
	if before != nil {
		b := *before
		c.Before = &b
		r = b
	}
	if after != nil {
		af := *after
		c.After = &af
		r = af
	}
	c.Address = Address(z.Provider, z.Name, r, single)
	c.Reason = Reason(c)
	switch a {
	case providers.Create:
		zp.summary.Create++
	case providers.Update:
		zp.summary.Update++
	case providers.Delete:
		zp.summary.Delete++
	}
	zp.changes = append(zp.changes, c)
}

var actionRank = map[providers.Action]int{providers.Delete: 0, providers.Update: 1, providers.Create: 2}

// compareChanges orders one zone's changes: deletes, updates, creates, each
// by address (then by the record's ID, for identical duplicates).
func compareChanges(a, b providers.Change) int {
	return cmp.Or(cmp.Compare(actionRank[a.Action], actionRank[b.Action]), cmp.Compare(a.Address, b.Address),
		cmp.Compare(changeID(a), changeID(b)))
}

func changeID(c providers.Change) string {
	if c.Before != nil {
		return c.Before.ID
	}
	return ""
}
