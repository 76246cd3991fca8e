package app

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/ops/monitor"
)

// MaintainResult is what a maintenance run did and found.
type MaintainResult struct {
	// Pruned is how many rows of monitoring history were removed.
	Pruned int
	NAS    []NASMaintenance
}

// NASMaintenance is one NAS's view for a human: pending OS updates and
// its findings, or why it could not be reached.
type NASMaintenance struct {
	Name string
	// Err is set when the NAS could not be reached.
	Err error
	// PendingUpdates is -1 when the NAS did not report them.
	PendingUpdates int
	Findings       []finding.Finding
}

// Maintain rolls up and prunes the monitoring history past the state's
// retention, vacuums the database, and observes each NAS with its pending
// OS updates counted (apt-get's simulated upgrade; every observation
// judges the pending updates too, through the security checks).
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
	prov, err := rt.nasWithUpdates()
	if err != nil {
		return res, err
	}
	for _, name := range slices.Sorted(maps.Keys(rt.State.NAS)) {
		m := NASMaintenance{Name: name, PendingUpdates: -1}
		obs, err := prov.ObserveResources(ctx, name, nil)
		if err != nil {
			m.Err = err
		} else {
			if v, ok := obs.Metrics["pending_updates"]; ok {
				m.PendingUpdates = int(v)
			}
			m.Findings = obs.Findings
		}
		res.NAS = append(res.NAS, m)
	}
	return res, nil
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
