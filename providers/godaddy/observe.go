package godaddy

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/providers"
)

// Observe returns the zone's records in canonical form, without the SOA,
// GoDaddy's own apex NS records (those on *.domaincontrol.com) and the
// types itlag does not manage; an operator's other NS records stay. It
// pages through GET /v1/domains/{zone}/records: PageSize records a page, so
// N records cost ceil(N/500) requests, plus one for an empty last page when
// N is a multiple of the page size. A record that cannot be normalised is
// left out and reported as a low finding. GoDaddy records have no IDs: ID
// is empty and Apply finds records by Key.
func (p *Provider) Observe(ctx context.Context, zone string) (providers.Observation, error) {
	z, err := providers.NormalizeZone(zone)
	if err != nil {
		return providers.Observation{}, fmt.Errorf("godaddy: %w", err)
	}
	raw, err := p.pages(ctx, "/v1/domains/"+esc(z)+"/records")
	if err != nil {
		return providers.Observation{}, fmt.Errorf("godaddy: zone %s: list records: %w", z, zoneMissing(err))
	}
	obs := providers.Observation{Records: []providers.Record{}}
	source := "godaddy:" + z
	for _, w := range raw {
		typ := strings.ToUpper(w.Type)
		if !slices.Contains(providers.Types, typ) {
			continue // SOA and the types itlag leaves alone
		}
		r, err := toRecord(z, w)
		if err != nil {
			key := fmt.Sprintf("record/%s/%s/%s", typ, w.Name, w.Data)
			obs.Findings = append(obs.Findings, finding.New(finding.Low, source, key,
				fmt.Sprintf("record %s %s %q skipped: %v", w.Name, typ, w.Data, err)))
			continue
		}
		if ownNS(r) {
			continue
		}
		obs.Records = append(obs.Records, r)
	}
	return obs, nil
}

// pages reads every record under path (the zone, or one record set), page
// by page. GoDaddy's offset is a page number starting at 1 (as
// libdns/godaddy pages); the last page is the first one shorter than the
// page size, or empty, or a 422 past the first page (an offset past the
// end). A record listed twice (moved between pages) is kept once.
func (p *Provider) pages(ctx context.Context, path string) ([]wRecord, error) {
	var out []wRecord
	seen := map[string]bool{}
	for page := 1; ; page++ {
		if page > maxPages {
			return nil, fmt.Errorf("more than %d pages", maxPages)
		}
		q := url.Values{"offset": {strconv.Itoa(page)}, "limit": {strconv.Itoa(p.recordPage)}}
		var ws []wRecord
		if err := p.call(ctx, http.MethodGet, path, q, nil, &ws); err != nil {
			if page > 1 && statusOf(err) == http.StatusUnprocessableEntity {
				return out, nil
			}
			return nil, fmt.Errorf("page %d: %w", page, err)
		}
		for _, w := range ws {
			b, _ := json.Marshal(w)
			if !seen[string(b)] {
				seen[string(b)] = true
				out = append(out, w)
			}
		}
		if len(ws) < p.recordPage {
			return out, nil
		}
	}
}
