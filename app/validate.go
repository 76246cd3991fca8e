package app

import (
	"context"
	"errors"
	"strings"

	"github.com/lagrieta/itlag/providers/registry"
	"github.com/lagrieta/itlag/reconcile"
	"github.com/lagrieta/itlag/schema"
)

// Validation is what validating a state directory found: its size, or
// every problem, one per line (file:line:col: path: message).
type Validation struct {
	Valid    bool     `json:"valid"`
	Files    int      `json:"files"`
	Zones    int      `json:"zones"`
	Records  int      `json:"records"`
	Problems []string `json:"problems"`
}

// Validate checks the state directory against the schema and the
// engine's own rules, talking to no provider.
func Validate(stateDir string) Validation {
	return ValidateContext(context.Background(), Options{StateDir: stateDir})
}

// ValidateContext is Validate of opts.StateDir, read with opts'
// MaxStateFile; when ctx ends (a signal, a --timeout) the load stops and
// the problem says it was interrupted.
func ValidateContext(ctx context.Context, opts Options) Validation {
	res := Validation{Problems: []string{}}
	st, err := schema.LoadContext(ctx, opts.StateDir, opts.loadOptions(false))
	if err == nil {
		res.Files, res.Zones = len(st.Files), len(st.Zones)
		for _, z := range st.Zones {
			res.Records += len(z.Records)
		}
		if _, derr := reconcile.DesiredFromState(st, registry.Capabilities()); derr != nil {
			err = derr
		}
	}
	var errs schema.Errors
	switch {
	case err == nil:
		res.Valid = true
	case errors.As(err, &errs):
		for _, p := range errs {
			res.Problems = append(res.Problems, p.String())
		}
	default:
		for _, l := range strings.Split(err.Error(), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				res.Problems = append(res.Problems, l)
			}
		}
	}
	return res
}
