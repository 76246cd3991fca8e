package cli

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/lagrieta/itlag/app"
	"github.com/lagrieta/itlag/reconcile"
)

// options are the runtime options the global flags give.
func (g *globals) options() app.Options {
	return app.Options{StateDir: g.state, Sandbox: g.sandbox, DataDir: g.dataDir, Version: version(), MaxStateFile: g.maxStateFile}
}

// openRuntime loads the state. Problems are printed one per line on stderr
// and turn into exit code 3: a broken file never reaches a provider.
func openRuntime(e *env, g *globals) (*app.Runtime, error) {
	ctx := e.ctx
	if ctx == nil { // an env made by a test
		ctx = context.Background()
	}
	rt, err := app.LoadContext(ctx, g.options())
	if err != nil {
		return nil, exitFor(e, err)
	}
	return rt, nil
}

// exitFor is the exit for a use case's error: 3 for an *app.InvalidError
// (its problems printed on stderr, one per line), 1 for anything else.
func exitFor(e *env, err error) error {
	var ie *app.InvalidError
	if !errors.As(err, &ie) {
		return exit(ExitError, err)
	}
	for _, p := range ie.Problems {
		fmt.Fprintln(e.stderr, p.String())
	}
	if len(ie.Problems) == 0 && ie.StateDir != "" {
		fmt.Fprintln(e.stderr, ie.Err)
	}
	return exit(ExitInvalid, ie)
}

// closeRuntime closes rt, keeping the first error.
func closeRuntime(rt *app.Runtime, err *error) {
	if cerr := rt.Close(); cerr != nil && *err == nil {
		*err = exit(ExitError, cerr)
	}
}

// warnSkipped says, once per provider and in one line on stderr, that a
// provider denied access and itlag works from the declared data.
func warnSkipped(e *env, o reconcile.Observed) {
	seen := map[string]bool{}
	for _, k := range slices.Sorted(maps.Keys(o.Skipped)) {
		prov, _, _ := strings.Cut(k, ":")
		if seen[prov] {
			continue
		}
		seen[prov] = true
		fmt.Fprintf(e.stderr, "itlag: warning: %s; working from what the state declares\n", o.Skipped[k])
	}
}

// noteSecurity prints, one line each on stderr, which security checks
// could not look and why (under --sandbox: the targets off loopback).
func noteSecurity(e *env, notes []string) {
	for _, n := range notes {
		fmt.Fprintf(e.stderr, "itlag: security: %s\n", n)
	}
}
