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
	"github.com/lagrieta/itlag/reconcile"
)

// token is the fake's bearer token: not a secret, it guards nothing real.
const token = "sandbox-token"

const cloudflareWorld = "cloudflare.json"

// Sandbox is a running set of fake providers.
type Sandbox struct {
	dir       string
	cf        *cloudflaretest.Server
	Providers map[string]providers.Provider
	// Seeded is true when this run created the world (first use of dir).
	Seeded bool
}

// Open starts the fakes, loading their world from dir, or seeding it from
// desired when dir holds none yet; protected are the policy's protected
// address globs, which seeding leaves as declared. hc is the shared HTTP client.
func Open(ctx context.Context, dir string, desired reconcile.Desired, protected []string, hc *http.Client) (*Sandbox, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	s := &Sandbox{dir: dir, cf: cloudflaretest.NewServer(cloudflaretest.Options{Token: token})}
	b, err := os.ReadFile(filepath.Join(dir, cloudflareWorld))
	switch {
	case err == nil:
		if err := s.cf.UnmarshalState(b); err != nil {
			s.cf.Close()
			return nil, fmt.Errorf("sandbox: %s: %w", filepath.Join(dir, cloudflareWorld), err)
		}
	case errors.Is(err, fs.ErrNotExist):
		s.Seeded = true
	default:
		s.cf.Close()
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	cf, err := cloudflare.New(cloudflare.Config{APIURL: s.cf.URL(), Token: token, HTTPClient: hc})
	if err != nil {
		s.cf.Close()
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	// Zones added to the state after the world was seeded get seeded too.
	if err := seedMissing(ctx, s.cf, cf, desired, protected); err != nil {
		s.cf.Close()
		return nil, fmt.Errorf("sandbox: seed: %w", err)
	}
	s.Providers = map[string]providers.Provider{cf.Name(): cf}
	return s, nil
}

// Close saves the fake world into the sandbox directory and stops the fakes.
func (s *Sandbox) Close() error {
	defer s.cf.Close()
	b, err := s.cf.MarshalState()
	if err != nil {
		return fmt.Errorf("sandbox: save: %w", err)
	}
	return writeAtomic(filepath.Join(s.dir, cloudflareWorld), b)
}

func writeAtomic(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return fmt.Errorf("sandbox: save: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("sandbox: save: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("sandbox: save: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("sandbox: save: %w", err)
	}
	return nil
}
