package sandbox

import (
	"github.com/lagrieta/itlag/providers/registry"
)

// nasDir holds one fake root per NAS: DIR/nas/<name>.
const nasDir = "nas"

// FakeDiskPercent is how full a sandbox NAS's /volume1 is seeded: over the
// default 90% threshold, so the first plan shows a NAS finding.
const FakeDiskPercent = registry.SandboxDiskPercent

// FakePendingUpdates is how many security updates a sandbox NAS's apt-get
// offers: every observation's security checks count and judge them
// (check, drift, the status page and maintain report them alike).
const FakePendingUpdates = registry.SandboxPendingUpdates
