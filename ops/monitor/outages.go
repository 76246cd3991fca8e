package monitor

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lagrieta/itlag/store"
)

// Outage is a span a monitor's checks failed: from its first failed check
// to the next check that passed (or to the end of the period asked: the
// caller passes now when the period is not over).
type Outage struct{ Start, End time.Time }

// Outages are monitor's outages in [from, to): runs of failed checks in
// the raw results, and the rolled-up hours whose every check failed (an
// hour each, merged with their neighbours). An hour with some failures
// among passes is not an outage at that resolution.
func Outages(ctx context.Context, db *store.DB, monitor string, from, to time.Time) ([]Outage, error) {
	rows, err := db.SQL().QueryContext(ctx, `
SELECT at, ok FROM (
	SELECT at, ok FROM monitor_results WHERE monitor = ?1 AND at >= ?2 AND at < ?3
	UNION ALL
	SELECT hour, CASE WHEN failures = checks THEN 0 ELSE 1 END FROM monitor_rollups
	WHERE monitor = ?1 AND hour >= ?4 AND hour < ?3
	UNION ALL
	SELECT strftime('%Y-%m-%dT%H:00:00.000Z', hour, '+1 hour'), 1 FROM monitor_rollups
	WHERE monitor = ?1 AND hour >= ?4 AND hour < ?3 AND failures = checks
) ORDER BY at`, monitor, ts(from), ts(to), ceilHour(from))
	if err != nil {
		return nil, fmt.Errorf("monitor %s: outages: %w", monitor, err)
	}
	defer rows.Close()
	var out []Outage
	var down *Outage
	for rows.Next() {
		var at string
		var ok bool
		if err := rows.Scan(&at, &ok); err != nil {
			return nil, fmt.Errorf("monitor %s: outages: %w", monitor, err)
		}
		t, err := time.Parse(time.RFC3339, at)
		if err != nil {
			return nil, fmt.Errorf("monitor %s: outages: time %q: %w", monitor, at, err)
		}
		switch {
		case !ok && down == nil:
			down = &Outage{Start: t}
		case ok && down != nil:
			down.End = t
			out = append(out, *down)
			down = nil
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("monitor %s: outages: %w", monitor, err)
	}
	if down != nil { // still down at the end of what was asked
		down.End = to
		out = append(out, *down)
	}
	return out, nil
}

// LastValue is the value of monitor's latest recorded result before to
// ("13d" for a certificate's days left), "" when none.
func LastValue(ctx context.Context, db *store.DB, monitor string, to time.Time) (string, error) {
	var v string
	err := db.SQL().QueryRowContext(ctx, `SELECT value FROM monitor_results WHERE monitor = ? AND at < ? ORDER BY at DESC LIMIT 1`,
		monitor, ts(to)).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("monitor %s: last value: %w", monitor, err)
	}
	return v, nil
}
