package sandbox

import (
	"context"
	"fmt"

	"github.com/lagrieta/itlag/providers/registry"
)

// EnsureZone creates zone at the named provider's fake with a few sample
// records when the fake does not hold it yet, so that import has something
// to read in a fresh sandbox.
func (s *Sandbox) EnsureZone(ctx context.Context, provider, zone string) error {
	f, ok := s.fakes[provider].(registry.ZoneSampler)
	if !ok {
		return fmt.Errorf("sandbox: no fake for provider %q", provider)
	}
	if err := f.SampleZone(ctx, zone); err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	return nil
}

// EnsureDomains registers the named domains at the named registrar's fake
// (a year from expiry, auto-renew on) when it does not hold them; with no
// names and an empty account, it registers one sample domain, example.org.
func (s *Sandbox) EnsureDomains(ctx context.Context, provider string, names []string) error {
	f, ok := s.fakes[provider].(registry.DomainSampler)
	if !ok {
		return fmt.Errorf("sandbox: no registrar fake for provider %q", provider)
	}
	f.SampleDomains(ctx, names)
	return nil
}
