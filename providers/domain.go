package providers

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"
)

// ErrAccessDenied is wrapped by a provider's errors when the account is not
// allowed to use an API at all (GoDaddy answers 403 ACCESS_DENIED to
// accounts with fewer than 10 domains). The engine then keeps going with
// what the state declares and raises a low finding instead of failing.
var ErrAccessDenied = errors.New("access denied")

// Domain is one registration as the registrar reports it.
type Domain struct {
	// Name is ASCII (punycode), lowercase, no trailing dot.
	Name string `json:"name"`
	// Status is the registrar's word: ACTIVE, EXPIRED, PENDING_TRANSFER…
	Status string `json:"status,omitempty"`
	// Expires is when the registration lapses (zero when unknown).
	Expires time.Time `json:"expires"`
	// RenewDeadline is the last moment a renewal is accepted, when known.
	RenewDeadline       time.Time `json:"renew_deadline,omitzero"`
	RenewAuto           bool      `json:"renew_auto"`
	Locked              bool      `json:"locked"`
	Privacy             bool      `json:"privacy"`
	ExpirationProtected bool      `json:"expiration_protected"`
	// NameServers are canonical host names (NormalizeHost), sorted.
	NameServers []string `json:"nameservers"`
}

// Settings returns the part of d that itlag can change.
func (d Domain) Settings() DomainSettings {
	ra, l := d.RenewAuto, d.Locked
	return DomainSettings{RenewAuto: &ra, Locked: &l, NameServers: slices.Clone(d.NameServers)}
}

// DomainSettings are the registrar settings itlag manages. A nil field (or
// nil NameServers) is "not managed / not changed".
type DomainSettings struct {
	RenewAuto   *bool    `json:"renew_auto,omitempty"`
	Locked      *bool    `json:"locked,omitempty"`
	NameServers []string `json:"nameservers,omitempty"`
}

// Empty reports whether s sets nothing.
func (s DomainSettings) Empty() bool {
	return s.RenewAuto == nil && s.Locked == nil && s.NameServers == nil
}

// DomainChange is a change of registrar settings: Before holds the observed
// value of each field that changes, After the desired one. Only changed
// fields are set on either side.
type DomainChange struct {
	Before DomainSettings `json:"before"`
	After  DomainSettings `json:"after"`
}

// Registrar is an optional extra of a Provider that holds domain
// registrations (GoDaddy). Like a Provider it never diffs.
type Registrar interface {
	// Domain returns one registration. A domain the account does not hold
	// is an error wrapping ErrZoneNotFound; an account barred from the API
	// an error wrapping ErrAccessDenied.
	Domain(ctx context.Context, name string) (Domain, error)

	// Domains lists every registration of the account, page by page.
	Domains(ctx context.Context) ([]Domain, error)

	// SetDomain changes the registrar settings s sets (nil fields are left
	// as they are) in one request. It never renews (pays for) anything.
	SetDomain(ctx context.Context, name string, s DomainSettings) error
}

// NameServerHost says which DNS provider a nameserver belongs to, from its
// name: "cloudflare" (*.ns.cloudflare.com), "godaddy" (*.domaincontrol.com)
// or "other".
func NameServerHost(ns string) string {
	ns = strings.TrimSuffix(strings.ToLower(ns), ".")
	switch {
	case strings.HasSuffix(ns, ".ns.cloudflare.com"):
		return "cloudflare"
	case strings.HasSuffix(ns, ".domaincontrol.com"):
		return "godaddy"
	}
	return "other"
}
