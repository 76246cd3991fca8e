package registry

import (
	"context"
	"net/http"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/reconcile"
	"github.com/lagrieta/itlag/schema"
	"github.com/lagrieta/itlag/store"
)

// Addresses the sandbox's fakes answer.
const (
	// SandboxPublicIP is the office's public address in the sandbox (its
	// IP-echo fake answers it, as does any interface of a fake NAS).
	SandboxPublicIP = "203.0.113.50"
	// SandboxOldIP is where seeded NoIP hosts point: the office's address
	// before it changed, so that the first plan updates them.
	SandboxOldIP = "198.51.100.7"
)

// SandboxEnv is what starting a fake may use.
type SandboxEnv struct {
	// Dir is the sandbox directory; a fake keeping its world in files of
	// its own (the NAS: Dir/nas/NAME) puts them here.
	Dir string
	// State is the desired state's settings; nil when there is none.
	State *schema.State
	// HTTP is the client the provider talks to its fake with.
	HTTP *http.Client
	// DB is the sandbox's local database (Dir/itlag.db); nil for fakes
	// started on their own.
	DB *store.DB
}

// Fake is one provider's running fake in the sandbox.
type Fake interface {
	// Provider is the provider, wired to the fake.
	Provider() providers.Provider
	// Seed adds to the fake, once its world is loaded, what d declares
	// and the fake does not hold yet, differing from d the way the
	// sandbox promises (package app/sandbox): records missing, one
	// changed, one unmanaged, one to delete; hosts at the old address.
	// protected are the state's policy.protected globs, left as declared.
	Seed(ctx context.Context, d reconcile.Desired, protected []string) error
	// Close stops the fake.
	Close()
}

// Persistent is an optional extra of a Fake whose world is kept in one
// file of the sandbox directory across runs.
type Persistent interface {
	// WorldFile is the file's name in the sandbox directory
	// ("cloudflare.json").
	WorldFile() string
	MarshalState() ([]byte, error)
	UnmarshalState([]byte) error
}

// Tracked is an optional extra of a Persistent fake that counts what may
// have changed its world: while the count stays the same, the world saved
// in its file is still the world it holds, and the sandbox does not write
// it again (a plan, which changes nothing, then costs no save).
type Tracked interface {
	// Changes is the count; it only grows.
	Changes() uint64
}

// ZoneSampler is an optional extra of a Fake hosting DNS zones, for import
// in the sandbox.
type ZoneSampler interface {
	// SampleZone creates zone with a few sample records when the fake
	// does not hold it yet.
	SampleZone(ctx context.Context, zone string) error
}

// DomainSampler is an optional extra of a registrar's Fake, for import in
// the sandbox.
type DomainSampler interface {
	// SampleDomains registers names (a year from expiry, auto-renew on)
	// when the fake does not hold them; with no names and an empty
	// account, one sample domain, example.org.
	SampleDomains(ctx context.Context, names []string)
}
