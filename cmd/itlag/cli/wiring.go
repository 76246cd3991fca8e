package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/cloudflare"
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
}

func httpClient() *http.Client {
	return transport.New(transport.Options{UserAgent: "itlag/" + version()})
}

// open wires every provider the state uses: to the real APIs with the
// credentials the state references, or, with --sandbox, to in-process fakes.
func open(ctx context.Context, g *globals, l *loaded) (*world, error) {
	hc := httpClient()
	if g.sandbox != "" {
		sb, err := sandbox.Open(ctx, g.sandbox, l.desired, l.state.Policy.Protected, hc)
		if err != nil {
			return nil, err
		}
		return &world{providers: sb.Providers, close: sb.Close}, nil
	}
	provs := map[string]providers.Provider{}
	for _, z := range l.desired.Zones {
		if _, ok := provs[z.Provider]; ok {
			continue
		}
		switch z.Provider {
		case "cloudflare":
			cfg := l.state.Providers.Cloudflare
			if cfg == nil {
				return nil, fmt.Errorf("zone %s uses provider cloudflare, but providers.cloudflare is not configured in the state", z.Name)
			}
			tok, err := secret.Resolve(cfg.APIToken)
			if err != nil {
				return nil, fmt.Errorf("cloudflare: api_token: %w", err)
			}
			p, err := cloudflare.New(cloudflare.Config{APIURL: cfg.APIURL, Token: tok, TokenRef: cfg.APIToken.String(), HTTPClient: hc})
			if err != nil {
				return nil, err
			}
			provs[z.Provider] = p
		default:
			return nil, fmt.Errorf("zone %s: unknown provider %q", z.Name, z.Provider)
		}
	}
	return &world{providers: provs, close: func() error { return nil }}, nil
}
