// Package finding is the ground floor every observer and consumer shares:
// a Finding is a problem seen in the world that is not a planned change (a
// disk nearly full, a domain about to expire, a monitor down), with a
// Severity and a Fingerprint that stays the same for the same problem
// across runs and across commands.
//
// Providers, monitors, backups, NAS metrics and expiry dates produce
// findings; incidents, alerts, reports and the status page consume them.
// The package imports nothing of itlag's, so any package may use it.
package finding
