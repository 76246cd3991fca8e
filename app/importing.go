package app

import (
	"context"
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

// ImportOptions say what Import reads.
type ImportOptions struct {
	// Provider is the registry name to import from ("cloudflare").
	Provider string
	// Zones are zones whose records to import; Domains registrations (a
	// registrar's; none and no Zones: every domain of the account). Any
	// spelling: they are made canonical.
	Zones, Domains []string
	// Force overwrites files that exist.
	Force bool
	// Now dates the files' header; zero is time.Now.
	Now time.Time
	// Progress (nil: none) hears the "import" task: one step per zone
	// read and written, per named domain, or one for the account's
	// list of domains.
	Progress Progress
}

// ImportResult is what Import wrote and left out, in order.
type ImportResult struct {
	Zones []ImportedZone
	// SkippedDomains are registrations the state already declares.
	SkippedDomains []string
	// Domains is the registrations file written, nil when none.
	Domains *ImportedDomains
}

// Wrote is the number of files written.
func (r ImportResult) Wrote() int {
	n := len(r.Zones)
	if r.Domains != nil {
		n++
	}
	return n
}

// ImportedZone is one zone file written.
type ImportedZone struct {
	Path, Zone, Provider string
	// Records is how many records the file declares.
	Records int
	// Unmanaged are live records the state format cannot express, covered
	// by an unmanaged rule instead.
	Unmanaged []importer.Skipped
}

// ImportedDomains is the registrations file written.
type ImportedDomains struct {
	Path, Provider string
	Domains        []string
}

// UsageError is an import asked for in a way the provider does not
// support (an unknown provider, --domain at a DNS host…).
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// Import reads what already exists at a provider (or its sandbox fake,
// where a zone the fake lacks is created with a few sample records) and
// writes it into the state directory as YAML, so that a plan right after
// shows no changes. It prints nothing; on error the result holds what was
// written before it. A usage mistake is a *UsageError.
func (rt *Runtime) Import(ctx context.Context, o ImportOptions) (ImportResult, error) {
	var res ImportResult
	e, err := importEntry(o)
	if err != nil {
		return res, err
	}
	zones, err := canonical(o.Zones)
	if err != nil {
		return res, fmt.Errorf("import: --zone: %w", err)
	}
	doms, err := canonical(o.Domains)
	if err != nil {
		return res, fmt.Errorf("import: --domain: %w", err)
	}
	p, closeFn, err := rt.importProvider(ctx, e, zones, doms)
	if err != nil {
		return res, err
	}
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	im := importing{rt: rt, force: o.Force, header: fmt.Sprintf("Imported from %s by itlag import on %s.", e.Name, now.UTC().Format(time.DateOnly)),
		prog: progressOr(o.Progress)}
	withDomains := e.Import.Domains && (len(doms) > 0 || len(zones) == 0)
	steps := len(zones)
	if withDomains {
		steps += max(len(doms), 1)
	}
	im.prog.Start("import "+e.Name, steps)
	defer im.prog.Done()
	for _, z := range zones {
		im.prog.Phase(z)
		iz, err := im.zone(ctx, p, z)
		if err != nil {
			closeFn()
			return res, err
		}
		res.Zones = append(res.Zones, iz)
		im.prog.Add(1)
	}
	if withDomains {
		im.prog.Phase("domains")
		if err := im.domains(ctx, p, doms, &res); err != nil {
			closeFn()
			return res, err
		}
	}
	return res, closeFn()
}

// LoadForImport is Load for an import, which may start from nothing: a
// state directory without state files is an empty state, and in the
// sandbox one that does not exist yet is created.
func LoadForImport(opts Options) (*Runtime, error) {
	if opts.Sandbox != "" {
		if err := os.MkdirAll(opts.StateDir, 0o755); err != nil {
			return nil, fmt.Errorf("import: %w", err)
		}
	}
	return load(context.Background(), opts, true)
}

// Check reports a usage mistake in o (a *UsageError) before anything is
// loaded or read.
func (o ImportOptions) Check() error {
	_, err := importEntry(o)
	return err
}

// ImportProviders are the providers one can import from, in registry order.
func ImportProviders() []string { return registry.Importable() }

// importEntry finds the registry entry to import from and checks the
// options fit what it imports.
func importEntry(o ImportOptions) (registry.Entry, error) {
	names := registry.Importable()
	e, ok := registry.Lookup(o.Provider)
	if !ok || e.Import == nil {
		return e, &UsageError{fmt.Sprintf("import: unknown provider %q, want %s", o.Provider, strings.Join(names, " or "))}
	}
	var registrars, hosts []string
	for _, n := range names {
		r, _ := registry.Lookup(n)
		if r.Import.Domains {
			registrars = append(registrars, n)
		}
		if r.Import.Zones {
			hosts = append(hosts, n)
		}
	}
	switch {
	case !e.Import.Domains && len(o.Zones) == 0:
		return e, &UsageError{"import " + e.Name + ": name the zone with --zone ZONE"}
	case !e.Import.Domains && len(o.Domains) > 0:
		return e, &UsageError{"import " + e.Name + ": --domain is for registrars (" + strings.Join(registrars, ", ") + ")"}
	case !e.Import.Zones && len(o.Zones) > 0:
		return e, &UsageError{"import " + e.Name + ": --zone is for DNS hosts (" + strings.Join(hosts, ", ") + ")"}
	}
	return e, nil
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
// state's settings, or the sandbox's fake with the zones (and, for a
// registrar, the domains) it lacks created.
func (rt *Runtime) importProvider(ctx context.Context, e registry.Entry, zones, doms []string) (providers.Provider, func() error, error) {
	if !rt.Sandboxed() {
		p, err := e.New(rt.providerEnv(), "import "+e.Name+" needs its credentials")
		return p, func() error { return nil }, err
	}
	provs, err := rt.Providers(ctx)
	if err != nil {
		return nil, nil, err
	}
	sb := rt.SandboxWorld()
	err = nil
	for _, z := range zones {
		if err == nil {
			err = sb.EnsureZone(ctx, e.Name, z)
		}
	}
	if err == nil && e.Import.Domains {
		err = sb.EnsureDomains(ctx, e.Name, doms)
	}
	if err != nil {
		rt.CloseProviders()
		return nil, nil, err
	}
	return provs[e.Name], rt.CloseProviders, nil
}

// importing writes imported files into the state.
type importing struct {
	rt     *Runtime
	force  bool
	header string
	prog   Progress
}

// zone imports one zone's records.
func (im importing) zone(ctx context.Context, p providers.Provider, zone string) (ImportedZone, error) {
	stateDir := im.rt.Opts.StateDir
	rel := importer.ZonePath(zone)
	for _, z := range im.rt.State.Zones {
		n, _ := providers.NormalizeZone(z.Name)
		if n != zone {
			continue
		}
		if !im.force || !samePath(stateDir, z.Pos.File, rel) {
			return ImportedZone{}, fmt.Errorf("import: zone %s is already declared at %s:%d; remove it from the state first", zone, z.Pos.File, z.Pos.Line)
		}
	}
	dns, err := providers.DNSOf(p)
	if err != nil {
		return ImportedZone{}, fmt.Errorf("import %s: zone %s: %w", p.Name(), zone, err)
	}
	obs, err := dns.Observe(ctx, zone)
	if err != nil {
		return ImportedZone{}, fmt.Errorf("import %s: zone %s: %w", p.Name(), zone, err)
	}
	data, skipped, err := importer.Zone(p.Name(), registry.Capabilities().Of(p.Name()), zone, obs.Records, im.header)
	if err != nil {
		return ImportedZone{}, fmt.Errorf("import %s: zone %s: %w", p.Name(), zone, err)
	}
	if err := importer.Write(stateDir, rel, data, im.force); err != nil {
		return ImportedZone{}, fmt.Errorf("import: %w", err)
	}
	return ImportedZone{Path: filepath.Join(stateDir, rel), Zone: zone, Provider: p.Name(),
		Records: len(obs.Records) - len(skipped), Unmanaged: skipped}, nil
}

// domains imports registrations: the named ones (one request each), or
// every one of the account from its list (pages only: the list carries the
// same fields), counting one step per named domain, or one for the list.
func (im importing) domains(ctx context.Context, p providers.Provider, names []string, res *ImportResult) error {
	reg, ok := p.(providers.Registrar)
	if !ok {
		return fmt.Errorf("import: %s is not a registrar", p.Name())
	}
	var found []providers.Domain
	if len(names) == 0 {
		all, err := reg.Domains(ctx)
		if err != nil {
			return fmt.Errorf("import %s: list domains: %w", p.Name(), err)
		}
		found = all
		im.prog.Add(1)
	}
	for _, n := range names {
		if im.declared(n) {
			found = append(found, providers.Domain{Name: n})
			im.prog.Add(1)
			continue
		}
		d, err := reg.Domain(ctx, n)
		if err != nil {
			return fmt.Errorf("import %s: %w", p.Name(), err)
		}
		found = append(found, d)
		im.prog.Add(1)
	}
	var ds []providers.Domain
	for _, d := range found {
		if im.declared(d.Name) {
			res.SkippedDomains = append(res.SkippedDomains, d.Name)
			continue
		}
		ds = append(ds, d)
	}
	if len(ds) == 0 {
		return nil
	}
	data, err := importer.Domains(p.Name(), ds, im.header)
	if err != nil {
		return fmt.Errorf("import %s: %w", p.Name(), err)
	}
	rel := importer.DomainPath(p.Name())
	if err := importer.Write(im.rt.Opts.StateDir, rel, data, im.force); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	out := &ImportedDomains{Path: filepath.Join(im.rt.Opts.StateDir, rel), Provider: p.Name()}
	for _, d := range ds {
		out.Domains = append(out.Domains, d.Name)
	}
	res.Domains = out
	return nil
}

// declared reports whether the state declares the domain under any spelling.
func (im importing) declared(name string) bool {
	return slices.ContainsFunc(im.rt.Desired.Domains, func(d reconcile.Domain) bool { return d.Name == name })
}

func samePath(stateDir, file, rel string) bool {
	a, err1 := filepath.Abs(file)
	b, err2 := filepath.Abs(filepath.Join(stateDir, rel))
	return err1 == nil && err2 == nil && a == b
}
