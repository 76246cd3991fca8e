// Package importer turns what a live provider reports into desired-state
// YAML that itlag loads back with zero planned changes: the core of
// `itlag import cloudflare --zone Z` and `itlag import godaddy`.
//
// Zone renders one DNS zone as a state file (dns/<zone>.yaml), Domains the
// registrations of a registrar (domains/<registrar>.yaml), and Write puts a
// file in place atomically, never over an existing one unless forced.
//
// The contract of Zone is a round trip: for the records it is given (as a
// provider's Observe returns them), schema.LoadFS of its output, then
// reconcile.DesiredFromState, then reconcile.Plan against the same records
// plans no change. A record the state format cannot express exactly (a TTL
// under 60 seconds, a comment over 100 characters, a type itlag does not
// manage, ...) is not written: Zone returns it as Skipped and writes an
// unmanaged rule covering its name and type instead, with the reason in a
// YAML comment, so that no plan ever deletes it.
//
// Scalars are encoded by gopkg.in/yaml.v3; strings are written plain only
// when every YAML reader takes them as the same string (so "yes", "123",
// "@" and "*" are quoted), one record per line in flow style.
package importer
