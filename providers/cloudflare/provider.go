package cloudflare

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/cloudflare/cloudflare-go/v6/dns"
	"github.com/cloudflare/cloudflare-go/v6/option"
	"github.com/cloudflare/cloudflare-go/v6/zones"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/transport"
)

// DefaultAPIURL is the real API.
const DefaultAPIURL = "https://api.cloudflare.com/client/v4"

// The defaults and limits for Config.
const (
	DefaultBatchSize = 200 // the free plan's limit
	DefaultPerPage   = 1000
	MaxPerPage       = 5000
	maxPages         = 100000
)

// Config configures a Provider.
type Config struct {
	// APIURL is the API's base URL; empty means DefaultAPIURL.
	APIURL string
	// Token is the API token (bearer). Required.
	Token string
	// HTTPClient is the shared client from package transport. Required.
	HTTPClient *http.Client
	// BatchSize is the most changes one batch request carries (default 200).
	BatchSize int
	// PerPage is the page size when listing records (default 1000, at most 5000).
	PerPage int
	// TokenRef names where the token came from ("env:CLOUDFLARE_API_TOKEN"),
	// so that an authentication error can say which credential to check.
	// Never the token itself.
	TokenRef string
}

// Provider observes and changes DNS records in Cloudflare zones. It is safe
// for concurrent use.
type Provider struct {
	records   *dns.RecordService
	zoneAPI   *zones.ZoneService
	batchSize int
	perPage   int
	tokenRef  string

	mu    sync.Mutex
	zones map[string]zoneInfo // zone name → what the zone lookup said
}

// Capabilities are what Cloudflare's records can hold: proxying,
// comments, TTL auto kept as such, at least 60 seconds.
var Capabilities = providers.Capabilities{Proxy: true, Comments: true, MinTTL: 60}

var _ providers.DNS = (*Provider)(nil)

// New returns a Provider for c.
func New(c Config) (*Provider, error) {
	if c.Token == "" {
		return nil, errors.New("cloudflare: no API token")
	}
	if c.HTTPClient == nil {
		return nil, errors.New("cloudflare: no HTTP client")
	}
	if c.APIURL == "" {
		c.APIURL = DefaultAPIURL
	}
	if u, err := url.Parse(c.APIURL); err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("cloudflare: API URL %q: want an absolute URL", c.APIURL)
	}
	if err := transport.RequireTLS(c.APIURL); err != nil {
		return nil, fmt.Errorf("cloudflare: API URL: %w", err)
	}
	if c.BatchSize <= 0 {
		c.BatchSize = DefaultBatchSize
	}
	if c.PerPage <= 0 {
		c.PerPage = DefaultPerPage
	}
	c.PerPage = min(max(c.PerPage, 5), MaxPerPage)
	opts := serviceOptions(c.APIURL, c.Token, c.HTTPClient)
	return &Provider{
		records: dns.NewRecordService(opts...), zoneAPI: zones.NewZoneService(opts...),
		batchSize: c.BatchSize, perPage: c.PerPage, tokenRef: c.TokenRef, zones: map[string]zoneInfo{},
	}, nil
}

// serviceOptions are the options every service client of this package gets.
// Service clients, unlike the SDK's root client, read no CLOUDFLARE_*
// variables and have no default base URL: what is set here is all there is.
// Bearer auth only, so no legacy key header can ride along; no SDK retries
// (the SDK's default is 10), since hc carries the one retry policy
// (Retry-After, 429 and 5xx, deadlines) of package transport.
func serviceOptions(apiURL, token string, hc *http.Client) []option.RequestOption {
	return []option.RequestOption{
		option.WithBaseURL(apiURL),
		option.WithAPIToken(token),
		option.WithMaxRetries(0),
		option.WithHTTPClient(hc),
	}
}

// Name returns "cloudflare".
func (p *Provider) Name() string { return "cloudflare" }

// APIError is an error answer from the API: its HTTP status and
// Cloudflare's error codes and messages.
type APIError struct {
	Status int
	Errors []ErrorItem
}

// ErrorItem is one entry of the API's "errors".
type ErrorItem struct {
	Code    int64
	Message string
	// Pointer locates the cause in the request body ("/posts/3").
	Pointer string
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP %d", e.Status)
	for i, it := range e.Errors {
		sep := "; "
		if i == 0 {
			sep = ": "
		}
		fmt.Fprintf(&b, "%s%d %s", sep, it.Code, it.Message)
		if it.Pointer != "" {
			fmt.Fprintf(&b, " (at %s)", it.Pointer)
		}
	}
	return b.String()
}

// apiError turns the SDK's error (*dns.Error, the same type as
// *zones.Error) into an *APIError, leaving other errors (transport,
// context) as they are. An authentication failure says which credential
// reference to check.
func (p *Provider) apiError(err error) error {
	var ae *dns.Error
	if !errors.As(err, &ae) {
		return err
	}
	out := &APIError{Status: ae.StatusCode}
	for _, e := range ae.Errors {
		out.Errors = append(out.Errors, ErrorItem{Code: e.Code, Message: e.Message, Pointer: e.Source.Pointer})
	}
	if (out.Status == http.StatusUnauthorized || out.Status == http.StatusForbidden) && p.tokenRef != "" {
		return fmt.Errorf("%w (check the API token in %s: it needs Zone:Read and DNS:Edit on this zone)", out, p.tokenRef)
	}
	return out
}

// zoneID finds the ID of zone (canonical name), once per Provider.
// zoneInfo is what itlag keeps of a zone lookup.
type zoneInfo struct {
	ID string
	// NameServers are the nameservers Cloudflare assigned to the zone: the
	// apex NS records it manages itself.
	NameServers []string
}

func (p *Provider) zoneID(ctx context.Context, zone string) (string, error) {
	zi, err := p.zoneInfo(ctx, zone)
	return zi.ID, err
}

func (p *Provider) zoneInfo(ctx context.Context, zone string) (zoneInfo, error) {
	p.mu.Lock()
	zi, ok := p.zones[zone]
	p.mu.Unlock()
	if ok {
		return zi, nil
	}
	res, err := p.listZones(ctx, zone, 0)
	if err != nil {
		return zoneInfo{}, fmt.Errorf("find zone: %w", err)
	}
	for _, z := range res.Result {
		if strings.EqualFold(strings.TrimSuffix(z.Name, "."), zone) && z.ID != "" {
			return p.remember(zone, z), nil
		}
	}
	return zoneInfo{}, providers.ErrZoneNotFound
}

var _ providers.Preparer = (*Provider)(nil)

// Prepare finds the IDs of zones through the account's zone list (50 zones
// a page) instead of one look-up per zone: 50 zones cost one request, not
// 50. It reads pages only while it has read fewer pages than zones are
// still unknown, and stops as soon as it has them all; zones it does not
// find are looked up by name when observed, as without it.
func (p *Provider) Prepare(ctx context.Context, zones []string) {
	want := map[string]bool{}
	for _, z := range zones {
		if n, err := providers.NormalizeZone(z); err == nil {
			p.mu.Lock()
			_, known := p.zones[n]
			p.mu.Unlock()
			if !known {
				want[n] = true
			}
		}
	}
	for page := 1; len(want) > 1 && page < len(want); page++ {
		res, err := p.listZones(ctx, "", page)
		if err != nil || len(res.Result) == 0 {
			return
		}
		for _, z := range res.Result {
			name := strings.ToLower(strings.TrimSuffix(z.Name, "."))
			if want[name] && z.ID != "" {
				p.remember(name, z)
				delete(want, name)
			}
		}
		if res.ResultInfo != nil && res.ResultInfo.TotalPages > 0 && page >= res.ResultInfo.TotalPages {
			return
		}
	}
}

// wZone is a zone as the API lists it (the fields itlag reads).
type wZone struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	NameServers []string `json:"name_servers"`
}

// remember caches what a zone look-up or list said of a zone.
func (p *Provider) remember(zone string, w wZone) zoneInfo {
	zi := zoneInfo{ID: w.ID}
	for _, ns := range w.NameServers {
		if h, err := providers.NormalizeHost(ns); err == nil {
			zi.NameServers = append(zi.NameServers, h)
		}
	}
	p.mu.Lock()
	p.zones[zone] = zi
	p.mu.Unlock()
	return zi
}

// forget drops a cached zone ID (the zone was not found by ID).
func (p *Provider) forget(zone string) {
	p.mu.Lock()
	delete(p.zones, zone)
	p.mu.Unlock()
}
