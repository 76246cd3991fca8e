package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"

	"github.com/lagrieta/itlag/app/sandbox"
	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/cloudflare"
	"github.com/lagrieta/itlag/providers/godaddy"
	"github.com/lagrieta/itlag/providers/nas"
	"github.com/lagrieta/itlag/providers/nas/remote"
	"github.com/lagrieta/itlag/providers/noip"
	"github.com/lagrieta/itlag/reconcile"
	"github.com/lagrieta/itlag/schema"
)

// openProviders wires every provider d uses: the sandbox's fakes, or the
// real ones built from the state's settings. The returned function closes
// them (the sandbox saves its fake worlds).
func (rt *Runtime) openProviders(ctx context.Context, d reconcile.Desired) (map[string]providers.Provider, func() error, error) {
	hc := rt.HTTPClient()
	if rt.Sandboxed() {
		sb, err := sandbox.Open(ctx, rt.Opts.Sandbox, d, rt.State, hc)
		if err != nil {
			return nil, nil, err
		}
		rt.sb = sb
		return sb.Providers, sb.Close, nil
	}
	f := &factory{rt: rt, st: rt.State, hc: hc}
	provs := map[string]providers.Provider{}
	need := func(name, user string) error {
		if _, ok := provs[name]; ok {
			return nil
		}
		p, err := f.provider(name, user)
		if err != nil {
			return err
		}
		provs[name] = p
		return nil
	}
	var err error
	for _, z := range d.Zones {
		if err == nil {
			err = need(z.Provider, "zone "+z.Name+" uses provider "+z.Provider)
		}
	}
	for _, dom := range d.Domains {
		if err == nil && dom.Managed() {
			err = need(dom.Registrar, "domain "+dom.Name+" uses registrar "+dom.Registrar)
		}
	}
	for _, set := range d.Resources {
		if err == nil {
			err = need(set.Provider, set.Key()+" uses provider "+set.Provider)
		}
	}
	if err != nil {
		f.close()
		return nil, nil, err
	}
	return provs, f.close, nil
}

// factory builds real providers from the state's settings.
type factory struct {
	rt *Runtime
	// checkUpdates makes the NAS provider count pending OS updates.
	checkUpdates bool
	st           *schema.State
	hc           *http.Client
	closers      []func() error
}

func (f *factory) close() error {
	var errs []error
	for _, c := range f.closers {
		errs = append(errs, c())
	}
	return errors.Join(errs...)
}

// provider builds the named provider; user says who needs it, for the
// message when it is not configured.
func (f *factory) provider(name, user string) (providers.Provider, error) {
	switch name {
	case "noip":
		return f.noip(user)
	case "nas":
		return f.nas()
	}
	return f.newProvider(name, user)
}

func (f *factory) noip(user string) (providers.Provider, error) {
	c := f.st.Providers.NoIP
	if c == nil {
		return nil, fmt.Errorf("%s, but providers.noip is not configured in the state", user)
	}
	u, err := f.rt.Secret(c.Username)
	if err != nil {
		return nil, fmt.Errorf("noip: username: %w", err)
	}
	pw, err := f.rt.Secret(c.Password)
	if err != nil {
		return nil, fmt.Errorf("noip: password: %w", err)
	}
	db, err := f.rt.DB()
	if err != nil {
		return nil, err
	}
	cfg := noip.Config{APIURL: c.APIURL, Username: u, Password: pw, UserRef: c.Username.String(), PassRef: c.Password.String(),
		UserAgent: f.noipUserAgent(c.Contact), IPSources: c.IPSources, IPv6Sources: c.IPv6Sources, DB: db}
	if c.Resolver != "" {
		cfg.Resolver = resolverAt(c.Resolver)
	}
	if from := c.IPFromNAS; from != nil {
		dial, err := f.nasDialer(from.NAS)
		if err != nil {
			return nil, fmt.Errorf("providers.noip.ip_from_nas: %w", err)
		}
		name, cmd := nas.IPCommand(from.NAS, from.Interface, from.Command, dial)
		cfg.IPCommands = map[string]func(context.Context) (string, error){name: cmd}
	}
	return noip.New(cfg)
}

// noipUserAgent is the User-Agent NoIP requires: program/version contact.
func (f *factory) noipUserAgent(contact string) string {
	return "itlag/" + f.rt.Opts.Version + " " + contact
}

// resolverAt asks the DNS server at addr (host:port, port 53 by default).
func resolverAt(addr string) func(ctx context.Context, host string) ([]netip.Addr, error) {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		addr = net.JoinHostPort(addr, "53")
	}
	r := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}}
	return func(ctx context.Context, host string) ([]netip.Addr, error) {
		return r.LookupNetIP(ctx, "ip", host)
	}
}

// newProvider builds the named provider from the state's settings; user
// says who needs it, for the message when it is not configured.
func (f *factory) newProvider(name, user string) (providers.Provider, error) {
	cfg, hc := f.st.Providers, f.hc
	switch name {
	case "cloudflare":
		c := cfg.Cloudflare
		if c == nil {
			return nil, fmt.Errorf("%s, but providers.cloudflare is not configured in the state", user)
		}
		tok, err := f.rt.Secret(c.APIToken)
		if err != nil {
			return nil, fmt.Errorf("cloudflare: api_token: %w", err)
		}
		return cloudflare.New(cloudflare.Config{APIURL: c.APIURL, Token: tok, TokenRef: c.APIToken.String(), HTTPClient: hc})
	case "godaddy":
		c := cfg.GoDaddy
		if c == nil {
			return nil, fmt.Errorf("%s, but providers.godaddy is not configured in the state", user)
		}
		key, err := f.rt.Secret(c.APIKey)
		if err != nil {
			return nil, fmt.Errorf("godaddy: api_key: %w", err)
		}
		sec, err := f.rt.Secret(c.APISecret)
		if err != nil {
			return nil, fmt.Errorf("godaddy: api_secret: %w", err)
		}
		return godaddy.New(godaddy.Config{APIURL: c.APIURL, Key: key, Secret: sec,
			KeyRef: c.APIKey.String(), SecretRef: c.APISecret.String(), HTTPClient: hc, RequestsPerMinute: c.RequestsPerMinute})
	}
	return nil, fmt.Errorf("%s: unknown provider %q", user, name)
}

// nas builds the NAS provider for every NAS the state declares, each
// reached over SSH with its pinned host key.
func (f *factory) nas() (providers.Provider, error) {
	targets := map[string]nas.Config{}
	for name, n := range f.st.NAS {
		dial, err := f.nasDialer(name)
		if err != nil {
			return nil, err
		}
		targets[name] = nas.Config{Name: name, Thresholds: sandbox.NASThresholds(n), Dial: dial, CheckUpdates: f.checkUpdates}
	}
	return nas.New(targets), nil
}

// nasDialer connects to the named NAS over SSH, its host key pinned.
func (f *factory) nasDialer(name string) (func(context.Context) (remote.Transport, error), error) {
	n, ok := f.st.NAS[name]
	if !ok {
		return nil, fmt.Errorf("no NAS named %q in the state", name)
	}
	cfg := remote.SSHConfig{Host: n.Host, Port: n.Port, User: n.User, UseAgent: n.Agent, HostKey: n.HostKey}
	if n.Key != nil {
		if n.Key.File == "" {
			return nil, fmt.Errorf("nas.%s.key: %s: keep the private key in a file ({file: PATH}); keys in environment variables are not supported", name, n.Key)
		}
		cfg.KeyFile = n.Key.File
	}
	return func(ctx context.Context) (remote.Transport, error) { return remote.DialSSH(ctx, cfg) }, nil
}

// nasWithUpdates is the NAS provider with pending OS updates counted
// (slow: maintenance runs only).
func (rt *Runtime) nasWithUpdates() (providers.ResourceProvider, error) {
	if rt.Sandboxed() {
		return sandbox.NASProvider(rt.Opts.Sandbox, rt.State, true)
	}
	f := &factory{rt: rt, st: rt.State, hc: rt.HTTPClient(), checkUpdates: true}
	p, err := f.nas()
	if err != nil {
		return nil, err
	}
	return p.(providers.ResourceProvider), nil
}
