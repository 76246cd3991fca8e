package app

import (
	"context"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/reconcile"
)

// Subscriptions asks only the registrars (read-only), with the dates
// the providers' mail told (the mailbox's ledger), and returns every
// domain and subscription with its date, and the findings of those due.
func (rt *Runtime) Subscriptions(ctx context.Context) ([]reconcile.Expiry, []finding.Finding, reconcile.Observed, error) {
	d := reconcile.Desired{Domains: rt.Desired.Domains, Subscriptions: rt.Desired.Subscriptions}
	provs, err := rt.providersFor(ctx, d)
	if err != nil {
		return nil, nil, reconcile.Observed{}, err
	}
	obs, err := reconcile.Observe(ctx, d, provs)
	if err != nil {
		return nil, nil, obs, err
	}
	if obs.Mailed, err = rt.mailedDates(ctx); err != nil {
		return nil, nil, obs, err
	}
	es := reconcile.Expiries(rt.Desired, obs)
	return es, append(reconcile.ExpiryFindings(es), obs.Findings...), obs, nil
}
