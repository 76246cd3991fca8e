package godaddy

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/transport"
)

// DefaultAPIURL is the real API.
const DefaultAPIURL = "https://api.godaddy.com"

// The defaults and limits for Config.
const (
	DefaultRequestsPerMinute = 60
	DefaultPageSize          = 500
	// MaxRecordPage is the most records GoDaddy returns in one page: a
	// larger PageSize is lowered to it, so that a full page is never taken
	// for the last one.
	MaxRecordPage = 500
	// MaxDomainPage is the largest limit GET /v1/domains accepts.
	MaxDomainPage = 1000
	// DefaultQuotaWait is one quota window: how long to wait after a 429
	// that outlasted the transport's retries.
	DefaultQuotaWait = time.Minute
	// quotaRounds is how many times a request is sent again after a 429
	// that outlasted the transport's retries, QuotaWait apart.
	quotaRounds = 3
	maxPages    = 10000
)

// Config configures a Provider.
type Config struct {
	// APIURL is the API's base URL; empty means DefaultAPIURL.
	APIURL string
	// Key and Secret are the two halves of the API key. Required.
	Key, Secret string
	// KeyRef and SecretRef name where Key and Secret came from
	// ("env:GODADDY_API_KEY"), so that an authentication error can say
	// which credentials to check. Never the values.
	KeyRef, SecretRef string
	// HTTPClient is the shared client from package transport; nil means
	// transport.New(transport.Options{}).
	HTTPClient *http.Client
	// RequestsPerMinute is the client-side limit (default 60, GoDaddy's
	// quota); negative means no client-side limit (tests).
	RequestsPerMinute int
	// PageSize is how many records (or domains) one list request asks for
	// (default 500; records at most 500, domains at most 1000).
	PageSize int
	// QuotaWait is how long to wait before sending a request again when
	// GoDaddy still answers 429 after the transport's own retries (default
	// one minute: the quota window). Tests make it short.
	QuotaWait time.Duration
}

// Provider observes and changes DNS records of GoDaddy domains and their
// registrar settings. It is safe for concurrent use.
type Provider struct {
	base              string
	auth              string
	keyRef, secretRef string
	hc                *http.Client
	limiter           *rate.Limiter // nil: no client-side limit
	recordPage        int
	domainPage        int
	quotaWait         time.Duration
}

// Capabilities are what GoDaddy's records can hold: no proxying, no
// comments, TTL auto stored as 3600 seconds, at least 600 seconds.
var Capabilities = providers.Capabilities{AutoTTL: 3600, MinTTL: 600}

var (
	_ providers.DNS       = (*Provider)(nil)
	_ providers.Registrar = (*Provider)(nil)
)

// New returns a Provider for c.
func New(c Config) (*Provider, error) {
	if c.Key == "" || c.Secret == "" {
		return nil, fmt.Errorf("godaddy: no API key or secret (from %s)", c.refs())
	}
	if c.APIURL == "" {
		c.APIURL = DefaultAPIURL
	}
	if u, err := url.Parse(c.APIURL); err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("godaddy: API URL %q: want an absolute URL", c.APIURL)
	}
	if err := transport.RequireTLS(c.APIURL); err != nil {
		return nil, fmt.Errorf("godaddy: API URL: %w", err)
	}
	if c.HTTPClient == nil {
		c.HTTPClient = transport.New(transport.Options{})
	}
	if c.PageSize <= 0 {
		c.PageSize = DefaultPageSize
	}
	if c.QuotaWait <= 0 {
		c.QuotaWait = DefaultQuotaWait
	}
	// the header is "sso-key KEY:SECRET": a colon in the key or a line
	// break anywhere would garble it
	if strings.ContainsAny(c.Key, ":\r\n \t") {
		return nil, fmt.Errorf("godaddy: the API key from %s contains a colon, space or line break", orUnnamed(c.KeyRef))
	}
	if strings.ContainsAny(c.Secret, "\r\n") {
		return nil, errors.New("godaddy: the API secret from " + orUnnamed(c.SecretRef) + " contains a line break")
	}
	return &Provider{
		base:       strings.TrimSuffix(c.APIURL, "/"),
		auth:       "sso-key " + c.Key + ":" + c.Secret,
		keyRef:     c.KeyRef,
		secretRef:  c.SecretRef,
		hc:         c.HTTPClient,
		limiter:    newLimiter(c.RequestsPerMinute),
		recordPage: min(c.PageSize, MaxRecordPage),
		domainPage: min(c.PageSize, MaxDomainPage),
		quotaWait:  c.QuotaWait,
	}, nil
}

// Name returns "godaddy".
func (p *Provider) Name() string { return "godaddy" }

// newLimiter spreads rpm requests over a minute: a burst of up to 5, then
// a steady rate such that no 60-second window holds more than rpm. nil
// (no limit) for a negative rpm.
func newLimiter(rpm int) *rate.Limiter {
	if rpm < 0 {
		return nil
	}
	if rpm == 0 {
		rpm = DefaultRequestsPerMinute
	}
	burst := min(5, max(1, rpm/12))
	per := float64(rpm-burst) / 60
	if per <= 0 {
		per = float64(rpm) / 60
	}
	return rate.NewLimiter(rate.Limit(per), burst)
}

func (c Config) refs() string {
	return orUnnamed(c.KeyRef) + " / " + orUnnamed(c.SecretRef)
}

func orUnnamed(ref string) string {
	if ref == "" {
		return "an unnamed source"
	}
	return ref
}
