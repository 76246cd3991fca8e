package registry

import (
	"context"
	"fmt"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/cloudflare"
	"github.com/lagrieta/itlag/providers/cloudflare/cloudflaretest"
	"github.com/lagrieta/itlag/reconcile"
)

func newCloudflare(env Env, user string) (providers.Provider, error) {
	c := env.State.Providers.Cloudflare
	if c == nil {
		return nil, fmt.Errorf("%s, but providers.cloudflare is not configured in the state", user)
	}
	tok, err := env.Secret(c.APIToken)
	if err != nil {
		return nil, fmt.Errorf("cloudflare: api_token: %w", err)
	}
	return cloudflare.New(cloudflare.Config{APIURL: c.APIURL, Token: tok, TokenRef: c.APIToken.String(), HTTPClient: env.HTTP})
}

// sandboxToken is the Cloudflare fake's token: not a secret, it guards
// nothing real.
const sandboxToken = "sandbox-token"

// cloudflareFake is the Cloudflare API fake, its world in cloudflare.json.
type cloudflareFake struct {
	*cloudflaretest.Server
	dnsSeeder
}

func sandboxCloudflare(env SandboxEnv) (Fake, error) {
	srv := cloudflaretest.NewServer(cloudflaretest.Options{Token: sandboxToken})
	p, err := cloudflare.New(cloudflare.Config{APIURL: srv.URL(), Token: sandboxToken, HTTPClient: env.HTTP})
	if err != nil {
		srv.Close()
		return nil, err
	}
	return &cloudflareFake{Server: srv, dnsSeeder: dnsSeeder{p: p, caps: cloudflare.Capabilities,
		addZone: func(z string) { srv.AddZone(z) }, hasZone: srv.HasZone}}, nil
}

func (f *cloudflareFake) Provider() providers.Provider { return f.p }
func (f *cloudflareFake) WorldFile() string            { return "cloudflare.json" }

func (f *cloudflareFake) Seed(ctx context.Context, d reconcile.Desired, protected []string) error {
	return f.seedZones(ctx, d, protected)
}
