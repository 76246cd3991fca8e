package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/importer"
	"github.com/lagrieta/itlag/providers/registry"
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

func runImport(ctx context.Context, e *env, args []string) error {
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
		return exit(ExitError, errors.New("import: name one provider: cloudflare or godaddy (see itlag import --help)"))
	}
	prov := pos[0]
	switch {
	case prov != "cloudflare" && prov != "godaddy":
		return exit(ExitError, fmt.Errorf("import: unknown provider %q, want cloudflare or godaddy", prov))
	case prov == "cloudflare" && len(o.zones) == 0:
		return exit(ExitError, errors.New("import cloudflare: name the zone with --zone ZONE"))
	case prov == "cloudflare" && len(o.domains) > 0:
		return exit(ExitError, errors.New("import cloudflare: --domain is for registrars (godaddy)"))
	}
	if g.sandbox != "" {
		if err := os.MkdirAll(g.state, 0o755); err != nil {
			return exit(ExitError, fmt.Errorf("import: %w", err))
		}
	}
	l, err := load(e, g)
	if err != nil {
		return err
	}
	zones, err := canonical(o.zones)
	if err != nil {
		return exit(ExitError, fmt.Errorf("import: --zone: %w", err))
	}
	doms, err := canonical(o.domains)
	if err != nil {
		return exit(ExitError, fmt.Errorf("import: --domain: %w", err))
	}
	p, closeFn, err := importProvider(ctx, g, l, prov, zones, doms)
	if err != nil {
		return exit(ExitError, err)
	}
	im := importer_{e: e, g: g, l: l, force: o.force, header: fmt.Sprintf("Imported from %s by itlag import on %s.", prov, time.Now().UTC().Format(time.DateOnly))}
	var wrote int
	for _, z := range zones {
		n, err := im.zone(ctx, p, z)
		if err != nil {
			closeFn()
			return exit(ExitError, err)
		}
		wrote += n
	}
	if prov == "godaddy" && (len(doms) > 0 || len(zones) == 0) {
		n, err := im.domains(ctx, p, doms)
		if err != nil {
			closeFn()
			return exit(ExitError, err)
		}
		wrote += n
	}
	if err := closeFn(); err != nil {
		return exit(ExitError, err)
	}
	if wrote == 0 {
		fmt.Fprintln(e.stdout, "Nothing imported.")
		return nil
	}
	// What was written must load with the rest of the state.
	if _, err := load(e, g); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Next: itlag plan%s (it should show no changes for what was imported).\n", sandboxFlag(g))
	return nil
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

func canonical(names []string) ([]string, error) {
	var out []string
	for _, n := range names {
		c, err := providers.NormalizeZone(n)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out, nil
}

// importProvider opens the provider to import from: the real one from the
// state's settings, or the sandbox's fake with the zones it lacks created.
func importProvider(ctx context.Context, g *globals, l *loaded, name string, zones, doms []string) (providers.Provider, func() error, error) {
	if g.sandbox == "" {
		p, err := newProvider(name, "import "+name+" needs its credentials", l.state.Providers, httpClient())
		return p, func() error { return nil }, err
	}
	w, err := open(ctx, g, l)
	if err != nil {
		return nil, nil, err
	}
	for _, z := range zones {
		if err := w.sandbox.EnsureZone(ctx, name, z); err != nil {
			w.close()
			return nil, nil, err
		}
	}
	if name == "godaddy" {
		if err := w.sandbox.EnsureDomains(ctx, name, doms); err != nil {
			w.close()
			return nil, nil, err
		}
	}
	return w.providers[name], w.close, nil
}

// importer_ writes imported files into the state.
type importer_ struct {
	e      *env
	g      *globals
	l      *loaded
	force  bool
	header string
}

// zone imports one zone's records; it returns how many files it wrote.
func (im importer_) zone(ctx context.Context, p providers.Provider, zone string) (int, error) {
	rel := importer.ZonePath(zone)
	for _, z := range im.l.state.Zones {
		n, _ := providers.NormalizeZone(z.Name)
		if n != zone {
			continue
		}
		if !im.force || !samePath(im.g.state, z.Pos.File, rel) {
			return 0, fmt.Errorf("import: zone %s is already declared at %s:%d; remove it from the state first", zone, z.Pos.File, z.Pos.Line)
		}
	}
	dns, err := providers.DNSOf(p)
	if err != nil {
		return 0, fmt.Errorf("import %s: zone %s: %w", p.Name(), zone, err)
	}
	obs, err := dns.Observe(ctx, zone)
	if err != nil {
		return 0, fmt.Errorf("import %s: zone %s: %w", p.Name(), zone, err)
	}
	data, skipped, err := importer.Zone(p.Name(), registry.Capabilities().Of(p.Name()), zone, obs.Records, im.header)
	if err != nil {
		return 0, fmt.Errorf("import %s: zone %s: %w", p.Name(), zone, err)
	}
	if err := importer.Write(im.g.state, rel, data, im.force); err != nil {
		return 0, fmt.Errorf("import: %w", err)
	}
	fmt.Fprintf(im.e.stdout, "Wrote %s: zone %s, %d record(s) from %s.\n", filepath.Join(im.g.state, rel), zone, len(obs.Records)-len(skipped), p.Name())
	for _, s := range skipped {
		fmt.Fprintf(im.e.stdout, "  left unmanaged: %s %s %s (%s)\n", s.Record.Name, s.Record.Type, reconcile.ShortContent(s.Record.Content), s.Reason)
	}
	return 1, nil
}

// domains imports registrations: the named ones (one request each), or
// every one of the account from its list (pages only: the list carries the
// same fields).
func (im importer_) domains(ctx context.Context, p providers.Provider, names []string) (int, error) {
	reg, ok := p.(providers.Registrar)
	if !ok {
		return 0, fmt.Errorf("import: %s is not a registrar", p.Name())
	}
	var found []providers.Domain
	if len(names) == 0 {
		all, err := reg.Domains(ctx)
		if err != nil {
			return 0, fmt.Errorf("import %s: list domains: %w", p.Name(), err)
		}
		found = all
	}
	for _, n := range names {
		if im.declared(n) {
			found = append(found, providers.Domain{Name: n})
			continue
		}
		d, err := reg.Domain(ctx, n)
		if err != nil {
			return 0, fmt.Errorf("import %s: %w", p.Name(), err)
		}
		found = append(found, d)
	}
	var ds []providers.Domain
	for _, d := range found {
		if im.declared(d.Name) {
			fmt.Fprintf(im.e.stdout, "Skipped domain %s: the state already declares it.\n", d.Name)
			continue
		}
		ds = append(ds, d)
	}
	if len(ds) == 0 {
		return 0, nil
	}
	data, err := importer.Domains(p.Name(), ds, im.header)
	if err != nil {
		return 0, fmt.Errorf("import %s: %w", p.Name(), err)
	}
	rel := importer.DomainPath(p.Name())
	if err := importer.Write(im.g.state, rel, data, im.force); err != nil {
		return 0, fmt.Errorf("import: %w", err)
	}
	var list []string
	for _, d := range ds {
		list = append(list, d.Name)
	}
	fmt.Fprintf(im.e.stdout, "Wrote %s: %d domain(s) from %s: %s.\n", filepath.Join(im.g.state, rel), len(ds), p.Name(), strings.Join(list, ", "))
	return 1, nil
}

// declared reports whether the state declares the domain under any spelling.
func (im importer_) declared(name string) bool {
	for _, d := range im.l.desired.Domains {
		if d.Name == name {
			return true
		}
	}
	return false
}

func samePath(stateDir, file, rel string) bool {
	a, err1 := filepath.Abs(file)
	b, err2 := filepath.Abs(filepath.Join(stateDir, rel))
	return err1 == nil && err2 == nil && a == b
}
