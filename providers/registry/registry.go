package registry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/cloudflare"
	"github.com/lagrieta/itlag/providers/godaddy"
	"github.com/lagrieta/itlag/reconcile"
	"github.com/lagrieta/itlag/schema"
	"github.com/lagrieta/itlag/store"
)

// Entry is one provider: what it can do, how it is built, faked and
// imported from.
type Entry struct {
	// Name is the provider's name in the state and in addresses; its
	// providers' Name() returns it.
	Name string
	// Has is what its provider can do.
	Has Has
	// New builds the real provider from env; user says who needs it
	// ("zone lagrieta.es uses provider cloudflare"), for the message when
	// the state does not configure it.
	New func(env Env, user string) (providers.Provider, error)
	// Sandbox starts its fake for the sandbox, with the provider wired to
	// it. The fake's world is not loaded yet (see Persistent) and nothing
	// is seeded (see Fake.Seed).
	Sandbox func(env SandboxEnv) (Fake, error)
	// Import is what `itlag import NAME` reads; nil when nothing.
	Import *Import
}

// Has says what an entry's provider implements.
type Has struct {
	// DNS, when set, says the provider hosts DNS zones (providers.DNS) and
	// what its records can hold.
	DNS *providers.Capabilities
	// Registrar: it holds domain registrations (providers.Registrar).
	Registrar bool
	// Resources: it manages resources on targets (providers.ResourceProvider).
	Resources bool
}

// Import says what `itlag import NAME` reads from a provider.
type Import struct {
	// Zones: the records of zones it hosts (--zone ZONE, required unless
	// Domains). Needs Has.DNS.
	Zones bool
	// Domains: registrations (--domain DOMAIN; every domain of the account
	// when no --zone and no --domain is given). Needs Has.Registrar.
	Domains bool
}

// Env is what building a real provider may use.
type Env struct {
	State   *schema.State
	HTTP    *http.Client
	Secret  func(schema.CredentialRef) (string, error)
	DB      func() (*store.DB, error) // the local database, opened on first use
	Version string                    // itlag's version, for User-Agents
}

// Entries is every provider itlag knows, by name.
func Entries() []Entry {
	return []Entry{
		{
			Name:    "cloudflare",
			Has:     Has{DNS: ptr(cloudflare.Capabilities)},
			New:     newCloudflare,
			Sandbox: sandboxCloudflare,
			Import:  &Import{Zones: true},
		},
		{
			Name:    "godaddy",
			Has:     Has{DNS: ptr(godaddy.Capabilities), Registrar: true},
			New:     newGoDaddy,
			Sandbox: sandboxGoDaddy,
			Import:  &Import{Zones: true, Domains: true},
		},
		{
			Name:    "noip",
			Has:     Has{Resources: true},
			New:     newNoIP,
			Sandbox: sandboxNoIP,
		},
		{
			Name:    "nas",
			Has:     Has{Resources: true},
			New:     newNAS,
			Sandbox: sandboxNAS,
		},
	}
}

func ptr[T any](v T) *T { return &v }

// Lookup returns the entry named name.
func Lookup(name string) (Entry, bool) {
	i := slices.IndexFunc(Entries(), func(e Entry) bool { return e.Name == name })
	if i < 0 {
		return Entry{}, false
	}
	return Entries()[i], true
}

// Capabilities returns the record capabilities of every provider that
// hosts DNS zones, by name, for reconcile.DesiredFromState.
func Capabilities() providers.CapabilityTable {
	t := providers.CapabilityTable{}
	for _, e := range Entries() {
		if e.Has.DNS != nil {
			t[e.Name] = *e.Has.DNS
		}
	}
	return t
}

// Importable returns the names of the entries one can import from, in
// list order.
func Importable() []string {
	var names []string
	for _, e := range Entries() {
		if e.Import != nil {
			names = append(names, e.Name)
		}
	}
	return names
}

// Build builds the real provider named name; user says who needs it.
func Build(env Env, name, user string) (providers.Provider, error) {
	e, ok := Lookup(name)
	if !ok {
		return nil, fmt.Errorf("%s: unknown provider %q", user, name)
	}
	return e.New(env, user)
}

// Open builds the real providers that d uses (zones' DNS hosts, managed
// domains' registrars, resource sets' providers), each once, with the
// "zone X uses provider Y, but providers.Y is not configured in the state"
// messages. The returned func closes them.
func Open(ctx context.Context, env Env, d reconcile.Desired) (map[string]providers.Provider, func() error, error) {
	provs := map[string]providers.Provider{}
	closeAll := func() error {
		var errs []error
		for _, p := range provs {
			if c, ok := p.(io.Closer); ok {
				errs = append(errs, c.Close())
			}
		}
		return errors.Join(errs...)
	}
	need := func(name, user string) error {
		if _, ok := provs[name]; ok {
			return nil
		}
		p, err := Build(env, name, user)
		if err != nil {
			return err
		}
		provs[name] = p
		return nil
	}
	var err error
	for _, z := range d.Zones {
		if err == nil {
			err = need(z.Provider, "zone "+z.Name+" uses provider "+z.Provider)
		}
	}
	for _, dom := range d.Domains {
		if err == nil && dom.Managed() {
			err = need(dom.Registrar, "domain "+dom.Name+" uses registrar "+dom.Registrar)
		}
	}
	for _, set := range d.Resources {
		if err == nil {
			err = need(set.Provider, set.Key()+" uses provider "+set.Provider)
		}
	}
	if err != nil {
		closeAll()
		return nil, nil, err
	}
	return provs, closeAll, nil
}
