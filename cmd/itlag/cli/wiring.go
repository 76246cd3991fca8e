package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/cloudflare"
	"github.com/lagrieta/itlag/providers/godaddy"
	"github.com/lagrieta/itlag/providers/transport"
	"github.com/lagrieta/itlag/reconcile"
	"github.com/lagrieta/itlag/sandbox"
	"github.com/lagrieta/itlag/schema"
	"github.com/lagrieta/itlag/secret"
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
	d, err := reconcile.DesiredFromState(st)
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

// open wires every provider the state uses (zones' DNS hosts and managed
// domains' registrars): to the real APIs with the credentials the state
// references, or, with --sandbox, to in-process fakes.
func open(ctx context.Context, g *globals, l *loaded) (*world, error) {
	hc := httpClient()
	if g.sandbox != "" {
		sb, err := sandbox.Open(ctx, g.sandbox, l.desired, l.state.Policy.Protected, hc)
		if err != nil {
			return nil, err
		}
		return &world{providers: sb.Providers, close: sb.Close, sandbox: sb}, nil
	}
	provs := map[string]providers.Provider{}
	need := func(name, user string) error {
		if _, ok := provs[name]; ok {
			return nil
		}
		p, err := newProvider(name, user, l.state.Providers, hc)
		if err != nil {
			return err
		}
		provs[name] = p
		return nil
	}
	for _, z := range l.desired.Zones {
		if err := need(z.Provider, "zone "+z.Name+" uses provider "+z.Provider); err != nil {
			return nil, err
		}
	}
	for _, d := range l.desired.Domains {
		if !d.Managed() {
			continue
		}
		if err := need(d.Registrar, "domain "+d.Name+" uses registrar "+d.Registrar); err != nil {
			return nil, err
		}
	}
	return &world{providers: provs, close: func() error { return nil }}, nil
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
