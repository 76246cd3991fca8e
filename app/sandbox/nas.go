package sandbox

import (
	"github.com/lagrieta/itlag/providers/nas"
	"github.com/lagrieta/itlag/providers/nas/metrics"
	"github.com/lagrieta/itlag/providers/registry"
	"github.com/lagrieta/itlag/schema"
)

// nasDir holds one fake root per NAS: DIR/nas/<name>.
const nasDir = "nas"

// FakeDiskPercent is how full a sandbox NAS's /volume1 is seeded: over the
// default 90% threshold, so the first plan shows a NAS finding.
const FakeDiskPercent = registry.SandboxDiskPercent

// FakePendingUpdates is how many OS updates a sandbox NAS offers
// ("itlag maintain" reports them).
const FakePendingUpdates = registry.SandboxPendingUpdates

// NASThresholds turns a NAS's declared thresholds into the metrics
// package's (zero fields take its defaults).
func NASThresholds(n schema.NAS) metrics.Thresholds { return registry.NASThresholds(n) }

// NASProvider is the sandbox's NAS provider for st (every NAS a directory
// under dir, created on first use); checkUpdates also counts the fake
// NAS's pending updates (maintenance runs).
func NASProvider(dir string, st *schema.State, checkUpdates bool) (*nas.Provider, error) {
	e, _ := registry.Lookup("nas")
	f, err := e.Sandbox(registry.SandboxEnv{Dir: dir, State: st, CheckUpdates: checkUpdates})
	if err != nil {
		return nil, err
	}
	return f.Provider().(*nas.Provider), nil
}
