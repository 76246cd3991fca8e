package godaddy

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/lagrieta/itlag/providers"
)

// wDomain is a domain as GET /v1/domains and GET /v1/domains/{domain}
// return it (the fields itlag reads).
type wDomain struct {
	Domain              string   `json:"domain"`
	Status              string   `json:"status"`
	Expires             string   `json:"expires"`
	RenewDeadline       string   `json:"renewDeadline"`
	RenewAuto           bool     `json:"renewAuto"`
	Locked              bool     `json:"locked"`
	Privacy             bool     `json:"privacy"`
	ExpirationProtected bool     `json:"expirationProtected"`
	NameServers         []string `json:"nameServers"`
}

// Domain returns one registration: GET /v1/domains/{domain}.
func (p *Provider) Domain(ctx context.Context, name string) (providers.Domain, error) {
	n, err := providers.NormalizeZone(name)
	if err != nil {
		return providers.Domain{}, fmt.Errorf("godaddy: %w", err)
	}
	var w wDomain
	if err := p.call(ctx, http.MethodGet, "/v1/domains/"+esc(n), nil, nil, &w); err != nil {
		return providers.Domain{}, fmt.Errorf("godaddy: domain %s: %w", n, zoneMissing(err))
	}
	d, err := toDomain(w)
	if err != nil {
		return providers.Domain{}, fmt.Errorf("godaddy: domain %s: %w", n, err)
	}
	return d, nil
}

// Domains lists every registration of the account: GET /v1/domains with
// includes=nameServers, PageSize (at most 1000) a page, each page after the
// last domain of the one before (marker), until a short or empty page.
func (p *Provider) Domains(ctx context.Context) ([]providers.Domain, error) {
	out := []providers.Domain{}
	marker := ""
	for page := 1; ; page++ {
		if page > maxPages {
			return nil, fmt.Errorf("godaddy: list domains: more than %d pages", maxPages)
		}
		q := url.Values{"limit": {strconv.Itoa(p.domainPage)}, "includes": {"nameServers"}}
		if marker != "" {
			q.Set("marker", marker)
		}
		var ws []wDomain
		if err := p.call(ctx, http.MethodGet, "/v1/domains", q, nil, &ws); err != nil {
			return nil, fmt.Errorf("godaddy: list domains: page %d: %w", page, err)
		}
		for _, w := range ws {
			d, err := toDomain(w)
			if err != nil {
				return nil, fmt.Errorf("godaddy: list domains: page %d: %w", page, err)
			}
			out = append(out, d)
		}
		if len(ws) < p.domainPage {
			return out, nil
		}
		last := out[len(out)-1].Name
		if last <= marker { // the server ignored the marker: stop rather than loop
			return nil, fmt.Errorf("godaddy: list domains: page %d does not move past %q", page, marker)
		}
		marker = last
	}
}

// SetDomain changes the registrar settings s sets with one PATCH
// /v1/domains/{domain} carrying only those fields (GoDaddy answers 204).
// It never renews or buys anything. An empty s sends nothing.
func (p *Provider) SetDomain(ctx context.Context, name string, s providers.DomainSettings) error {
	n, err := providers.NormalizeZone(name)
	if err != nil {
		return fmt.Errorf("godaddy: %w", err)
	}
	if s.Empty() {
		return nil
	}
	body := map[string]any{}
	if s.RenewAuto != nil {
		body["renewAuto"] = *s.RenewAuto
	}
	if s.Locked != nil {
		body["locked"] = *s.Locked
	}
	if s.NameServers != nil {
		if len(s.NameServers) == 0 {
			return fmt.Errorf("godaddy: domain %s: set nameservers: the list is empty", n)
		}
		ns := make([]string, len(s.NameServers))
		for i, h := range s.NameServers {
			if ns[i], err = providers.NormalizeHost(h); err != nil || ns[i] == "." {
				return fmt.Errorf("godaddy: domain %s: set nameservers: %q is not a host name", n, h)
			}
		}
		body["nameServers"] = ns
	}
	if err := p.call(ctx, http.MethodPatch, "/v1/domains/"+esc(n), nil, body, nil); err != nil {
		return fmt.Errorf("godaddy: domain %s: update settings: %w", n, zoneMissing(err))
	}
	return nil
}

// toDomain turns a wire domain into canonical form. Dates that do not
// parse are left zero (unknown).
func toDomain(w wDomain) (providers.Domain, error) {
	n, err := providers.NormalizeZone(w.Domain)
	if err != nil {
		return providers.Domain{}, err
	}
	d := providers.Domain{Name: n, Status: w.Status, Expires: parseTime(w.Expires), RenewDeadline: parseTime(w.RenewDeadline),
		RenewAuto: w.RenewAuto, Locked: w.Locked, Privacy: w.Privacy, ExpirationProtected: w.ExpirationProtected}
	if w.NameServers != nil {
		d.NameServers = make([]string, 0, len(w.NameServers))
		for _, ns := range w.NameServers {
			h, err := providers.NormalizeHost(ns)
			if err != nil {
				return providers.Domain{}, fmt.Errorf("domain %s: nameserver %q: %w", n, ns, err)
			}
			d.NameServers = append(d.NameServers, h)
		}
		slices.Sort(d.NameServers)
		d.NameServers = slices.Compact(d.NameServers)
	}
	return d, nil
}

func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s) // fractional seconds are accepted too
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}
