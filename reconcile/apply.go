package reconcile

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/lagrieta/itlag/providers"
)

// Outcome is what became of one change.
type Outcome struct {
	Change providers.Change `json:"change"`
	Err    error            `json:"-"`
	// Error is Err's text, for JSON.
	Error string `json:"error,omitempty"`
}

// Apply carries out p's changes: grouped per zone in plan order, each zone's
// changes in one provider.Apply call, zones one after the other; each
// registrar change (Change.Domain set) in one Registrar.SetDomain call. It refuses a
// blocked plan. It returns one Outcome per change, in plan order, and an
// error saying how many failed ("2 of 7 changes failed"), or nil. Once ctx is
// done, the zones not yet started fail with ctx's error.
func Apply(ctx context.Context, p *Planned, provs map[string]providers.Provider) ([]Outcome, error) {
	return ApplyReporting(ctx, p, provs, nil)
}

// ApplyReporting is Apply that calls applied, when not nil, after each
// batch (one zone's run of changes, or one registrar change) with the
// number of changes the batch carried out, done or failed; the calls add
// up to len(p.Changes) once every batch has run, and come from the
// calling goroutine. A refused plan makes no call.
func ApplyReporting(ctx context.Context, p *Planned, provs map[string]providers.Provider, applied func(n int)) ([]Outcome, error) {
	if p == nil {
		return nil, errors.New("apply: no plan")
	}
	if p.Blocked() {
		rules := make([]string, len(p.Refusals))
		for i, r := range p.Refusals {
			rules[i] = string(r.Rule) + " (" + r.Zone + ")"
		}
		return nil, fmt.Errorf("apply: plan refused by %s; rerun the plan with --allow for each rule once reviewed", strings.Join(rules, ", "))
	}
	outs := make([]Outcome, len(p.Changes))
	for i, c := range p.Changes {
		outs[i].Change = c
	}
	for start := 0; start < len(p.Changes); {
		end := start + 1
		c0 := p.Changes[start]
		for c0.Domain == nil && end < len(p.Changes) && p.Changes[end].Domain == nil &&
			(p.Changes[end].Resource == nil) == (c0.Resource == nil) &&
			p.Changes[end].Provider == c0.Provider && p.Changes[end].Zone == c0.Zone {
			end++
		}
		var errs []error
		switch {
		case c0.Domain != nil:
			errs = []error{applyDomain(ctx, c0, provs)}
		case c0.Resource != nil:
			errs = applyResources(ctx, c0.Provider, c0.Zone, p.Changes[start:end], provs)
		default:
			errs = applyZone(ctx, c0.Provider, c0.Zone, p.Changes[start:end], provs)
		}
		for i, err := range errs {
			outs[start+i].Err = err
		}
		if applied != nil {
			applied(end - start)
		}
		start = end
	}
	failed := 0
	for i := range outs {
		if outs[i].Err != nil {
			outs[i].Error = outs[i].Err.Error()
			failed++
		}
	}
	if failed > 0 {
		return outs, fmt.Errorf("%d of %d changes failed", failed, len(outs))
	}
	return outs, nil
}

// applyDomain sets one registration's changed settings at its registrar.
func applyDomain(ctx context.Context, c providers.Change, provs map[string]providers.Provider) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	reg, ok := provs[c.Provider].(providers.Registrar)
	if !ok {
		return fmt.Errorf("no registrar %q configured", c.Provider)
	}
	return reg.SetDomain(ctx, c.Zone, c.Domain.After)
}

// applyZone runs one zone's changes and returns exactly one error per change.
func applyZone(ctx context.Context, provider, zone string, changes []providers.Change, provs map[string]providers.Provider) []error {
	errs := make([]error, len(changes))
	fail := func(err error) []error {
		for i := range errs {
			errs[i] = err
		}
		return errs
	}
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	prov, ok := provs[provider]
	if !ok || prov == nil {
		return fail(fmt.Errorf("no provider %q configured", provider))
	}
	dns, err := providers.DNSOf(prov)
	if err != nil {
		return fail(err)
	}
	got := dns.Apply(ctx, zone, changes)
	if len(got) != len(changes) {
		return fail(fmt.Errorf("%s: zone %s: provider returned %d results for %d changes", provider, zone, len(got), len(changes)))
	}
	return got
}
