package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/lagrieta/itlag/providers/registry"
	"github.com/lagrieta/itlag/reconcile"
	"github.com/lagrieta/itlag/schema"
)

const validateHelp = `Usage: itlag validate [flags]

Checks every YAML file of the state directory against the embedded schema
and prints all problems at once, one per line:

  file:line:col: path: what is wrong, what is allowed

It talks to no provider. With --format json it prints
{"valid": bool, "files": N, "zones": N, "records": N, "problems": [...]}.
`

func runValidate(_ context.Context, e *env, args []string) error {
	fs, g := newFlags(e, "validate", validateHelp)
	pos, err := parse(fs, g, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return exit(ExitError, fmt.Errorf("validate: unexpected argument %q (the state directory is given with --state)", pos[0]))
	}
	if g.format == "json" {
		return validateJSON(e, g)
	}
	l, err := load(e, g)
	if err != nil {
		return err
	}
	records := 0
	for _, z := range l.desired.Zones {
		records += len(z.Records)
	}
	extra := ""
	if n := len(l.desired.Domains); n > 0 {
		extra += fmt.Sprintf(", %d domain(s)", n)
	}
	if n := len(l.desired.Subscriptions); n > 0 {
		extra += fmt.Sprintf(", %d subscription(s)", n)
	}
	fmt.Fprintf(e.stdout, "%s is valid: %d file(s), %d zone(s), %d record(s)%s.\n", g.state, len(l.state.Files), len(l.desired.Zones), records, extra)
	return nil
}

type validateResult struct {
	Valid    bool     `json:"valid"`
	Files    int      `json:"files"`
	Zones    int      `json:"zones"`
	Records  int      `json:"records"`
	Problems []string `json:"problems"`
}

func validateJSON(e *env, g *globals) error {
	res := validateResult{Problems: []string{}}
	st, err := schema.Load(g.state)
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
		res.Problems = append(res.Problems, splitLines(err.Error())...)
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(res); err != nil {
		return err
	}
	if !res.Valid {
		return exit(ExitInvalid, errSilent)
	}
	return nil
}
