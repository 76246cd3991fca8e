package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/providers"
)

var _ providers.DNS = (*Provider)(nil)

// Provider keeps zones in memory. It is safe for concurrent use.
type Provider struct {
	name string

	mu       sync.Mutex
	zones    map[string]map[string]providers.Record // zone → ID → record
	findings map[string][]finding.Finding
	nextID   int
	failOn   func(providers.Change) error
	applied  int
	domains  map[string]providers.Domain
	denied   bool

	resources map[string]map[string]providers.Resource // target → kind+name → resource
	wants     map[string]string
	holds     map[string]string
	targetErr map[string]error
}

// New returns an empty provider that calls itself name.
func New(name string) *Provider {
	return &Provider{name: name, zones: map[string]map[string]providers.Record{}, findings: map[string][]finding.Finding{}}
}

// Name returns the name given to New.
func (p *Provider) Name() string { return p.name }

// AddZone creates empty zones (existing ones are left as they are). Names
// must be canonical.
func (p *Provider) AddZone(zones ...string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, z := range zones {
		if p.zones[z] == nil {
			p.zones[z] = map[string]providers.Record{}
		}
	}
}

// Put stores records directly, bypassing Apply, creating their zones as
// needed. A record without an ID gets one; one with an ID replaces the
// record with that ID. Records should be canonical (providers.Normalize).
func (p *Provider) Put(recs ...providers.Record) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, r := range recs {
		if p.zones[r.Zone] == nil {
			p.zones[r.Zone] = map[string]providers.Record{}
		}
		if r.ID == "" {
			r.ID = p.newID()
		}
		p.zones[r.Zone][r.ID] = r
	}
}

// AddFinding makes Observe of zone report f.
func (p *Provider) AddFinding(zone string, f finding.Finding) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.findings[zone] = append(p.findings[zone], f)
}

// Records returns zone's records sorted by name, type, content and ID.
func (p *Provider) Records(zone string) []providers.Record {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.records(zone)
}

// FailOn makes Apply call fn before each change and fail the change with
// fn's error when it is not nil (the change is then not made). nil removes
// the hook.
func (p *Provider) FailOn(fn func(providers.Change) error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.failOn = fn
}

// Applied counts the changes Apply has made so far.
func (p *Provider) Applied() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.applied
}

// Observe returns zone's records; a zone never added wraps
// providers.ErrZoneNotFound.
func (p *Provider) Observe(ctx context.Context, zone string) (providers.Observation, error) {
	if err := ctx.Err(); err != nil {
		return providers.Observation{}, fmt.Errorf("%s: zone %s: %w", p.name, zone, err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.denied {
		return providers.Observation{}, fmt.Errorf("%s: zone %s: %w", p.name, zone, providers.ErrAccessDenied)
	}
	if p.zones[zone] == nil {
		return providers.Observation{}, fmt.Errorf("%s: zone %s: %w", p.name, zone, providers.ErrZoneNotFound)
	}
	return providers.Observation{Records: p.records(zone), Findings: slices.Clone(p.findings[zone])}, nil
}

// Apply makes changes one by one and returns one error per change.
func (p *Provider) Apply(ctx context.Context, zone string, changes []providers.Change) []error {
	p.mu.Lock()
	defer p.mu.Unlock()
	errs := make([]error, len(changes))
	for i, c := range changes {
		if err := ctx.Err(); err != nil {
			errs[i] = err
			continue
		}
		if err := p.apply(zone, c); err != nil {
			errs[i] = fmt.Errorf("%s: zone %s: %s %s: %w", p.name, zone, c.Action, c.Address, err)
			continue
		}
		p.applied++
	}
	return errs
}

func (p *Provider) apply(zone string, c providers.Change) error {
	recs := p.zones[zone]
	if recs == nil {
		return providers.ErrZoneNotFound
	}
	if c.Zone != "" && c.Zone != zone {
		return fmt.Errorf("change is for zone %s", c.Zone)
	}
	if p.failOn != nil {
		if err := p.failOn(c); err != nil {
			return err
		}
	}
	switch c.Action {
	case providers.Create:
		if c.After == nil {
			return fmt.Errorf("create without a record")
		}
		r := *c.After
		r.Zone, r.ID = zone, p.newID()
		recs[r.ID] = r
	case providers.Update:
		if c.Before == nil || c.After == nil {
			return fmt.Errorf("update needs before and after")
		}
		if _, ok := recs[c.Before.ID]; !ok {
			return fmt.Errorf("record %q not found", c.Before.ID)
		}
		r := *c.After
		r.Zone, r.ID = zone, c.Before.ID
		recs[r.ID] = r
	case providers.Delete:
		if c.Before == nil {
			return fmt.Errorf("delete without a record")
		}
		if _, ok := recs[c.Before.ID]; !ok {
			return fmt.Errorf("record %q not found", c.Before.ID)
		}
		delete(recs, c.Before.ID)
	default:
		return fmt.Errorf("unknown action %q", c.Action)
	}
	return nil
}

func (p *Provider) newID() string {
	p.nextID++
	return "m" + strconv.Itoa(p.nextID)
}

func (p *Provider) records(zone string) []providers.Record {
	out := make([]providers.Record, 0, len(p.zones[zone]))
	for _, r := range p.zones[zone] {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b providers.Record) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Type, b.Type),
			cmp.Compare(a.Content, b.Content), cmp.Compare(a.ID, b.ID))
	})
	return out
}
