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
	"github.com/lagrieta/itlag/providers/cloudflare"
	"github.com/lagrieta/itlag/providers/cloudflare/cloudflaretest"
	"github.com/lagrieta/itlag/providers/godaddy"
	"github.com/lagrieta/itlag/providers/godaddy/godaddytest"
	"github.com/lagrieta/itlag/providers/nas"
	"github.com/lagrieta/itlag/providers/nas/remote"
	"github.com/lagrieta/itlag/providers/noip"
	"github.com/lagrieta/itlag/providers/noip/noiptest"
	"github.com/lagrieta/itlag/reconcile"
	"github.com/lagrieta/itlag/schema"
	"github.com/lagrieta/itlag/store"
)

// The fakes' credentials: not secrets, they guard nothing real.
const (
	token     = "sandbox-token"
	gdKey     = "sandbox-key"
	gdSecret  = "sandbox-secret"
	cfWorld   = "cloudflare.json"
	gdWorld   = "godaddy.json"
	noipWorld = "noip.json"
	noipUser  = "sandbox-user"
	noipPass  = "sandbox-pass"
	// PublicIP is the office's public address in the sandbox (its IP-echo
	// fake answers it); seeded NoIP hosts point at OldIP.
	PublicIP  = "203.0.113.50"
	OldIP     = "198.51.100.7"
	dirMode   = 0o700
	worldMode = 0o600
)

// fake is what the sandbox needs of a fake server.
type fake interface {
	MarshalState() ([]byte, error)
	UnmarshalState([]byte) error
	Close()
}

// Sandbox is a running set of fake providers.
type Sandbox struct {
	dir       string
	cf        *cloudflaretest.Server
	gd        *godaddytest.Server
	noip      *noiptest.Server
	echo      *noiptest.Echo
	db        *store.DB
	Providers map[string]providers.Provider
	// Seeded is true when this run created the world (first use of dir).
	Seeded bool
	// fresh holds the GoDaddy domains this run registered for their zone.
	fresh map[string]bool
}

// Open starts the fakes (Cloudflare, GoDaddy, NoIP and an IP echo, a NAS
// in a directory), loading their worlds from dir, or seeding them from
// desired when dir holds none yet; the state's policy.protected globs are
// left as declared by seeding. Zones, domains and hosts added to the state
// later are seeded when first seen. The local database is dir/itlag.db.
// hc is the shared HTTP client.
func Open(ctx context.Context, dir string, desired reconcile.Desired, st *schema.State, hc *http.Client) (*Sandbox, error) {
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	s := &Sandbox{
		dir:  dir,
		cf:   cloudflaretest.NewServer(cloudflaretest.Options{Token: token}),
		gd:   godaddytest.NewServer(godaddytest.Options{Key: gdKey, Secret: gdSecret}),
		noip: noiptest.NewServer(noiptest.Options{Username: noipUser, Password: noipPass}),
		echo: noiptest.NewEcho(PublicIP),
	}
	if err := s.open(ctx, desired, st, hc); err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

func (s *Sandbox) open(ctx context.Context, desired reconcile.Desired, st *schema.State, hc *http.Client) error {
	for name, f := range s.fakes() {
		seeded, err := load(filepath.Join(s.dir, name), f)
		if err != nil {
			return err
		}
		s.Seeded = s.Seeded || seeded
	}
	cf, err := cloudflare.New(cloudflare.Config{APIURL: s.cf.URL(), Token: token, HTTPClient: hc})
	if err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	gd, err := godaddy.New(godaddy.Config{APIURL: s.gd.URL(), Key: gdKey, Secret: gdSecret, HTTPClient: hc, RequestsPerMinute: -1})
	if err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	db, err := store.Open(filepath.Join(s.dir, store.DefaultFile))
	if err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	s.db = db
	nasProv, err := openNAS(s.dir, st)
	if err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	ncfg := noip.Config{APIURL: s.noip.URL(), Username: noipUser, Password: noipPass, UserAgent: "itlag-sandbox/1 sandbox@example.org",
		IPSources: []string{s.echo.URL()}, EchoClient: hc, Resolver: s.noip.Resolver(), DB: db}
	if st != nil && st.Providers.NoIP != nil && st.Providers.NoIP.IPFromNAS != nil {
		from := st.Providers.NoIP.IPFromNAS
		if _, ok := st.NAS[from.NAS]; !ok {
			return fmt.Errorf("sandbox: providers.noip.ip_from_nas: no NAS named %q in the state", from.NAS)
		}
		root := filepath.Join(s.dir, nasDir, from.NAS)
		name, run := nas.IPCommand(from.NAS, from.Interface, from.Command,
			func(context.Context) (remote.Transport, error) { return remote.Local{Root: root}, nil })
		ncfg.IPCommands = map[string]func(context.Context) (string, error){name: run}
	}
	np, err := noip.New(ncfg)
	if err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	s.Providers = map[string]providers.Provider{cf.Name(): cf, gd.Name(): gd, np.Name(): np, nasProv.Name(): nasProv}
	seedHosts(s.noip, desired)
	protected := []string(nil)
	if st != nil {
		protected = st.Policy.Protected
	}
	if err := seedMissing(ctx, s, desired, protected); err != nil {
		return fmt.Errorf("sandbox: seed: %w", err)
	}
	seedDomains(s.gd, desired, s.fresh)
	return nil
}

func (s *Sandbox) fakes() map[string]fake {
	return map[string]fake{cfWorld: s.cf, gdWorld: s.gd, noipWorld: s.noip}
}

// load reads one fake's world; seeded reports that there was none yet.
func load(path string, f fake) (seeded bool, err error) {
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		if err := f.UnmarshalState(b); err != nil {
			return false, fmt.Errorf("sandbox: %s: %w", path, err)
		}
		return false, nil
	case errors.Is(err, fs.ErrNotExist):
		return true, nil
	}
	return false, fmt.Errorf("sandbox: %w", err)
}

func (s *Sandbox) stop() {
	s.cf.Close()
	s.gd.Close()
	s.noip.Close()
	s.echo.Close()
	if s.db != nil {
		s.db.Close()
	}
}

// Close saves the fake worlds into the sandbox directory and stops the fakes.
func (s *Sandbox) Close() error {
	defer s.stop()
	var errs []error
	for name, f := range s.fakes() {
		b, err := f.MarshalState()
		if err == nil {
			err = writeAtomic(filepath.Join(s.dir, name), b)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("sandbox: save %s: %w", name, err))
		}
	}
	return errors.Join(errs...)
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
