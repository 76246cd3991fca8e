package noip

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/transport"
	"github.com/lagrieta/itlag/store"
)

// DefaultAPIURL is NoIP's update service.
const DefaultAPIURL = "https://dynupdate.no-ip.com"

// The timings.
const (
	// DefaultPropagation is how long after a sent update the sent address
	// counts as live although DNS may still answer the old one.
	DefaultPropagation = 10 * time.Minute
	// Backoff911 is how long NoIP asks clients to wait after a 911.
	Backoff911 = 30 * time.Minute
)

// Config configures a Provider.
type Config struct {
	// APIURL is the update service's base URL; empty means DefaultAPIURL.
	APIURL string
	// Username and Password are the account's (or a DDNS key's)
	// credentials. Required.
	Username, Password string
	// UserRef and PassRef name where they came from ("env:NOIP_USER"), so
	// that errors can say which credentials to check. Never the values.
	UserRef, PassRef string
	// UserAgent identifies the client to NoIP, which requires one of the
	// form "name/version contact": "itlag/<version> <contact>". Required.
	UserAgent string
	// HTTPClient sends updates. nil means a transport client with retries
	// off: an update is never sent twice on its own.
	HTTPClient *http.Client
	// IPSources are IP-echo URLs answering the public IPv4 address as
	// text; all that answer must agree. Required when a host follows the
	// public address.
	IPSources []string
	// IPv6Sources, when set, do the same for IPv6: the public address
	// becomes "v4,v6".
	IPv6Sources []string
	// IPCommands are further IPv4 sources, by name ("nas:office ppp0"):
	// each returns text holding the address (a command's output on the
	// NAS, like "ip -4 -o addr show dev ppp0" or "curl -s …"). They count
	// like IP-echo URLs: every source that answers must agree.
	IPCommands map[string]func(ctx context.Context) (string, error)
	// EchoClient asks the IP sources; it may retry. nil means a transport
	// client with 2 retries and a 10-second timeout.
	EchoClient *http.Client
	// Resolver looks a hostname up in DNS; nil means net.DefaultResolver.
	// A host that does not exist is an error wrapping a *net.DNSError with
	// IsNotFound.
	Resolver func(ctx context.Context, host string) ([]netip.Addr, error)
	// DB keeps the update history and the holds. Required.
	DB *store.DB
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Propagation: see DefaultPropagation (the default).
	Propagation time.Duration
}

// Provider updates NoIP hostnames. It is safe for concurrent use.
type Provider struct {
	base             string
	user, pass       string
	userRef, passRef string
	agent            string
	hc, echo         *http.Client
	v4src, v6src     []string
	cmdsrc           map[string]func(ctx context.Context) (string, error)
	resolve          func(ctx context.Context, host string) ([]netip.Addr, error)
	db               *store.DB
	now              func() time.Time
	propagation      time.Duration
}

var (
	_ providers.Provider         = (*Provider)(nil)
	_ providers.ResourceProvider = (*Provider)(nil)
)

// New returns a Provider for c.
func New(c Config) (*Provider, error) {
	if c.DB == nil {
		return nil, errors.New("noip: no database")
	}
	if c.Username == "" || c.Password == "" {
		return nil, fmt.Errorf("noip: no username or password (from %s / %s)", orUnnamed(c.UserRef), orUnnamed(c.PassRef))
	}
	if strings.ContainsAny(c.Username, ":\r\n") {
		return nil, fmt.Errorf("noip: the username from %s contains a colon or a line break", orUnnamed(c.UserRef))
	}
	if !agentOK(c.UserAgent) {
		return nil, fmt.Errorf("noip: User-Agent %q: NoIP requires \"name/version contact\" (itlag/<version> <contact>)", c.UserAgent)
	}
	if c.APIURL == "" {
		c.APIURL = DefaultAPIURL
	}
	if err := checkURL(c.APIURL); err != nil {
		return nil, fmt.Errorf("noip: API URL %q: %w", c.APIURL, err)
	}
	for _, s := range append(append([]string(nil), c.IPSources...), c.IPv6Sources...) {
		if err := checkURL(s); err != nil {
			return nil, fmt.Errorf("noip: IP source %q: %w", s, err)
		}
	}
	if c.HTTPClient == nil {
		c.HTTPClient = transport.New(transport.Options{RetryMax: -1})
	}
	if c.EchoClient == nil {
		c.EchoClient = transport.New(transport.Options{RetryMax: 2, Timeout: 10 * time.Second})
	}
	if c.Resolver == nil {
		c.Resolver = func(ctx context.Context, host string) ([]netip.Addr, error) {
			return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		}
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Propagation <= 0 {
		c.Propagation = DefaultPropagation
	}
	return &Provider{
		base:        strings.TrimSuffix(c.APIURL, "/"),
		user:        c.Username,
		pass:        c.Password,
		userRef:     c.UserRef,
		passRef:     c.PassRef,
		agent:       c.UserAgent,
		hc:          c.HTTPClient,
		echo:        c.EchoClient,
		v4src:       append([]string(nil), c.IPSources...),
		v6src:       append([]string(nil), c.IPv6Sources...),
		cmdsrc:      maps.Clone(c.IPCommands),
		resolve:     c.Resolver,
		db:          c.DB,
		now:         c.Now,
		propagation: c.Propagation,
	}, nil
}

// Name returns "noip".
func (p *Provider) Name() string { return "noip" }

// source names the target in findings: "noip:<target>".
func source(target string) string { return "noip:" + target }

// agentOK accepts at least two words, one of them (not the last)
// "name/version", the last a contact (an e-mail address or a URL).
func agentOK(ua string) bool {
	if strings.ContainsAny(ua, "\r\n") {
		return false
	}
	f := strings.Fields(ua)
	if len(f) < 2 {
		return false
	}
	contact := f[len(f)-1]
	if !strings.Contains(contact, "@") && !strings.HasPrefix(contact, "http") {
		return false
	}
	for _, w := range f[:len(f)-1] {
		if name, version, ok := strings.Cut(w, "/"); ok && name != "" && version != "" {
			return true
		}
	}
	return false
}

// checkURL accepts an absolute http(s) URL without credentials.
func checkURL(s string) error {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return errors.New("not a URL")
	case u.Scheme != "http" && u.Scheme != "https" || u.Host == "":
		return errors.New("want an absolute http(s) URL")
	case u.User != nil:
		return errors.New("credentials do not belong in the URL")
	}
	// the update URL carries the password; an IP source over plain http
	// could be answered by anyone on the way, and its answer becomes DNS
	return transport.RequireTLS(s)
}

func orUnnamed(ref string) string {
	if ref == "" {
		return "an unnamed source"
	}
	return ref
}
