package memory

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/lagrieta/itlag/providers"
)

var _ providers.Registrar = (*Provider)(nil)

// AddDomain stores a registration (replacing one of the same name).
func (p *Provider) AddDomain(d providers.Domain) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.domains == nil {
		p.domains = map[string]providers.Domain{}
	}
	d.NameServers = slices.Clone(d.NameServers)
	p.domains[d.Name] = d
}

// DenyAccess makes every registrar call and every Observe fail with an
// error wrapping providers.ErrAccessDenied, like GoDaddy to small accounts.
func (p *Provider) DenyAccess(deny bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.denied = deny
}

// Domain returns the registration called name.
func (p *Provider) Domain(ctx context.Context, name string) (providers.Domain, error) {
	if err := ctx.Err(); err != nil {
		return providers.Domain{}, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.denied {
		return providers.Domain{}, fmt.Errorf("%s: domain %s: %w", p.name, name, providers.ErrAccessDenied)
	}
	d, ok := p.domains[name]
	if !ok {
		return providers.Domain{}, fmt.Errorf("%s: domain %s: %w", p.name, name, providers.ErrZoneNotFound)
	}
	d.NameServers = slices.Clone(d.NameServers)
	return d, nil
}

// Domains lists every registration, sorted by name.
func (p *Provider) Domains(ctx context.Context) ([]providers.Domain, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.denied {
		return nil, fmt.Errorf("%s: list domains: %w", p.name, providers.ErrAccessDenied)
	}
	out := slices.Collect(maps.Values(p.domains))
	slices.SortFunc(out, func(a, b providers.Domain) int { return cmp.Compare(a.Name, b.Name) })
	return out, nil
}

// SetDomain applies the fields s sets.
func (p *Provider) SetDomain(ctx context.Context, name string, s providers.DomainSettings) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.denied {
		return fmt.Errorf("%s: domain %s: %w", p.name, name, providers.ErrAccessDenied)
	}
	d, ok := p.domains[name]
	if !ok {
		return fmt.Errorf("%s: domain %s: %w", p.name, name, providers.ErrZoneNotFound)
	}
	if s.RenewAuto != nil {
		d.RenewAuto = *s.RenewAuto
	}
	if s.Locked != nil {
		d.Locked = *s.Locked
	}
	if s.NameServers != nil {
		d.NameServers = slices.Clone(s.NameServers)
	}
	p.domains[d.Name] = d
	p.applied++
	return nil
}
