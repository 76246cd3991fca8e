package registry

import (
	"context"
	"fmt"
	"time"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/godaddy"
	"github.com/lagrieta/itlag/providers/godaddy/godaddytest"
	"github.com/lagrieta/itlag/reconcile"
)

func newGoDaddy(env Env, user string) (providers.Provider, error) {
	c := env.State.Providers.GoDaddy
	if c == nil {
		return nil, fmt.Errorf("%s, but providers.godaddy is not configured in the state", user)
	}
	key, err := env.Secret(c.APIKey)
	if err != nil {
		return nil, fmt.Errorf("godaddy: api_key: %w", err)
	}
	sec, err := env.Secret(c.APISecret)
	if err != nil {
		return nil, fmt.Errorf("godaddy: api_secret: %w", err)
	}
	return godaddy.New(godaddy.Config{APIURL: c.APIURL, Key: key, Secret: sec,
		KeyRef: c.APIKey.String(), SecretRef: c.APISecret.String(), HTTPClient: env.HTTP, RequestsPerMinute: c.RequestsPerMinute})
}

// The GoDaddy fake's credentials: not secrets, they guard nothing real.
const (
	sandboxGDKey    = "sandbox-key"
	sandboxGDSecret = "sandbox-secret"
)

// godaddyFake is the GoDaddy API fake (zones and registrations), its world
// in godaddy.json.
type godaddyFake struct {
	*godaddytest.Server
	dnsSeeder
	// fresh holds the domains this run registered for their zone.
	fresh map[string]bool
}

func sandboxGoDaddy(env SandboxEnv) (Fake, error) {
	srv := godaddytest.NewServer(godaddytest.Options{Key: sandboxGDKey, Secret: sandboxGDSecret})
	p, err := godaddy.New(godaddy.Config{APIURL: srv.URL(), Key: sandboxGDKey, Secret: sandboxGDSecret, HTTPClient: env.HTTP, RequestsPerMinute: -1})
	if err != nil {
		srv.Close()
		return nil, err
	}
	f := &godaddyFake{Server: srv, fresh: map[string]bool{}}
	f.dnsSeeder = dnsSeeder{p: p, caps: godaddy.Capabilities, addZone: f.addZone}
	return f, nil
}

func (f *godaddyFake) Provider() providers.Provider { return f.p }
func (f *godaddyFake) WorldFile() string            { return "godaddy.json" }

// addZone registers the domain of zone (GoDaddy hosts zones of domains it
// holds).
func (f *godaddyFake) addZone(zone string) {
	f.fresh[zone] = f.Domain(zone).Name == ""
	f.AddDomain(providers.Domain{Name: zone, Status: "ACTIVE", RenewAuto: true, Locked: true, Expires: aYearFromNow()})
}

// SandboxExpiryDays is how soon the sandbox's first GoDaddy registration
// (of a domain the state declares without an expiry) expires when first
// seeded.
const SandboxExpiryDays = 5

func aYearFromNow() time.Time { return time.Now().UTC().AddDate(1, 0, 0).Truncate(24 * time.Hour) }

// Seed seeds the zones GoDaddy hosts, then the registrations.
func (f *godaddyFake) Seed(ctx context.Context, d reconcile.Desired, protected []string) error {
	if err := f.seedZones(ctx, d, protected); err != nil {
		return err
	}
	f.seedDomains(d)
	return nil
}

// seedDomains registers every desired GoDaddy domain the fake does not
// hold yet (or registered this run only to host its zone: fresh), in sync
// with the state: the registrar's settings as declared (a domain whose zone
// is on Cloudflare delegated to Cloudflare), the declared expiry or a year
// from now.
//
// The first of them whose expiry the state does not declare expires
// SandboxExpiryDays from now instead, so that the first run shows an
// expiry finding; editing its "expires" in DIR/godaddy.json (as a renewal
// would move it) resolves it.
func (f *godaddyFake) seedDomains(d reconcile.Desired) {
	soon := true
	for _, dom := range d.Domains {
		if dom.Registrar != "godaddy" {
			continue
		}
		exists := f.Domain(dom.Name).Name != ""
		if exists && !f.fresh[dom.Name] {
			continue
		}
		live := providers.Domain{Name: dom.Name, Status: "ACTIVE", RenewAuto: true, Locked: true, Expires: dom.Expires,
			NameServers: []string{"ns51.domaincontrol.com", "ns52.domaincontrol.com"}}
		switch {
		case !live.Expires.IsZero():
		case soon:
			live.Expires, soon = time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, SandboxExpiryDays), false
		default:
			live.Expires = aYearFromNow()
		}
		for _, z := range d.Zones {
			if z.Name == dom.Name && z.Provider == "cloudflare" {
				live.NameServers = []string{"ada.ns.cloudflare.com", "bob.ns.cloudflare.com"}
			}
		}
		if v := dom.Settings.RenewAuto; v != nil {
			live.RenewAuto = *v
		}
		if v := dom.Settings.Locked; v != nil {
			live.Locked = *v
		}
		if dom.Settings.NameServers != nil {
			live.NameServers = dom.Settings.NameServers
		}
		if exists {
			f.SetDomain(live)
		} else {
			f.AddDomain(live)
		}
	}
}

// SampleDomains registers names when the fake does not hold them; with no
// names and an empty account, example.org.
func (f *godaddyFake) SampleDomains(ctx context.Context, names []string) {
	if len(names) == 0 {
		if ds, err := f.p.(providers.Registrar).Domains(ctx); err == nil && len(ds) > 0 {
			return
		}
		names = []string{"example.org"}
	}
	for _, n := range names {
		if f.Domain(n).Name == "" {
			f.AddDomain(providers.Domain{Name: n, Status: "ACTIVE", RenewAuto: true, Locked: true, Expires: aYearFromNow()})
		}
	}
}
