package app

import (
	"context"
	"fmt"
	"time"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/reconcile"
)

// hasContent reports whether d manages files or blocks: resources whose
// content a plan shows as a diff.
func hasContent(d reconcile.Desired) bool {
	for _, set := range d.Resources {
		for _, r := range set.Resources {
			if r.Kind == providers.KindFile || r.Kind == providers.KindBlock {
				return true
			}
		}
	}
	return false
}

// sensitiveRecorded returns the addresses of the resources whose last
// apply wrote sensitive content (see recordSensitive); nil, without
// opening the database, when d manages no file or block.
func (rt *Runtime) sensitiveRecorded(ctx context.Context, d reconcile.Desired) (map[string]bool, error) {
	if !hasContent(d) {
		return nil, nil
	}
	db, err := rt.DB()
	if err != nil {
		return nil, err
	}
	rows, err := db.SQL().QueryContext(ctx, `SELECT address FROM sensitive_resources`)
	if err != nil {
		return nil, fmt.Errorf("sensitive resources: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, fmt.Errorf("sensitive resources: %w", err)
		}
		out[a] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sensitive resources: %w", err)
	}
	return out, nil
}

// recordSensitive keeps, for each file or block an apply wrote, whether
// what it wrote was sensitive: the next plans show that live copy redacted
// even once the state no longer marks it sensitive (the secret is still in
// the file until the new content replaces it, and in its .itlag-prev copy
// after). A successful write of content that is not sensitive, or a
// delete, forgets it.
func (rt *Runtime) recordSensitive(ctx context.Context, outs []reconcile.Outcome) error {
	var d reconcile.Desired
	for _, o := range outs {
		if rc := o.Change.Resource; rc != nil {
			for _, r := range []*providers.Resource{rc.Before, rc.After} {
				if r != nil {
					d.Resources = append(d.Resources, reconcile.ResourceSet{Resources: []providers.Resource{*r}})
				}
			}
		}
	}
	if !hasContent(d) {
		return nil // no file or block written: the database is not needed
	}
	db, err := rt.DB()
	if err != nil {
		return err
	}
	now := time.Now().UTC().Format(time.RFC3339)
	for _, o := range outs {
		rc := o.Change.Resource
		if o.Err != nil || rc == nil {
			continue
		}
		r := rc.After
		if r == nil {
			r = rc.Before
		}
		if r == nil || (r.Kind != providers.KindFile && r.Kind != providers.KindBlock) {
			continue
		}
		if rc.After != nil && rc.After.Sensitive && o.Change.Action != providers.Delete {
			_, err = db.SQL().ExecContext(ctx, `INSERT INTO sensitive_resources (address, applied_at) VALUES (?, ?)
				ON CONFLICT (address) DO UPDATE SET applied_at = excluded.applied_at`, o.Change.Address, now)
		} else {
			_, err = db.SQL().ExecContext(ctx, `DELETE FROM sensitive_resources WHERE address = ?`, o.Change.Address)
		}
		if err != nil {
			return fmt.Errorf("sensitive resources: %s: %w", o.Change.Address, err)
		}
	}
	return nil
}
