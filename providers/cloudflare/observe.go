package cloudflare

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/providers"
)

// wRecord is a record as the API returns it (the fields itlag reads).
type wRecord struct {
	ID       string          `json:"id"`
	Name     string          `json:"name"`
	Type     string          `json:"type"`
	Content  string          `json:"content"`
	Proxied  bool            `json:"proxied"`
	TTL      int             `json:"ttl"`
	Priority *int            `json:"priority"`
	Comment  *string         `json:"comment"`
	Data     json.RawMessage `json:"data"`
}

// Observe returns the zone's records in canonical form, without SOA, the
// apex NS records of the nameservers Cloudflare assigned to the zone, and
// the types itlag does not manage. Other apex NS records are returned: they
// are the operator's (and the apex-ns safety rule guards them). A record that cannot be
// normalised is left out and reported as a low finding.
func (p *Provider) Observe(ctx context.Context, zone string) (providers.Observation, error) {
	z, err := providers.NormalizeZone(zone)
	if err != nil {
		return providers.Observation{}, fmt.Errorf("cloudflare: %w", err)
	}
	raw, err := p.list(ctx, z)
	if err != nil {
		return providers.Observation{}, fmt.Errorf("cloudflare: zone %s: %w", z, err)
	}
	obs := providers.Observation{Records: make([]providers.Record, 0, len(raw))}
	source := "cloudflare:" + z
	for _, w := range raw {
		typ := strings.ToUpper(w.Type)
		if !slices.Contains(providers.Types, typ) {
			continue // SOA and the types itlag leaves alone
		}
		r, err := toRecord(z, w)
		if err != nil {
			obs.Findings = append(obs.Findings, finding.New(finding.Low, source, "record/"+w.ID,
				fmt.Sprintf("record %s %s (id %s) skipped: %v", w.Name, typ, w.ID, err)))
			continue
		}
		if r.Type == "NS" && r.Name == "@" && p.assignedNS(z, r.Content) {
			continue // Cloudflare manages its own apex NS records
		}
		obs.Records = append(obs.Records, r)
	}
	return obs, nil
}

// list pages through all records of zone: one request per page. It pages
// by hand rather than with the SDK's ListAutoPaging, which stops only on an
// empty page (one more request per zone than total_pages says) and asks
// for the next pages under context.Background() (no deadline).
func (p *Provider) list(ctx context.Context, zone string) ([]wRecord, error) {
	id, err := p.zoneID(ctx, zone)
	if err != nil {
		return nil, err
	}
	var out []wRecord
	var seen map[string]bool
	for page := 1; ; page++ {
		if page > maxPages {
			return nil, fmt.Errorf("list records: more than %d pages", maxPages)
		}
		res, err := p.listRecords(ctx, id, page, p.perPage)
		if err != nil {
			var ae *APIError
			if errors.As(err, &ae) && ae.Status == http.StatusNotFound {
				p.forget(zone)
			}
			return nil, fmt.Errorf("list records: page %d: %w", page, err)
		}
		if seen == nil {
			seen = make(map[string]bool, len(res.Result))
		}
		out = slices.Grow(out, len(res.Result))
		for _, w := range res.Result {
			if !seen[w.ID] { // a record moving between pages is listed once
				seen[w.ID] = true
				out = append(out, w)
			}
		}
		if lastPage(res.ResultInfo, page, len(res.Result), p.perPage) {
			return out, nil
		}
	}
}

// lastPage decides whether page was the last: by total_pages when the
// server gives it, else by a short or empty page.
func lastPage(info *wPages, page, n, asked int) bool {
	if n == 0 {
		return true
	}
	if info != nil && info.TotalPages > 0 {
		return page >= info.TotalPages
	}
	per := asked
	if info != nil && info.PerPage > 0 {
		per = info.PerPage
	}
	return n < per
}

// toRecord turns an API record into canonical form.
func toRecord(zone string, w wRecord) (providers.Record, error) {
	host, err := providers.NormalizeHost(w.Name)
	if err != nil {
		return providers.Record{}, err
	}
	name := providers.RelativeName(host, zone)
	if name == host && host != zone {
		return providers.Record{}, fmt.Errorf("name %q is outside zone %s", w.Name, zone)
	}
	r := providers.Record{
		ID: w.ID, Zone: zone, Name: name, Type: strings.ToUpper(w.Type),
		Content: w.Content, TTL: w.TTL, Proxied: w.Proxied,
	}
	if w.Comment != nil {
		r.Comment = *w.Comment
	}
	if w.Priority != nil {
		r.Priority = *w.Priority
	}
	switch r.Type {
	case "CAA":
		var d struct {
			Flags *int    `json:"flags"`
			Tag   *string `json:"tag"`
			Value *string `json:"value"`
		}
		if json.Unmarshal(w.Data, &d) == nil && d.Flags != nil && d.Tag != nil && d.Value != nil {
			r.Content = fmt.Sprintf("%d %s \"%s\"", *d.Flags, *d.Tag, *d.Value)
		}
	case "SRV":
		var d struct {
			Priority *int    `json:"priority"`
			Weight   *int    `json:"weight"`
			Port     *int    `json:"port"`
			Target   *string `json:"target"`
		}
		if json.Unmarshal(w.Data, &d) == nil && d.Weight != nil && d.Port != nil && d.Target != nil {
			r.Content = fmt.Sprintf("%d %d %s", *d.Weight, *d.Port, *d.Target)
			if d.Priority != nil {
				r.Priority = *d.Priority
			}
		} else if f := strings.Fields(r.Content); len(f) == 4 {
			// older answers put the priority first in content
			var prio int
			if _, err := fmt.Sscanf(f[0], "%d", &prio); err == nil {
				r.Priority, r.Content = prio, strings.Join(f[1:], " ")
			}
		}
	}
	return providers.Normalize(r)
}

// assignedNS reports whether host is one of the nameservers Cloudflare
// assigned to zone (known from the zone lookup that list made).
func (p *Provider) assignedNS(zone, host string) bool {
	p.mu.Lock()
	zi := p.zones[zone]
	p.mu.Unlock()
	return slices.Contains(zi.NameServers, host)
}
