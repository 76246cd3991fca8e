package secret

import (
	"fmt"
	"os"
	"strings"
	"sync"

	"filippo.io/age"

	"github.com/lagrieta/itlag/schema"
	"github.com/lagrieta/itlag/schema/secret/agefile"
)

// Resolver resolves every kind of reference, age ones included: each
// secrets file is decrypted once, in memory, on first use, and its values
// kept for the Resolver's life (one command). It is safe for concurrent
// use.
type Resolver struct {
	// StateDir is the state directory age references are relative to.
	StateDir string
	// Getenv reads the identity variables (agefile.EnvIdentity,
	// agefile.EnvIdentityFile); nil is os.Getenv.
	Getenv func(string) string

	mu    sync.Mutex
	ids   []age.Identity
	idErr error
	files map[string]ageFile
}

// ageFile is one decrypted secrets file: its values, or why not.
type ageFile struct {
	values map[string]string
	err    error
}

// Resolve reads the secret ref points at (see the package-level Resolve
// for env and file references).
func (r *Resolver) Resolve(ref schema.CredentialRef) (string, error) {
	if ref.Age == "" {
		return Resolve(ref)
	}
	if ref.Env != "" || ref.File != "" {
		return "", fmt.Errorf("credential %s: set one of env, file or age", ref)
	}
	if ref.Key == "" {
		return "", fmt.Errorf("credential %s: age needs key: NAME beside it", ref)
	}
	f := r.file(ref.Age)
	if f.err != nil {
		return "", fmt.Errorf("credential %s: %w", ref, f.err)
	}
	v, ok := f.values[ref.Key]
	if !ok {
		return "", fmt.Errorf("credential %s: %s has no key %s (add it with: itlag secrets set %s %s)", ref, ref.Age, ref.Key, ref.Age, ref.Key)
	}
	if v = strings.TrimSpace(v); v == "" {
		return "", fmt.Errorf("credential %s: is empty", ref)
	}
	return v, nil
}

// Values returns the decrypted values of the secrets file name (cached).
// The caller must not change the map.
func (r *Resolver) Values(name string) (map[string]string, error) {
	f := r.file(name)
	return f.values, f.err
}

func (r *Resolver) file(name string) ageFile {
	r.mu.Lock()
	defer r.mu.Unlock()
	if f, ok := r.files[name]; ok {
		return f
	}
	if r.files == nil {
		r.files = map[string]ageFile{}
	}
	f := r.decrypt(name)
	r.files[name] = f
	return f
}

// decrypt reads name with the identities, read once.
func (r *Resolver) decrypt(name string) ageFile {
	if r.ids == nil && r.idErr == nil {
		getenv := r.Getenv
		if getenv == nil {
			getenv = os.Getenv
		}
		r.ids, r.idErr = agefile.IdentitiesFromEnv(getenv)
	}
	if r.idErr != nil {
		return ageFile{err: fmt.Errorf("%s: %w", name, r.idErr)}
	}
	data, err := agefile.ReadFile(r.StateDir, name)
	if err != nil {
		return ageFile{err: err}
	}
	plain, err := agefile.Decrypt(name, data, r.ids)
	if err != nil {
		return ageFile{err: err}
	}
	vals, err := agefile.Parse(plain)
	clear(plain)
	if err != nil {
		return ageFile{err: fmt.Errorf("%s: %w", name, err)}
	}
	return ageFile{values: vals}
}
