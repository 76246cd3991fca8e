package app

import (
	"context"

	"github.com/lagrieta/itlag/app/sandbox"
	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/registry"
	"github.com/lagrieta/itlag/reconcile"
)

// openProviders wires every provider d uses: the sandbox's fakes, or the
// real ones the registry builds from the state's settings. The returned
// function closes them (the sandbox saves its fake worlds).
func (rt *Runtime) openProviders(ctx context.Context, d reconcile.Desired) (map[string]providers.Provider, func() error, error) {
	if rt.Sandboxed() {
		db, err := rt.DB()
		if err != nil {
			return nil, nil, err
		}
		sb, err := sandbox.Open(ctx, rt.Opts.Sandbox, d, rt.State, rt.HTTPClient(), db)
		if err != nil {
			return nil, nil, err
		}
		rt.sb = sb
		return sb.Providers, sb.Close, nil
	}
	return registry.Open(ctx, rt.providerEnv(), d)
}

// providerEnv is what the registry builds real providers with.
func (rt *Runtime) providerEnv() registry.Env {
	return registry.Env{State: rt.State, HTTP: rt.HTTPClient(), Secret: rt.Secret, DB: rt.DB,
		Version: rt.Opts.Version}
}
