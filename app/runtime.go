package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"

	"github.com/lagrieta/itlag/app/sandbox"
	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/registry"
	"github.com/lagrieta/itlag/providers/transport"
	"github.com/lagrieta/itlag/reconcile"
	"github.com/lagrieta/itlag/schema"
	"github.com/lagrieta/itlag/schema/secret"
	"github.com/lagrieta/itlag/store"
)

// Options say where a Runtime finds its state and its data.
type Options struct {
	// StateDir is the desired-state directory.
	StateDir string
	// Sandbox, when set, runs every provider against its in-process fake,
	// the fake world kept in this directory.
	Sandbox string
	// DataDir is itlag's local data; "" is $XDG_STATE_HOME/itlag, else
	// ~/.local/state/itlag.
	DataDir string
	// Version is itlag's version, for User-Agent headers.
	Version string
	// MaxStateFile is the largest state file read, in bytes; 0 is
	// schema.DefaultMaxFileSize.
	MaxStateFile int64
}

// InvalidError says the desired state is invalid: Problems are the
// schema's, one per file:line:col; Err says why otherwise. StateDir is set
// when Load found it (nothing was sent to any provider); a use case that
// finds part of the state unusable (a monitor's interval) leaves it empty.
type InvalidError struct {
	StateDir string
	Problems schema.Errors
	Err      error
}

func (e *InvalidError) Error() string {
	switch {
	case len(e.Problems) > 0:
		return fmt.Sprintf("%s: %d problem(s) in the desired state", e.StateDir, len(e.Problems))
	case e.StateDir != "":
		return fmt.Sprintf("%s: the desired state is invalid", e.StateDir)
	}
	return e.Err.Error()
}

func (e *InvalidError) Unwrap() error { return e.Err }

// Runtime is what one command runs with. It is not safe for concurrent
// use, except where a method says so.
type Runtime struct {
	Opts    Options
	State   *schema.State
	Desired reconcile.Desired

	hc        *http.Client
	netw      *transport.Network // Network's, once decided
	sb        *sandbox.Sandbox
	provs     map[string]providers.Provider
	provClose func() error
	// extraClose closes providers opened for part of the state.
	extraClose []func() error
	resolved   bool
	db         *store.DB
	resolver   *secret.Resolver

	// secrets are the values resolved so far, never to be shown;
	// placeholders those of the desired contents' placeholders, by
	// reference; redactKey keys the digests of redacted contents
	// (protectDesired).
	secrets      secrets
	placeholders map[string]string
	redactKey    []byte

	// mailErrs are why this run's last pass over each mailbox failed
	// ("" when it did not), by account.
	mailErrs map[string]string
}

// Load reads and validates the state directory. An invalid state is an
// *InvalidError: nothing has been sent to any provider.
func Load(opts Options) (*Runtime, error) { return LoadContext(context.Background(), opts) }

// loadState reads the state directory; tests replace it.
var loadState = schema.LoadContext

// LoadContext is Load, abandoned as soon as ctx ends (a signal, a
// --timeout): a large state takes a while to validate, and a signal must
// not wait for it. The error then wraps context.Cause(ctx).
func LoadContext(ctx context.Context, opts Options) (*Runtime, error) {
	return load(ctx, opts, false)
}

// loadOptions are the schema's options for loading the state.
func (o Options) loadOptions(allowEmpty bool) schema.LoadOptions {
	return schema.LoadOptions{MaxFileSize: o.MaxStateFile, AllowEmpty: allowEmpty}
}

// load is LoadContext; allowEmpty lets the state be empty (an import's).
func load(ctx context.Context, opts Options, allowEmpty bool) (*Runtime, error) {
	if opts.StateDir == "" {
		opts.StateDir = "."
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("load %s: %w", opts.StateDir, context.Cause(ctx))
	}
	type loaded struct {
		st  *schema.State
		err error
	}
	done := make(chan loaded, 1) // the loader finishes on its own; nobody waits
	go func() {
		// the loader stops on its own soon after ctx ends (between files
		// and record batches), but not within one file's YAML decoding
		st, err := loadState(ctx, opts.StateDir, opts.loadOptions(allowEmpty))
		done <- loaded{st, err}
	}()
	var st *schema.State
	var err error
	select {
	case <-ctx.Done():
		return nil, fmt.Errorf("load %s: %w", opts.StateDir, context.Cause(ctx))
	case l := <-done:
		st, err = l.st, l.err
	}
	if err != nil {
		var errs schema.Errors
		if errors.As(err, &errs) {
			return nil, &InvalidError{StateDir: opts.StateDir, Problems: errs, Err: err}
		}
		return nil, fmt.Errorf("%w (set --state DIR)", err)
	}
	d, err := reconcile.DesiredFromState(st, registry.Capabilities())
	if err != nil {
		return nil, &InvalidError{StateDir: opts.StateDir, Err: err}
	}
	return &Runtime{Opts: opts, State: st, Desired: d, resolver: &secret.Resolver{StateDir: opts.StateDir}}, nil
}

// Sandboxed reports whether the runtime runs against the fakes.
func (rt *Runtime) Sandboxed() bool { return rt.Opts.Sandbox != "" }

// HTTPClient is the shared HTTP client: one retry policy, deadlines;
// under --sandbox it connects to loopback only.
func (rt *Runtime) HTTPClient() *http.Client {
	if rt.hc == nil {
		o := transport.Options{UserAgent: "itlag/" + rt.Opts.Version}
		if rt.Sandboxed() { // the providers talk to their fakes on loopback, and nowhere else
			o.Dial = transport.LoopbackOnly(nil)
		}
		rt.hc = transport.New(o)
	}
	return rt.hc
}

// Network is how this run reaches other machines, decided here for
// every use case that dials (monitor probes, TLS audits, the exposure
// check): the real network, or under --sandbox the sandbox's, which
// reaches loopback only and where fakes answer for every monitor's
// target (sandbox.Network; the providers are opened first, their DNS
// fakes answer the lookups). Decided once per Runtime: watch's ticks and
// an observation's checks reuse it.
func (rt *Runtime) Network(ctx context.Context) (transport.Network, error) {
	if rt.netw != nil {
		return *rt.netw, nil
	}
	var nw transport.Network
	if rt.Sandboxed() {
		if _, err := rt.Providers(ctx); err != nil {
			return transport.Network{}, err
		}
		monitors, err := rt.Monitors()
		if err != nil {
			return transport.Network{}, err
		}
		t := sandboxTargets(rt.Desired, monitors)
		sandboxMail(&t, rt.State)
		if nw, err = rt.sb.Network(t); err != nil {
			return transport.Network{}, err
		}
	}
	rt.netw = &nw
	return nw, nil
}

// Secret resolves a credential reference: env, file, or a key of an
// age-encrypted secrets file (each file decrypted once per Runtime, in
// memory). Every value, age ones included, comes through here. In the
// sandbox no real secret is read, no identity is needed, and the stand-in
// names the reference.
//
// Every value it gives is remembered, so that none is ever shown: a
// message or a content holding one has it redacted (app/secrets.go).
func (rt *Runtime) Secret(ref schema.CredentialRef) (string, error) {
	if rt.Sandboxed() {
		v, err := SandboxSecret(ref)
		if err == nil {
			rt.secrets.remember(ref.String(), v)
		}
		return v, err
	}
	return rt.realSecret(ref)
}

// realSecret reads the real reference, remembered like every other value.
func (rt *Runtime) realSecret(ref schema.CredentialRef) (string, error) {
	if rt.resolver == nil {
		rt.resolver = &secret.Resolver{StateDir: rt.Opts.StateDir}
	}
	v, err := rt.resolver.Resolve(ref)
	if err == nil {
		rt.secrets.remember(ref.String(), v)
	}
	return v, err
}

// SandboxSecret stands in for secrets in the sandbox, whatever the kind of
// reference ("sandbox-secret-for-age:secrets/office.age#NOIP_PASSWORD").
func SandboxSecret(ref schema.CredentialRef) (string, error) {
	return "sandbox-secret-for-" + ref.String(), nil
}

// DataDirectory is the local data directory, created when create is set.
func DataDirectory(dir string, create bool) (string, error) {
	if dir == "" {
		base := os.Getenv("XDG_STATE_HOME")
		if base == "" {
			home, err := os.UserHomeDir()
			if err != nil {
				return "", fmt.Errorf("data dir: %w (set --data-dir)", err)
			}
			base = filepath.Join(home, ".local", "state")
		}
		dir = filepath.Join(base, "itlag")
	}
	if create {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return "", fmt.Errorf("data dir: %w", err)
		}
	}
	return dir, nil
}

// DBPath is where the local database lives: in the sandbox directory, or
// in the data directory (created).
func (rt *Runtime) DBPath() (string, error) { return rt.dbPath(true) }

// dbPath is DBPath, creating the data directory only when create is set.
func (rt *Runtime) dbPath(create bool) (string, error) {
	if rt.Sandboxed() {
		return filepath.Join(rt.Opts.Sandbox, store.DefaultFile), nil
	}
	dir, err := DataDirectory(rt.Opts.DataDir, create)
	if err != nil {
		return "", err
	}
	return store.DefaultPath(dir), nil
}

// DB opens the local database once; the Runtime closes it.
func (rt *Runtime) DB() (*store.DB, error) {
	if rt.db != nil {
		return rt.db, nil
	}
	path, err := rt.DBPath()
	if err != nil {
		return nil, err
	}
	if rt.Sandboxed() {
		if err := os.MkdirAll(rt.Opts.Sandbox, 0o700); err != nil {
			return nil, fmt.Errorf("sandbox: %w", err)
		}
	}
	db, err := store.Open(path)
	if err != nil {
		return nil, err
	}
	rt.db = db
	return db, nil
}

// Close closes the providers (saving the sandbox's fake worlds) and the
// database.
func (rt *Runtime) Close() error {
	errs := []error{rt.CloseProviders()}
	for _, c := range rt.extraClose {
		errs = append(errs, c())
	}
	rt.extraClose = nil
	if rt.db != nil {
		errs = append(errs, rt.db.Close())
		rt.db = nil
	}
	return errors.Join(errs...)
}

// CloseProviders closes the providers only (the sandbox saves its fake
// worlds); the next Providers call opens them again.
func (rt *Runtime) CloseProviders() error {
	if rt.provClose == nil {
		return nil
	}
	err := rt.provClose()
	// the sandbox's network goes with its fakes: the next use opens both
	rt.provClose, rt.provs, rt.sb, rt.netw = nil, nil, nil, nil
	return err
}

// Providers opens, once, every provider the desired state uses (zones' DNS
// hosts, managed domains' registrars, dynamic-DNS hosts and NASes): the
// real APIs with the credentials the state references, or, in the sandbox,
// the in-process fakes. Placeholders in file contents (${env:NAME}) are
// resolved here, on first use; then every resolved secret is known, and
// the desired resources get their redaction key (protectDesired).
func (rt *Runtime) Providers(ctx context.Context) (map[string]providers.Provider, error) {
	if rt.provs != nil {
		return rt.provs, nil
	}
	if !rt.resolved {
		rt.placeholders = map[string]string{}
		resolve := func(ref schema.CredentialRef) (string, error) {
			v, err := rt.Secret(ref)
			rt.placeholders[ref.String()] = v
			return v, err
		}
		if err := reconcile.ResolvePlaceholders(&rt.Desired, resolve); err != nil {
			return nil, rt.scrubErr(err)
		}
		rt.resolved = true
	}
	provs, closeFn, err := rt.openProviders(ctx, rt.Desired)
	if err != nil {
		return nil, rt.scrubErr(err)
	}
	rt.provs, rt.provClose = provs, closeFn
	rt.protectDesired()
	return provs, nil
}

// SandboxWorld is the running sandbox, nil unless sandboxed and the
// providers are open.
func (rt *Runtime) SandboxWorld() *sandbox.Sandbox { return rt.sb }

// providersFor opens the providers that part of the state, d, uses (a
// read-only command that needs only the registrars does not need every
// credential); once every provider is open, those serve.
func (rt *Runtime) providersFor(ctx context.Context, d reconcile.Desired) (map[string]providers.Provider, error) {
	if rt.provs != nil {
		return rt.provs, nil
	}
	provs, closeFn, err := rt.openProviders(ctx, d)
	if err != nil {
		return nil, err
	}
	rt.extraClose = append(rt.extraClose, closeFn)
	return provs, nil
}
