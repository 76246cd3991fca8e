package registry

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/nas"
	"github.com/lagrieta/itlag/providers/nas/remote"
	"github.com/lagrieta/itlag/providers/noip"
	"github.com/lagrieta/itlag/providers/noip/noiptest"
	"github.com/lagrieta/itlag/reconcile"
)

func newNoIP(env Env, user string) (providers.Provider, error) {
	c := env.State.Providers.NoIP
	if c == nil {
		return nil, fmt.Errorf("%s, but providers.noip is not configured in the state", user)
	}
	u, err := env.Secret(c.Username)
	if err != nil {
		return nil, fmt.Errorf("noip: username: %w", err)
	}
	pw, err := env.Secret(c.Password)
	if err != nil {
		return nil, fmt.Errorf("noip: password: %w", err)
	}
	db, err := env.DB()
	if err != nil {
		return nil, err
	}
	// NoIP requires a User-Agent "program/version contact".
	cfg := noip.Config{APIURL: c.APIURL, Username: u, Password: pw, UserRef: c.Username.String(), PassRef: c.Password.String(),
		UserAgent: "itlag/" + env.Version + " " + c.Contact, IPSources: c.IPSources, IPv6Sources: c.IPv6Sources, DB: db}
	if c.Resolver != "" {
		cfg.Resolver = resolverAt(c.Resolver)
	}
	// A NAS whose host key is pending is not asked (its finding says why).
	if from := c.IPFromNAS; from != nil && !env.State.NAS[from.NAS].HostKeyIsPending() {
		dial, err := nasDialer(env, from.NAS)
		if err != nil {
			return nil, fmt.Errorf("providers.noip.ip_from_nas: %w", err)
		}
		name, cmd := nas.IPCommand(from.NAS, from.Interface, from.Command, dial)
		cfg.IPCommands = map[string]func(context.Context) (string, error){name: cmd}
	}
	return noip.New(cfg)
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

// The NoIP fake's credentials: not secrets, they guard nothing real.
const (
	sandboxNoIPUser = "sandbox-user"
	sandboxNoIPPass = "sandbox-pass"
)

// noipFake is the NoIP update service fake, with an IP echo answering
// SandboxPublicIP; its world is in noip.json.
type noipFake struct {
	*noiptest.Server
	echo *noiptest.Echo
	p    *noip.Provider
}

func sandboxNoIP(env SandboxEnv) (Fake, error) {
	if env.DB == nil {
		return nil, errors.New("noip: no database")
	}
	f := &noipFake{
		Server: noiptest.NewServer(noiptest.Options{Username: sandboxNoIPUser, Password: sandboxNoIPPass}),
		echo:   noiptest.NewEcho(SandboxPublicIP),
	}
	cfg := noip.Config{APIURL: f.URL(), Username: sandboxNoIPUser, Password: sandboxNoIPPass, UserAgent: "itlag-sandbox/1 sandbox@example.org",
		IPSources: []string{f.echo.URL()}, EchoClient: env.HTTP, Resolver: f.Resolver(), DB: env.DB}
	if st := env.State; st != nil && st.Providers.NoIP != nil && st.Providers.NoIP.IPFromNAS != nil {
		from := st.Providers.NoIP.IPFromNAS
		if _, ok := st.NAS[from.NAS]; !ok {
			f.Close()
			return nil, fmt.Errorf("providers.noip.ip_from_nas: no NAS named %q in the state", from.NAS)
		}
		root := nasRoot(env.Dir, from.NAS)
		name, run := nas.IPCommand(from.NAS, from.Interface, from.Command,
			func(context.Context) (remote.Transport, error) { return remote.Local{Root: root}, nil })
		cfg.IPCommands = map[string]func(context.Context) (string, error){name: run}
	}
	p, err := noip.New(cfg)
	if err != nil {
		f.Close()
		return nil, err
	}
	f.p = p
	return f, nil
}

func (f *noipFake) Provider() providers.Provider { return f.p }
func (f *noipFake) WorldFile() string            { return "noip.json" }

func (f *noipFake) Close() {
	f.Server.Close()
	f.echo.Close()
}

// Seed adds every desired dynamic-DNS host the fake does not have yet,
// pointing at SandboxOldIP.
func (f *noipFake) Seed(_ context.Context, d reconcile.Desired, _ []string) error {
	for _, set := range d.Resources {
		if set.Provider != "noip" {
			continue
		}
		for _, r := range set.Resources {
			if r.Kind == providers.KindDDNSHost && f.Address(r.Name) == "" {
				f.AddHost(r.Name, SandboxOldIP)
			}
		}
	}
	return nil
}
