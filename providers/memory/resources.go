package memory

import (
	"context"
	"fmt"
	"maps"

	"github.com/lagrieta/itlag/providers"
)

var _ providers.ResourceProvider = (*Provider)(nil)

// resKey names a resource inside a target.
func resKey(kind, name string) string { return kind + "\x00" + name }

// PutResource stores a live resource on target, bypassing ApplyResources.
func (p *Provider) PutResource(target string, r providers.Resource) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.putResource(target, r)
}

func (p *Provider) putResource(target string, r providers.Resource) {
	if p.resources == nil {
		p.resources = map[string]map[string]providers.Resource{}
	}
	if p.resources[target] == nil {
		p.resources[target] = map[string]providers.Resource{}
	}
	p.resources[target][resKey(r.Kind, r.Name)] = r.Clone()
}

// Resource returns the live resource, and whether it exists.
func (p *Provider) Resource(target, kind, name string) (providers.Resource, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r, ok := p.resources[target][resKey(kind, name)]
	return r.Clone(), ok
}

// SetWant makes ObserveResources report want as the content every
// resource of kind on target must have (a public address).
func (p *Provider) SetWant(target, kind, want string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.wants == nil {
		p.wants = map[string]string{}
	}
	p.wants[target+"\x00"+kind] = want
}

// Hold makes ObserveResources report the named resource as held.
func (p *Provider) Hold(target, kind, name, why string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.holds == nil {
		p.holds = map[string]string{}
	}
	p.holds[target+"\x00"+resKey(kind, name)] = why
}

// FailTarget makes ObserveResources on target fail with err (nil clears).
func (p *Provider) FailTarget(target string, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.targetErr == nil {
		p.targetErr = map[string]error{}
	}
	p.targetErr[target] = err
}

// ObserveResources reports each wanted resource as stored.
func (p *Provider) ObserveResources(ctx context.Context, target string, want []providers.Resource) (providers.ResourceObservation, error) {
	if err := ctx.Err(); err != nil {
		return providers.ResourceObservation{}, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.targetErr[target]; err != nil {
		return providers.ResourceObservation{}, fmt.Errorf("%s: %s: %w", p.name, target, err)
	}
	obs := providers.ResourceObservation{States: make([]providers.ResourceState, len(want))}
	for i, w := range want {
		st := providers.ResourceState{Live: providers.Resource{Kind: w.Kind, Name: w.Name}}
		if r, ok := p.resources[target][resKey(w.Kind, w.Name)]; ok {
			st.Live = r.Clone()
			st.Live.Attrs = maps.Clone(r.Attrs)
		} else {
			st.Missing = true
		}
		if v, ok := p.wants[target+"\x00"+w.Kind]; ok && w.Content == "" {
			st.Want = &v
		}
		st.Held = p.holds[target+"\x00"+resKey(w.Kind, w.Name)]
		obs.States[i] = st
	}
	return obs, nil
}

// ApplyResources stores each change's After (deletes remove).
func (p *Provider) ApplyResources(ctx context.Context, target string, changes []providers.Change) []error {
	errs := make([]error, len(changes))
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, c := range changes {
		switch {
		case ctx.Err() != nil:
			errs[i] = ctx.Err()
		case c.Resource == nil:
			errs[i] = fmt.Errorf("%s: %s: not a resource change", p.name, c.Address)
		case p.failOn != nil && p.failOn(c) != nil:
			errs[i] = p.failOn(c)
		case c.Action == providers.Delete:
			delete(p.resources[target], resKey(c.Resource.Before.Kind, c.Resource.Before.Name))
			p.applied++
		default:
			p.putResource(target, *c.Resource.After)
			p.applied++
		}
	}
	return errs
}
