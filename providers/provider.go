package providers

import (
	"context"
	"errors"

	"github.com/lagrieta/itlag/finding"
)

// ErrZoneNotFound is wrapped by Observe when a zone does not exist at the provider.
var ErrZoneNotFound = errors.New("zone not found")

// Provider is what every provider has: a name. What it can do beyond that
// (host DNS zones, hold domain registrations, manage resources) are
// optional capabilities found by type assertion: DNS, Registrar,
// ResourceProvider, Preparer. A provider implements only the capabilities it
// has, never a method that always fails.
//
// A Provider never diffs: it reports what is there and carries out the
// changes the engine planned.
type Provider interface {
	// Name is the provider's name as used in addresses and in the state
	// ("cloudflare"). It is constant.
	Name() string
}

// DNS is an optional capability of a Provider that hosts DNS zones
// (Cloudflare, GoDaddy).
type DNS interface {
	Provider

	// Observe returns every live record of zone (ASCII, lowercase, no
	// trailing dot), normalised with Normalize, with records the provider
	// itself manages (SOA, apex NS) left out. It is read-only and makes one
	// list request per page of records, never one per record. A missing zone
	// is an error wrapping ErrZoneNotFound. Findings are problems seen while
	// observing that are not a diff.
	Observe(ctx context.Context, zone string) (Observation, error)

	// Apply carries out changes, all in zone, and returns exactly one error
	// per change, in the same order (nil: that change is done). Creates carry
	// After, deletes carry Before (with the provider's ID), updates carry
	// both. Apply batches where the API allows and is safe to call again
	// after a partial failure with the changes still left.
	Apply(ctx context.Context, zone string, changes []Change) []error
}

// ErrNoDNS is wrapped when a zone names a provider that does not host DNS
// zones (it lacks the DNS capability).
var ErrNoDNS = errors.New("does not host DNS zones")

// DNSOf returns p's DNS capability, or an error wrapping ErrNoDNS
// ("provider noip does not host DNS zones").
func DNSOf(p Provider) (DNS, error) {
	d, ok := p.(DNS)
	if !ok {
		return nil, &noDNSError{name: p.Name()}
	}
	return d, nil
}

type noDNSError struct{ name string }

func (e *noDNSError) Error() string { return "provider " + e.name + " " + ErrNoDNS.Error() }
func (e *noDNSError) Unwrap() error { return ErrNoDNS }

// Observation is what Observe saw in one zone.
type Observation struct {
	Records  []Record          `json:"records"`
	Findings []finding.Finding `json:"findings,omitempty"`
}

// Preparer is an optional extra a DNS provider may implement: before the
// engine observes several zones, it names them all at once, so the provider
// can look them up in fewer requests (Cloudflare: one zone list page instead
// of one look-up per zone). It is best effort: a provider that cannot
// prepare finds each zone when observing it.
type Preparer interface {
	Prepare(ctx context.Context, zones []string)
}
