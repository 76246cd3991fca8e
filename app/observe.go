package app

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/ops/backup"
	"github.com/lagrieta/itlag/ops/monitor"
	"github.com/lagrieta/itlag/ops/security"
	"github.com/lagrieta/itlag/providers/registry"
	"github.com/lagrieta/itlag/reconcile"
)

// Observation is what one look at the whole world saw: what the providers
// report, the plan that would make them match the state, and one set of
// findings from every source the state declares. check, watch, drift and
// the status page all read the world through it, so the same world gives
// the same findings (the same fingerprints) whichever command looks.
type Observation struct {
	At       time.Time
	Observed reconcile.Observed
	// Plan is the difference between the desired state and Observed.
	Plan *reconcile.Planned
	// Findings are every finding, sorted (worst first) and unique by
	// fingerprint: the plan's (providers, resources, NAS thresholds,
	// dynamic-DNS holds, subscription and domain expiry), the backups',
	// the monitors' (from the recorded history) and the security checks'
	// (TLS of the https and tls monitors, each NAS's sshd, ports and
	// updates, the office's exposure; package ops/security), and the facts
	// the state marks as still to be filled in (reconcile.PendingFindings:
	// host keys pending; unknown dates are among the expiry findings).
	Findings []finding.Finding
	// Metrics are the numbers the resource providers reported, by
	// "set/metric" ("nas:office/cpu_percent").
	Metrics map[string]float64
	// Expiries are the subscriptions and domains with their dates, the
	// observed date winning over the declared one.
	Expiries []reconcile.Expiry
	// Backups is each backup destination's state; nil when restic is not
	// installed or the state declares no backups.
	Backups []backup.DestinationStatus
	// Monitors is each declared monitor's state from the recorded history.
	Monitors []monitor.Assessment
	// Updates are each NAS's pending updates as its security check
	// counted them (the same count its "security:nas/NAME" findings
	// judge), by NAS name: a nil entry when they are unknown (no apt, apt
	// failed, facts unreadable); no entry when the NAS was not reached.
	Updates map[string]*security.Updates
	// Mail is what the IT mailbox has said (open confirmations, counts,
	// each account's last read); nil when the state declares no mailbox.
	// Its findings (source "mail:…") are in Findings.
	Mail *MailStatus
	// SecurityNotes say what the security checks want the operator to
	// know beside their findings ("exposure: 127.0.0.1 stands in for the
	// office's public address …"); their findings are in Findings
	// (source "security:…").
	SecurityNotes []string
}

// ObserveOptions tune an observation.
type ObserveOptions struct {
	// Allow are the safety rules allowed for the plan.
	Allow map[reconcile.Rule]bool
}

// Observe looks at everything the state declares, read-only: the providers
// (records, registrations, resources, NAS metrics, dynamic-DNS holds), the
// subscriptions' dates, the backups (where restic is installed), the
// monitors' recorded state, and runs the security checks (securityChecks).
// It probes no monitor: check and watch record their probes first. Invalid monitors are an *InvalidError, found before
// anything is asked.
func (rt *Runtime) Observe(ctx context.Context, o ObserveOptions) (*Observation, error) {
	return rt.observe(ctx, o, NoProgress{})
}

// observeSteps is how many steps observe counts.
func (rt *Runtime) observeSteps() int { return planSteps(rt.Desired) + 1 }

// observe is Observe counting observeSteps steps on prog, which the caller
// started: planWorld's, then one for the checks (phase "checks": backups,
// monitors, security, mail).
func (rt *Runtime) observe(ctx context.Context, o ObserveOptions, prog Progress) (*Observation, error) {
	monitors, err := rt.Monitors()
	if err != nil {
		return nil, err
	}
	p, obs, err := rt.planWorld(ctx, rt.Desired, rt.policy(o.Allow), prog)
	if err != nil {
		return nil, err
	}
	prog.Phase("checks")
	defer prog.Add(1)
	out := &Observation{At: obs.At, Observed: obs, Plan: p, Metrics: map[string]float64{},
		Expiries: reconcile.Expiries(rt.Desired, obs)}
	for key, ro := range obs.Resources {
		for name, v := range ro.Metrics {
			out.Metrics[key+"/"+name] = v
		}
	}
	fs := slices.Clone(p.Findings)
	sts, bf := rt.backupFindings(ctx, out.At)
	out.Backups = sts
	fs = append(fs, bf...)
	if out.Monitors, err = rt.assess(ctx, monitors); err != nil {
		return nil, err
	}
	fs = append(fs, monitor.DownFindings(out.Monitors)...)
	sec := rt.securityChecks(ctx, obs, monitors)
	fs = append(fs, sec.Findings...)
	out.SecurityNotes = sec.Notes
	ms, mf, err := rt.mailObservation(ctx, out.At)
	if err != nil {
		return nil, err
	}
	out.Mail = ms
	fs = append(fs, mf...)
	for k, v := range dmarcMetrics(ms) {
		out.Metrics[k] = v
	}
	out.Updates = map[string]*security.Updates{}
	for name := range rt.State.NAS {
		if u, ok := sec.Updates[nasSecuritySource(name)]; ok {
			out.Updates[name] = u
		}
	}
	rt.scrubFindings(fs)
	out.Findings = SortFindings(fs)
	return out, nil
}

// planWorld observes what d declares and plans against it with pol. What
// must not be shown is marked before the (pure) plan sees the observation:
// live copies holding a resolved secret or recorded as sensitive at their
// last apply (protectObserved); resolved secrets are replaced in errors
// and findings.
//
// It counts planSteps(d) steps on prog, which the caller started: one per
// zone, resource set and managed domain observed (phase "observe"), one
// for the plan (phase "plan"), fewer when it fails.
func (rt *Runtime) planWorld(ctx context.Context, d reconcile.Desired, pol reconcile.Policy, prog Progress) (*reconcile.Planned, reconcile.Observed, error) {
	provs, err := rt.Providers(ctx)
	if err != nil {
		return nil, reconcile.Observed{}, err
	}
	prog.Phase("observe")
	obs, err := reconcile.ObserveReporting(ctx, d, provs, func() { prog.Add(1) })
	if err != nil {
		return nil, obs, rt.scrubErr(err)
	}
	prog.Phase("plan")
	defer prog.Add(1)
	if obs.Mailed, err = rt.mailedDates(ctx); err != nil {
		return nil, obs, err
	}
	recorded, err := rt.sensitiveRecorded(ctx, d)
	if err != nil {
		return nil, obs, err
	}
	rt.protectObserved(d, &obs, recorded)
	p := reconcile.Plan(d, obs, pol)
	// The facts still to fill in come from the state itself: the sandbox,
	// whose fake NAS needs no pin, shows them as a real run does.
	p.Findings = SortFindings(append(p.Findings, reconcile.PendingFindings(rt.State)...))
	rt.scrubFindings(p.Findings)
	if !rt.Sandboxed() { // the sandbox's fakes stand in for every api_url
		p.Warnings = registry.EndpointWarnings(rt.State, slices.Sorted(maps.Keys(provs)))
	}
	return p, obs, nil
}

// planSteps is how many steps planWorld counts for d.
func planSteps(d reconcile.Desired) int { return reconcile.ObserveUnits(d) + 1 }

// policy is the state's safety policy with the rules in allow waived.
func (rt *Runtime) policy(allow map[reconcile.Rule]bool) reconcile.Policy {
	pol := reconcile.PolicyFromState(rt.State.Policy)
	pol.Allow = allow
	return pol
}

// assess reads each monitor's state from the recorded history.
func (rt *Runtime) assess(ctx context.Context, monitors []monitor.Monitor) ([]monitor.Assessment, error) {
	if len(monitors) == 0 {
		return nil, nil
	}
	db, err := rt.DB()
	if err != nil {
		return nil, err
	}
	return monitor.Assess(ctx, db, monitors)
}

// SortFindings sorts findings worst first (then by source and fingerprint)
// and keeps one finding per fingerprint, the worst.
func SortFindings(fs []finding.Finding) []finding.Finding {
	fs = slices.Clone(fs)
	slices.SortStableFunc(fs, func(a, b finding.Finding) int {
		return cmp.Or(cmp.Compare(a.Severity.Rank(), b.Severity.Rank()), cmp.Compare(a.Source, b.Source),
			cmp.Compare(a.Fingerprint, b.Fingerprint))
	})
	seen := map[string]bool{}
	out := fs[:0]
	for _, f := range fs {
		if seen[f.Fingerprint] {
			continue
		}
		seen[f.Fingerprint] = true
		out = append(out, f)
	}
	if out == nil {
		out = []finding.Finding{}
	}
	return out
}

// Fingerprints returns the sorted fingerprints of fs.
func Fingerprints(fs []finding.Finding) []string {
	out := make([]string, 0, len(fs))
	for _, f := range fs {
		out = append(out, f.Fingerprint)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
