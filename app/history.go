package app

import (
	"context"
	"fmt"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/ops/history"
	"github.com/lagrieta/itlag/reconcile"
)

// HistoryReadings are the numbers an observation measured, as the history
// keeps them (package history): the providers' metrics ("nas:office/…"),
// the DMARC results, each NAS's pending updates ("updates:office/pending",
// "updates:office/security"), the days left before each renewal
// ("expiry:lagrieta.es/days_left"), the open findings by severity
// ("findings/high") and the open mail confirmations.
func HistoryReadings(obs *Observation) map[string]float64 {
	vs := map[string]float64{}
	for k, v := range obs.Metrics {
		vs[k] = v
	}
	for nas, u := range obs.Updates {
		if u != nil {
			vs["updates:"+nas+"/pending"] = float64(u.Security + u.Other)
			vs["updates:"+nas+"/security"] = float64(u.Security)
		}
	}
	for _, e := range obs.Expiries {
		if e.Source != reconcile.SourceUnknown {
			vs["expiry:"+e.Name+"/days_left"] = float64(e.DaysLeft)
		}
	}
	for _, sev := range []finding.Severity{finding.Critical, finding.High, finding.Medium, finding.Low} {
		vs["findings/"+string(sev)] = 0
	}
	for _, f := range obs.Findings {
		vs["findings/"+string(f.Severity)]++
	}
	if obs.Mail != nil {
		vs["mail/confirmations_open"] = float64(len(obs.Mail.Confirmations))
	}
	return vs
}

// recordHistory keeps what obs measured in the hourly history.
func (rt *Runtime) recordHistory(ctx context.Context, obs *Observation) error {
	db, err := rt.DB()
	if err != nil {
		return err
	}
	if err := history.Record(ctx, db, obs.At, HistoryReadings(obs)); err != nil {
		return fmt.Errorf("observe: %w", err)
	}
	return nil
}
