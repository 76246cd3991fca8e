package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/lagrieta/itlag/app"
	"github.com/lagrieta/itlag/reconcile"
)

const importHelp = `Usage: itlag import cloudflare --zone ZONE [--zone ZONE]... [--force]
       itlag import godaddy [--domain DOMAIN]... [--zone ZONE]... [--force]

Reads what already exists at a provider and writes it into the state
directory as YAML, so that "itlag plan" right after shows no changes:

  cloudflare --zone Z   the records of zone Z          → dns/Z.yaml
  godaddy --zone Z      the records of a zone GoDaddy hosts → dns/Z.yaml
  godaddy [--domain D]  registrar settings (auto-renew, lock, nameservers,
                        expiry) of D, or of every domain of the account
                                                       → domains/godaddy.yaml

An existing file is never overwritten without --force. A zone or domain the
state already declares elsewhere is not imported again. Live records the
state format cannot express (a TTL under 60 s, a comment over 100
characters) are covered by an unmanaged rule, so that no plan deletes them.

The provider's credentials come from the state's providers section (write
providers.yaml first), or from the fakes with --sandbox; in the sandbox a zone
the fake does not hold yet is created with a few sample records.
`

type importOpts struct {
	zones, domains listFlag
	force          bool
}

func runImport(ctx context.Context, e *env, args []string) (err error) {
	fs, g := newFlags(e, "import", importHelp)
	var o importOpts
	fs.Var(&o.zones, "zone", "import the records of `ZONE` (repeatable)")
	fs.Var(&o.domains, "domain", "godaddy: import the registration of `DOMAIN` (repeatable; default every domain)")
	fs.BoolVar(&o.force, "force", false, "overwrite files that exist")
	pos, err := parse(fs, g, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return exit(ExitError, fmt.Errorf("import: name one provider: %s (see itlag import --help)", strings.Join(app.ImportProviders(), " or ")))
	}
	opts := app.ImportOptions{Provider: pos[0], Zones: o.zones, Domains: o.domains, Force: o.force,
		Progress: progressFor(e, g.format)}
	if err := opts.Check(); err != nil {
		return exit(ExitError, err)
	}
	rt, err := app.LoadForImport(g.options())
	if err != nil {
		return exitFor(e, err)
	}
	defer closeRuntime(rt, &err)
	res, err := rt.Import(ctx, opts)
	printImport(e, res)
	if err != nil {
		return exit(ExitError, err)
	}
	if res.Wrote() == 0 {
		fmt.Fprintln(e.stdout, "Nothing imported.")
		return nil
	}
	// What was written must load with the rest of the state.
	if _, err := openRuntime(e, g); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Next: itlag plan%s (it should show no changes for what was imported).\n", sandboxFlag(g))
	return nil
}

// printImport says what Import wrote and left out.
func printImport(e *env, res app.ImportResult) {
	for _, z := range res.Zones {
		fmt.Fprintf(e.stdout, "Wrote %s: zone %s, %d record(s) from %s.\n", z.Path, z.Zone, z.Records, z.Provider)
		for _, s := range z.Unmanaged {
			fmt.Fprintf(e.stdout, "  left unmanaged: %s %s %s (%s)\n", s.Record.Name, s.Record.Type, reconcile.ShortContent(s.Record.Content), s.Reason)
		}
	}
	for _, d := range res.SkippedDomains {
		fmt.Fprintf(e.stdout, "Skipped domain %s: the state already declares it.\n", d)
	}
	if d := res.Domains; d != nil {
		fmt.Fprintf(e.stdout, "Wrote %s: %d domain(s) from %s: %s.\n", d.Path, len(d.Domains), d.Provider, strings.Join(d.Domains, ", "))
	}
}

func sandboxFlag(g *globals) string {
	s := ""
	if g.state != "infra-state" {
		s += " --state " + g.state
	}
	if g.sandbox != "" {
		s += " --sandbox " + g.sandbox
	}
	return s
}
