package reconcile

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/providers"
)

// observeConcurrency bounds how many zones are observed at once.
const observeConcurrency = 4

// Observed is what the providers reported, per zone key.
type Observed struct {
	Zones map[string]providers.Observation `json:"zones"`
	// Domains holds the registrations the registrars reported, by domain
	// key ("godaddy:lagrieta.es").
	Domains map[string]providers.Domain `json:"domains,omitempty"`
	// Resources holds what each resource set's provider saw, by set key
	// ("nas:office").
	Resources map[string]providers.ResourceObservation `json:"resources,omitempty"`
	// Findings are problems seen while observing that belong to no zone:
	// a registrar barring the account from its API, a domain missing from
	// the account.
	Findings []finding.Finding `json:"findings,omitempty"`
	// Skipped holds the zone and domain keys deliberately left unobserved
	// (the provider denied access), with the reason; Plan then works from
	// what the state declares.
	Skipped map[string]string `json:"skipped,omitempty"`
	// At is when the observation was made: expiry findings count days
	// from it. Zero means no expiry findings.
	At time.Time `json:"at,omitzero"`
	// Mailed are the dates the providers' mail told (the IT mailbox's
	// ledger): a dynamic-DNS host's confirmation deadline, a domain's
	// expiry. Expiries prefers them to declared dates.
	Mailed []MailedDate `json:"mailed,omitempty"`
}

// MailedDate is a date a provider's mail told about a declared thing.
type MailedDate struct {
	// Area is "ddns", "domain" or "subscription"; Target its name.
	Area   string    `json:"area"`
	Target string    `json:"target"`
	Date   time.Time `json:"date"`
	// Kind is the notice that told it ("noip.confirm-request"), received
	// at ReceivedAt.
	Kind       string    `json:"kind"`
	ReceivedAt time.Time `json:"received_at"`
}

// Observe asks each zone's provider what is live, up to four zones at a time.
// A zone whose provider is missing from provs, or lacks the DNS capability,
// is an error. Errors are wrapped
// "observe cloudflare:lagrieta.es: …" and all of them are returned, joined in
// zone order; zones that answered are in Observed either way.
//
// A provider that denies the account access (providers.ErrAccessDenied) is
// not an error: the zone or domain is listed in Skipped and one low finding
// per provider says so. Registrations are observed after the zones, one
// request each. o.At is set to now.
func Observe(ctx context.Context, d Desired, provs map[string]providers.Provider) (Observed, error) {
	return ObserveReporting(ctx, d, provs, nil)
}

// ObserveUnits is how many calls ObserveReporting makes to observed for d:
// one per zone, per resource set and per managed domain.
func ObserveUnits(d Desired) int {
	n := len(d.Zones) + len(d.Resources)
	for _, dom := range d.Domains {
		if dom.Managed() {
			n++
		}
	}
	return n
}

// ObserveReporting is Observe that calls observed, when not nil, once each
// zone, resource set and managed domain has been asked (answered, skipped or
// failed): ObserveUnits(d) calls in all, never two at once (zones are
// observed concurrently; the calls are serialized).
func ObserveReporting(ctx context.Context, d Desired, provs map[string]providers.Provider, observed func()) (Observed, error) {
	o := Observed{Zones: map[string]providers.Observation{}, Domains: map[string]providers.Domain{},
		Skipped: map[string]string{}, At: time.Now().UTC()}
	prepare(ctx, d, provs)
	errs := make([]error, len(d.Zones))
	var mu sync.Mutex
	var wg sync.WaitGroup
	tick := func() {
		if observed != nil {
			mu.Lock()
			observed()
			mu.Unlock()
		}
	}
	sem := make(chan struct{}, observeConcurrency)
	for i, z := range d.Zones {
		p, ok := provs[z.Provider]
		if !ok || p == nil {
			errs[i] = fmt.Errorf("observe %s: no provider %q configured", z.Key(), z.Provider)
			tick()
			continue
		}
		dns, err := providers.DNSOf(p)
		if err != nil {
			errs[i] = fmt.Errorf("observe %s: %w", z.Key(), err)
			tick()
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer tick()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				errs[i] = fmt.Errorf("observe %s: %w", z.Key(), ctx.Err())
				return
			}
			defer func() { <-sem }()
			obs, err := dns.Observe(ctx, z.Name)
			if errors.Is(err, providers.ErrAccessDenied) {
				mu.Lock()
				o.skip(z.Provider, z.Key(), err)
				mu.Unlock()
				return
			}
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
	errs = append(errs, observeResources(ctx, d, provs, &o, tick)...)
	errs = append(errs, observeDomains(ctx, d, provs, &o, tick)...)
	slices.SortFunc(o.Findings, compareFindings)
	return o, errors.Join(errs...)
}

// skip records that key was not observed because provider denied access,
// with one low finding per provider.
func (o *Observed) skip(provider, key string, err error) {
	o.Skipped[key] = err.Error()
	f := finding.New(finding.Low, provider, "access-denied",
		provider+" denied API access; using what the state declares, no changes planned there")
	f.Detail = err.Error()
	if !slices.ContainsFunc(o.Findings, func(x finding.Finding) bool { return x.Fingerprint == f.Fingerprint }) {
		o.Findings = append(o.Findings, f)
	}
}

// observeDomains asks each managed domain's registrar for it, calling
// tick after each.
func observeDomains(ctx context.Context, d Desired, provs map[string]providers.Provider, o *Observed, tick func()) []error {
	var errs []error
	for _, dom := range d.Domains {
		if !dom.Managed() {
			continue
		}
		if err := observeDomain(ctx, dom, provs, o); err != nil {
			errs = append(errs, err)
		}
		tick()
	}
	return errs
}

// observeDomain asks dom's registrar for it: an access denied or a domain
// not in the account is recorded in o, not returned.
func observeDomain(ctx context.Context, dom Domain, provs map[string]providers.Provider, o *Observed) error {
	reg, ok := provs[dom.Registrar].(providers.Registrar)
	if !ok {
		return fmt.Errorf("observe domain %s: no registrar %q configured", dom.Name, dom.Registrar)
	}
	got, err := reg.Domain(ctx, dom.Name)
	switch {
	case errors.Is(err, providers.ErrAccessDenied):
		o.skip(dom.Registrar, DomainAddress(dom.Registrar, dom.Name), err)
	case errors.Is(err, providers.ErrZoneNotFound):
		f := finding.New(finding.High, dom.Key(), "not-in-account",
			fmt.Sprintf("domain %s is not in the %s account; check the registrar in the state", dom.Name, dom.Registrar))
		f.Detail = err.Error()
		o.Findings = append(o.Findings, f)
	case err != nil:
		return fmt.Errorf("observe domain %s: %w", dom.Key(), err)
	default:
		o.Domains[dom.Key()] = got
	}
	return nil
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
	out := o
	out.Zones = make(map[string]providers.Observation, len(o.Zones))
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
