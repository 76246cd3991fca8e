package cli

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
	"github.com/lagrieta/itlag/providers/registry"
	"github.com/lagrieta/itlag/providers/transport"
	"github.com/lagrieta/itlag/reconcile"
	"github.com/lagrieta/itlag/schema"
	"github.com/lagrieta/itlag/schema/secret"
	"github.com/lagrieta/itlag/store"
)

// loaded is a validated, normalised desired state.
type loaded struct {
	state   *schema.State
	desired reconcile.Desired
}

// load reads and validates the state directory. Problems are printed one
// per line on stderr and turn into exit code 3: a broken file never reaches
// a provider.
func load(e *env, g *globals) (*loaded, error) {
	st, err := schema.Load(g.state)
	if err != nil {
		var errs schema.Errors
		if errors.As(err, &errs) {
			for _, p := range errs {
				fmt.Fprintln(e.stderr, p.String())
			}
			return nil, exit(ExitInvalid, fmt.Errorf("%s: %d problem(s) in the desired state", g.state, len(errs)))
		}
		return nil, exit(ExitError, fmt.Errorf("%w (set --state DIR)", err))
	}
	d, err := reconcile.DesiredFromState(st, registry.Capabilities())
	if err != nil {
		fmt.Fprintln(e.stderr, err)
		return nil, exit(ExitInvalid, fmt.Errorf("%s: the desired state is invalid", g.state))
	}
	return &loaded{state: st, desired: d}, nil
}

// world is the set of live (or sandboxed) providers a command talks to.
type world struct {
	providers map[string]providers.Provider
	close     func() error
	sandbox   *sandbox.Sandbox // nil unless --sandbox
}

func httpClient() *http.Client {
	return transport.New(transport.Options{UserAgent: "itlag/" + version()})
}

// open wires every provider the state uses (zones' DNS hosts, managed
// domains' registrars, dynamic-DNS hosts and NASes): to the real APIs with
// the credentials the state references, or, with --sandbox, to in-process
// fakes. Placeholders in file contents (${env:NAME}) are resolved here.
func open(ctx context.Context, g *globals, l *loaded) (*world, error) {
	hc := httpClient()
	if g.sandbox != "" {
		sb, err := sandbox.Open(ctx, g.sandbox, l.desired, l.state, hc)
		if err != nil {
			return nil, err
		}
		if err := reconcile.ResolvePlaceholders(&l.desired, sandboxSecret); err != nil {
			sb.Close()
			return nil, err
		}
		return &world{providers: sb.Providers, close: sb.Close, sandbox: sb}, nil
	}
	if err := reconcile.ResolvePlaceholders(&l.desired, func(ref schema.CredentialRef) (string, error) {
		return secret.Resolve(ref)
	}); err != nil {
		return nil, err
	}
	f := &factory{g: g, st: l.state, hc: hc}
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
	for _, z := range l.desired.Zones {
		if err == nil {
			err = need(z.Provider, "zone "+z.Name+" uses provider "+z.Provider)
		}
	}
	for _, d := range l.desired.Domains {
		if err == nil && d.Managed() {
			err = need(d.Registrar, "domain "+d.Name+" uses registrar "+d.Registrar)
		}
	}
	for _, set := range l.desired.Resources {
		if err == nil {
			err = need(set.Provider, set.Key()+" uses provider "+set.Provider)
		}
	}
	if err != nil {
		f.close()
		return nil, err
	}
	return &world{providers: provs, close: f.close}, nil
}

// sandboxSecret stands in for secrets in the sandbox: no real secret is
// read, and the stand-in names the reference.
func sandboxSecret(ref schema.CredentialRef) (string, error) {
	return "sandbox-secret-for-" + ref.String(), nil
}

// factory builds real providers from the state's settings.
type factory struct {
	g *globals
	// checkUpdates makes the NAS provider count pending OS updates.
	checkUpdates bool
	st           *schema.State
	hc           *http.Client
	db           *store.DB
	closers      []func() error
}

func (f *factory) close() error {
	var errs []error
	for _, c := range f.closers {
		errs = append(errs, c())
	}
	return errors.Join(errs...)
}

// database opens the local SQLite database in the data directory once.
func (f *factory) database() (*store.DB, error) {
	if f.db != nil {
		return f.db, nil
	}
	dir, err := f.g.dataDirectory(true)
	if err != nil {
		return nil, err
	}
	db, err := store.Open(store.DefaultPath(dir))
	if err != nil {
		return nil, err
	}
	f.db = db
	f.closers = append(f.closers, db.Close)
	return db, nil
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
	return newProvider(name, user, f.st.Providers, f.hc)
}

func (f *factory) noip(user string) (providers.Provider, error) {
	c := f.st.Providers.NoIP
	if c == nil {
		return nil, fmt.Errorf("%s, but providers.noip is not configured in the state", user)
	}
	u, err := secret.Resolve(c.Username)
	if err != nil {
		return nil, fmt.Errorf("noip: username: %w", err)
	}
	pw, err := secret.Resolve(c.Password)
	if err != nil {
		return nil, fmt.Errorf("noip: password: %w", err)
	}
	db, err := f.database()
	if err != nil {
		return nil, err
	}
	cfg := noip.Config{APIURL: c.APIURL, Username: u, Password: pw, UserRef: c.Username.String(), PassRef: c.Password.String(),
		UserAgent: noipUserAgent(c.Contact), IPSources: c.IPSources, IPv6Sources: c.IPv6Sources, DB: db}
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
func noipUserAgent(contact string) string { return "itlag/" + version() + " " + contact }

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
func newProvider(name, user string, cfg schema.Providers, hc *http.Client) (providers.Provider, error) {
	switch name {
	case "cloudflare":
		c := cfg.Cloudflare
		if c == nil {
			return nil, fmt.Errorf("%s, but providers.cloudflare is not configured in the state", user)
		}
		tok, err := secret.Resolve(c.APIToken)
		if err != nil {
			return nil, fmt.Errorf("cloudflare: api_token: %w", err)
		}
		return cloudflare.New(cloudflare.Config{APIURL: c.APIURL, Token: tok, TokenRef: c.APIToken.String(), HTTPClient: hc})
	case "godaddy":
		c := cfg.GoDaddy
		if c == nil {
			return nil, fmt.Errorf("%s, but providers.godaddy is not configured in the state", user)
		}
		key, err := secret.Resolve(c.APIKey)
		if err != nil {
			return nil, fmt.Errorf("godaddy: api_key: %w", err)
		}
		sec, err := secret.Resolve(c.APISecret)
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
