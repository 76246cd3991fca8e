package cli

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/lagrieta/itlag/app"
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
	rt, err := openRuntime(e, g)
	if err != nil {
		return err
	}
	records := 0
	for _, z := range rt.Desired.Zones {
		records += len(z.Records)
	}
	extra := ""
	if n := len(rt.Desired.Domains); n > 0 {
		extra += fmt.Sprintf(", %d domain(s)", n)
	}
	if n := len(rt.Desired.Subscriptions); n > 0 {
		extra += fmt.Sprintf(", %d subscription(s)", n)
	}
	fmt.Fprintf(e.stdout, "%s is valid: %d file(s), %d zone(s), %d record(s)%s.\n", g.state, len(rt.State.Files), len(rt.Desired.Zones), records, extra)
	return nil
}

func validateJSON(e *env, g *globals) error {
	ctx := e.ctx
	if ctx == nil { // an env made by a test
		ctx = context.Background()
	}
	res := app.ValidateContext(ctx, g.options())
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
