package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/registry"
	"github.com/lagrieta/itlag/reconcile"
	"github.com/lagrieta/itlag/schema"
	"github.com/lagrieta/itlag/store"
)

const (
	// PublicIP is the office's public address in the sandbox (its IP-echo
	// fake answers it); seeded NoIP hosts point at OldIP.
	PublicIP  = registry.SandboxPublicIP
	OldIP     = registry.SandboxOldIP
	dirMode   = 0o700
	worldMode = 0o600
)

// Sandbox is a running set of fake providers.
type Sandbox struct {
	dir   string
	fakes map[string]registry.Fake // by provider name
	order []string                 // provider names, in registry order
	db    *store.DB
	ownDB bool // the sandbox opened db and closes it
	// Providers are the providers wired to the fakes, by name.
	Providers map[string]providers.Provider
	// Seeded is true when this run created the world (first use of dir).
	Seeded bool
	// net is the network fakes, once Network started them.
	net *sbnet
	// loaded holds, for each Tracked fake whose world was read from its
	// file, its change count right after reading it: Close saves that
	// world only when the count moved.
	loaded map[string]uint64
}

// Open starts the fake of every provider the registry lists (Cloudflare,
// GoDaddy, NoIP and an IP echo, a NAS in a directory), loading their
// worlds from dir, or seeding them from desired when dir holds none yet;
// the state's policy.protected globs are left as declared by seeding.
// Zones, domains and hosts added to the state later are seeded when first
// seen. hc is the shared HTTP client; db is the local database (the
// runtime's, dir/itlag.db), or nil for the sandbox to open dir/itlag.db
// itself.
func Open(ctx context.Context, dir string, desired reconcile.Desired, st *schema.State, hc *http.Client, db *store.DB) (*Sandbox, error) {
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	s := &Sandbox{dir: dir, fakes: map[string]registry.Fake{}, Providers: map[string]providers.Provider{}, db: db,
		loaded: map[string]uint64{}}
	if err := s.open(ctx, desired, st, hc); err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

func (s *Sandbox) open(ctx context.Context, desired reconcile.Desired, st *schema.State, hc *http.Client) error {
	if s.db == nil {
		db, err := store.Open(filepath.Join(s.dir, store.DefaultFile))
		if err != nil {
			return fmt.Errorf("sandbox: %w", err)
		}
		s.db, s.ownDB = db, true
	}
	env := registry.SandboxEnv{Dir: s.dir, State: st, HTTP: hc, DB: s.db}
	for _, e := range registry.Entries() {
		f, err := e.Sandbox(env)
		if err != nil {
			return fmt.Errorf("sandbox: %w", err)
		}
		s.fakes[e.Name], s.order = f, append(s.order, e.Name)
		s.Providers[e.Name] = f.Provider()
		if w, ok := f.(registry.Persistent); ok {
			seeded, err := load(filepath.Join(s.dir, w.WorldFile()), w)
			if err != nil {
				return err
			}
			s.Seeded = s.Seeded || seeded
			if t, ok := f.(registry.Tracked); ok && !seeded {
				s.loaded[e.Name] = t.Changes()
			}
		}
	}
	protected := []string(nil)
	if st != nil {
		protected = st.Policy.Protected
	}
	for _, name := range s.order {
		if err := s.fakes[name].Seed(ctx, desired, protected); err != nil {
			return fmt.Errorf("sandbox: seed: %w", err)
		}
	}
	return nil
}

// load reads one fake's world; seeded reports that there was none yet.
func load(path string, w registry.Persistent) (seeded bool, err error) {
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		if err := w.UnmarshalState(b); err != nil {
			return false, fmt.Errorf("sandbox: %s: %w", path, err)
		}
		return false, nil
	case errors.Is(err, fs.ErrNotExist):
		return true, nil
	}
	return false, fmt.Errorf("sandbox: %w", err)
}

func (s *Sandbox) stop() {
	if s.net != nil {
		s.net.close()
	}
	for _, f := range s.fakes {
		f.Close()
	}
	if s.ownDB {
		s.db.Close()
	}
}

// Close saves the fake worlds into the sandbox directory and stops the
// fakes. A world read from its file and unchanged since (a Tracked fake
// whose count did not move) is not written again.
func (s *Sandbox) Close() error {
	defer s.stop()
	var errs []error
	for _, name := range s.order {
		w, ok := s.fakes[name].(registry.Persistent)
		if !ok || s.unchanged(name) {
			continue
		}
		b, err := w.MarshalState()
		if err == nil {
			err = writeAtomic(filepath.Join(s.dir, w.WorldFile()), b)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("sandbox: save %s: %w", w.WorldFile(), err))
		}
	}
	return errors.Join(errs...)
}

// unchanged reports whether the named fake's world is the one read from
// its file.
func (s *Sandbox) unchanged(name string) bool {
	t, ok := s.fakes[name].(registry.Tracked)
	if !ok {
		return false
	}
	n, loaded := s.loaded[name]
	return loaded && t.Changes() == n
}

func writeAtomic(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(worldMode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
