package app

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/ops/monitor"
	"github.com/lagrieta/itlag/ops/security"
	"github.com/lagrieta/itlag/reconcile"
)

// MaintainResult is what a maintenance run did and found.
type MaintainResult struct {
	// Pruned is how many rows of monitoring history were removed.
	Pruned int
	// NAS is each declared NAS, sorted by name, as the observation saw it.
	NAS []NASMaintenance
}

// NASMaintenance is one NAS's view for a human, taken from the one
// observation (Observe): its pending updates and its findings, or why it
// could not be observed.
type NASMaintenance struct {
	Name string
	// NotObserved says why the NAS was not observed (unreachable, or its
	// host key not the pinned one); "" when it was.
	NotObserved string
	// Updates are its pending updates as the security checks counted them;
	// nil when they are unknown (no apt, apt failed) or the NAS was not
	// observed.
	Updates *security.Updates
	// Findings are the NAS's findings, worst first: the NAS provider's
	// ("nas:NAME": metrics, files, reachability) and the security checks'
	// ("security:nas/NAME": sshd, ports, pending updates).
	Findings []finding.Finding
}

// Maintain rolls up and prunes the monitoring history past the state's
// retention and vacuums the database; then, when the state declares a
// NAS, it observes the world (Observe, as check and drift do) and returns
// each NAS's pending updates and findings from that observation.
func (rt *Runtime) Maintain(ctx context.Context, now time.Time) (*MaintainResult, error) {
	db, err := rt.DB()
	if err != nil {
		return nil, err
	}
	n, err := pruneHistory(ctx, db, rt.State.Monitoring, now)
	if err != nil {
		return nil, fmt.Errorf("maintain: %w", err)
	}
	if err := monitor.Vacuum(ctx, db); err != nil {
		return nil, fmt.Errorf("maintain: %w", err)
	}
	res := &MaintainResult{Pruned: n}
	if len(rt.State.NAS) == 0 {
		return res, nil
	}
	obs, err := rt.Observe(ctx, ObserveOptions{})
	if err != nil {
		return res, fmt.Errorf("maintain: %w", err)
	}
	res.NAS = rt.nasView(obs)
	return res, nil
}

// nasView is each NAS of the state (sorted by name) as obs saw it.
func (rt *Runtime) nasView(obs *Observation) []NASMaintenance {
	var out []NASMaintenance
	for _, name := range slices.Sorted(maps.Keys(rt.State.NAS)) {
		key := reconcile.ResourceSet{Provider: "nas", Target: name}.Key()
		m := NASMaintenance{Name: name, NotObserved: obs.Observed.Skipped[key], Updates: obs.Updates[name]}
		for _, f := range obs.Findings {
			if f.Source == key || f.Source == nasSecuritySource(name) {
				m.Findings = append(m.Findings, f)
			}
		}
		out = append(out, m)
	}
	return out
}

// PruneHistory rolls up and prunes the monitoring history past the
// state's retention (watch does it once a day).
func (rt *Runtime) PruneHistory(ctx context.Context, now time.Time) (int, error) {
	db, err := rt.DB()
	if err != nil {
		return 0, err
	}
	return pruneHistory(ctx, db, rt.State.Monitoring, now)
}
