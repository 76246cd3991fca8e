package app

import (
	"context"
	"fmt"

	"github.com/lagrieta/itlag/providers/noip"
	"github.com/lagrieta/itlag/reconcile"
)

// ClearDDNSHolds lifts the holds NoIP's refusals put on host ("" = every
// host) and returns how many were lifted. It needs no loaded state.
func ClearDDNSHolds(ctx context.Context, opts Options, host string) (int, error) {
	rt := &Runtime{Opts: opts}
	defer rt.Close()
	db, err := rt.DB()
	if err != nil {
		return 0, fmt.Errorf("ddns: %w", err)
	}
	n, err := noip.ClearHolds(ctx, db, reconcile.NoIPTarget, host)
	if err != nil {
		return 0, fmt.Errorf("ddns: %w", err)
	}
	return n, nil
}
