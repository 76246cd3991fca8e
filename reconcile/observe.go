package reconcile

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/lagrieta/itlag/providers"
)

// observeConcurrency bounds how many zones are observed at once.
const observeConcurrency = 4

// Observed is what the providers reported, per zone key.
type Observed struct {
	Zones map[string]providers.Observation `json:"zones"`
}

// Observe asks each zone's provider what is live, up to four zones at a time.
// A zone whose provider is missing from provs is an error. Errors are wrapped
// "observe cloudflare:lagrieta.es: …" and all of them are returned, joined in
// zone order; zones that answered are in Observed either way.
func Observe(ctx context.Context, d Desired, provs map[string]providers.Provider) (Observed, error) {
	o := Observed{Zones: map[string]providers.Observation{}}
	prepare(ctx, d, provs)
	errs := make([]error, len(d.Zones))
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, observeConcurrency)
	for i, z := range d.Zones {
		p, ok := provs[z.Provider]
		if !ok || p == nil {
			errs[i] = fmt.Errorf("observe %s: no provider %q configured", z.Key(), z.Provider)
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				errs[i] = fmt.Errorf("observe %s: %w", z.Key(), ctx.Err())
				return
			}
			defer func() { <-sem }()
			obs, err := p.Observe(ctx, z.Name)
			if err != nil {
				errs[i] = fmt.Errorf("observe %s: %w", z.Key(), err)
				return
			}
			mu.Lock()
			o.Zones[z.Key()] = obs
			mu.Unlock()
		}()
	}
	wg.Wait()
	return o, errors.Join(errs...)
}

// prepare names each Preparer's zones to it before they are observed.
func prepare(ctx context.Context, d Desired, provs map[string]providers.Provider) {
	byProvider := map[string][]string{}
	for _, z := range d.Zones {
		byProvider[z.Provider] = append(byProvider[z.Provider], z.Name)
	}
	for name, zones := range byProvider {
		if p, ok := provs[name].(providers.Preparer); ok {
			p.Prepare(ctx, zones)
		}
	}
}

// Managed returns o without the records that d's unmanaged rules cover and
// d does not declare: the records no plan ever touches.
func Managed(d Desired, o Observed) Observed {
	out := Observed{Zones: make(map[string]providers.Observation, len(o.Zones))}
	byKey := make(map[string]Zone, len(d.Zones))
	for _, z := range d.Zones {
		byKey[z.Key()] = z
	}
	for zk, obs := range o.Zones {
		z, ok := byKey[zk]
		if !ok || len(z.Unmanaged) == 0 {
			out.Zones[zk] = obs
			continue
		}
		declared := make(map[string]bool, len(z.Records))
		for _, r := range z.Records {
			declared[r.Key()] = true
		}
		kept := providers.Observation{Findings: obs.Findings, Records: make([]providers.Record, 0, len(obs.Records))}
		for _, r := range obs.Records {
			if declared[r.Key()] || !unmanaged(z, r) {
				kept.Records = append(kept.Records, r)
			}
		}
		out.Zones[zk] = kept
	}
	return out
}
