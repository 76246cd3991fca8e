package app

import (
	"context"
	"fmt"

	"github.com/lagrieta/itlag/ops/alert"
	"github.com/lagrieta/itlag/ops/monitor"
)

// CheckOptions tune a check.
type CheckOptions struct {
	// NoAlerts records and reports, but sends nothing.
	NoAlerts bool
}

// CheckResult is one check: every monitor's probe, the observation made
// after they were recorded, and what the alert routes did.
type CheckResult struct {
	Results     []monitor.Result
	Observation *Observation
	// Alerts is nil when no alert was processed (NoAlerts).
	Alerts *alert.Report
	// Mail is the pass over the declared mailboxes made before observing
	// (nil when none is declared).
	Mail *MailResult
}

// Check probes every declared monitor once (all at once, bounded), records
// the results, reads the declared mailboxes once (MailCheck), observes the whole world (Observe: the monitors that are
// down become findings beside every other source's) and sends the findings
// to the alert routes: one alert when a problem starts, reminders, one
// recovery when it is gone. When the world cannot be observed, the
// probes' results are still returned (Observation nil) with the error.
func (rt *Runtime) Check(ctx context.Context, o CheckOptions) (*CheckResult, error) {
	monitors, err := rt.Monitors()
	if err != nil {
		return nil, err
	}
	var n *alert.Notifier
	if !o.NoAlerts {
		if n, err = rt.Notifier(); err != nil {
			return nil, err
		}
	}
	net, err := rt.Network(ctx)
	if err != nil {
		return nil, fmt.Errorf("check: %w", err)
	}
	res := &CheckResult{Results: monitor.Check(ctx, net, monitors, len(monitors))}
	if len(monitors) > 0 {
		db, err := rt.DB()
		if err != nil {
			return nil, err
		}
		if err := monitor.Record(ctx, db, res.Results); err != nil {
			return nil, fmt.Errorf("check: %w", err)
		}
	}
	if res.Mail, err = rt.readMail(ctx); err != nil {
		return res, fmt.Errorf("check: %w", err)
	}
	if res.Observation, err = rt.Observe(ctx, ObserveOptions{}); err != nil {
		// No alert goes out from a partial view: a finding missing from
		// it would be "resolved" although nobody looked.
		return res, fmt.Errorf("check: the world could not be observed, no alert was sent: %w", err)
	}
	if err := rt.recordHistory(ctx, res.Observation); err != nil {
		return res, fmt.Errorf("check: %w", err)
	}
	if n != nil {
		rep, err := n.Process(ctx, res.Observation.Findings)
		if err != nil {
			return res, fmt.Errorf("check: alerts: %w", err)
		}
		res.Alerts = &rep
	}
	return res, nil
}
