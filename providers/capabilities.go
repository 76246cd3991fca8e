package providers

import "fmt"

// Capabilities say what the records of a DNS provider can hold. The engine
// fits desired records to them (Fit) before diffing, so that a value the
// provider cannot store never shows up as a change on every plan.
type Capabilities struct {
	// Proxy: records can be proxied (Cloudflare).
	Proxy bool
	// Comments: records carry a comment the provider keeps.
	Comments bool
	// AutoTTL is the TTL the provider gives a record written with ttl
	// auto; 0 when it keeps "auto" as such (Cloudflare's 1).
	AutoTTL int
	// MinTTL is the smallest TTL the provider accepts (0: no minimum).
	MinTTL int
}

// DefaultCapabilities are those of a provider a CapabilityTable does not
// list (tests' in-memory providers): the richest, Cloudflare's.
var DefaultCapabilities = Capabilities{Proxy: true, Comments: true, MinTTL: 60}

// CapabilityTable holds the capabilities of DNS providers by name
// (registry.Capabilities lists every provider's).
type CapabilityTable map[string]Capabilities

// Of returns the named provider's capabilities; a name t does not list
// gets DefaultCapabilities.
func (t CapabilityTable) Of(provider string) Capabilities {
	if c, ok := t[provider]; ok {
		return c
	}
	return DefaultCapabilities
}

// Fit returns r as the provider stores it: comments dropped where the
// provider has none, ttl auto replaced by the provider's default. A value
// the provider refuses (proxied, a TTL under its minimum) is an error that
// says so.
func (c Capabilities) Fit(provider string, r Record) (Record, error) {
	if r.Proxied && !c.Proxy {
		return r, fmt.Errorf("proxied is not supported by %s, want proxied: false", provider)
	}
	if !c.Comments {
		r.Comment = ""
	}
	if r.TTL == AutoTTL && c.AutoTTL != 0 {
		r.TTL = c.AutoTTL
	}
	if r.TTL != AutoTTL && r.TTL < c.MinTTL {
		return r, fmt.Errorf("ttl %d is below %s's minimum of %d seconds", r.TTL, provider, c.MinTTL)
	}
	return r, nil
}
