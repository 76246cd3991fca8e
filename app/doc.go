// Package app is the application layer: every use case of itlag (plan and
// apply, drift, check, watch, backups, import, maintenance, the status page,
// subscriptions) as a function over a Runtime.
//
// A Runtime is opened once per command. It owns the loaded desired state,
// the providers (real, or the sandbox's fakes: decided here and nowhere
// else), the local database (the one owner of its path), the secrets and
// restic. Use cases take options and return values and plain errors; they
// print nothing. The command line (cmd/itlag/cli) parses flags, calls a use
// case, renders what it returns and chooses the exit code.
//
// Every use case that looks at the world gets its findings from one
// pipeline, Runtime.Observe, so that check, watch, drift and the status page
// report the same findings, with the same fingerprints, for the same world.
//
// What changes the world or the repository is recorded in the audit trail
// (publish/audit) by the use case itself, through Runtime.Audit: an apply
// (and the approval that allowed it) in PendingApply.Run, which watch's
// dynamic-DNS rounds go through too; a drift commit in DriftFrom; a secret
// change through Runtime.AuditSecretChange.
package app
