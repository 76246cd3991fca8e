// Package reconcile is itlag's engine: it turns a validated desired state into
// normalised zones (DesiredFromState), asks providers what is live (Observe),
// diffs the two into an ordered, deterministic plan guarded by safety rules
// (Plan), saves plans to files that apply can trust (Saved, Stale), carries
// plans out (Apply) and keeps applies to one at a time (Lock).
//
// Plan is a pure function: it sees typed values only, never YAML or HTTP, and
// the same input always yields byte-identical JSON.
package reconcile
