// Package registry lists every provider itlag knows, in one slice literal
// (Entries), with no init() and no global map filled from elsewhere. An
// Entry says, for one provider name as used in the state:
//
//   - Has: what its provider can do: host DNS zones (providers.DNS, with the
//     record Capabilities the engine fits desired records to), hold domain
//     registrations (providers.Registrar), manage resources
//     (providers.ResourceProvider). A provider built by the entry implements
//     exactly those capabilities (registry_test.go checks it).
//   - New: how the real provider is built from the state's settings (Env),
//     with "…, but providers.X is not configured in the state" when the state
//     lacks them.
//   - Sandbox: how the sandbox (package app/sandbox) starts its in-process
//     fake, loads and saves the fake's world, and seeds what the desired
//     state declares.
//   - Import: what `itlag import NAME` reads from it; nil when nothing.
//
// Adding a provider is one package under providers/ (with its fake beside
// it) plus one Entry here: the application layer, the sandbox, the import
// command and the engine's capabilities all follow the list.
//
// The engine (package reconcile) does not import this package: its callers
// pass Capabilities() in.
package registry
