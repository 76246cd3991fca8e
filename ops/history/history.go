package history

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/lagrieta/itlag/store"
)

const hourFormat = "2006-01-02T15:00:00Z"

// Point is one hour of a key: its average, least, greatest and last
// reading.
type Point struct {
	Hour                time.Time
	Avg, Min, Max, Last float64
	N                   int
}

// Record adds the readings vs taken at at, in one transaction: each key's
// hour row counts one more reading. NaN and infinite values are skipped.
func Record(ctx context.Context, db *store.DB, at time.Time, vs map[string]float64) error {
	if len(vs) == 0 {
		return nil
	}
	hour := at.UTC().Truncate(time.Hour).Format(hourFormat)
	when := at.UTC().Format("2006-01-02T15:04:05.000000000Z") // fixed width: text order is time order
	tx, err := db.SQL().BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("history: record %d readings: %w", len(vs), err)
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `
INSERT INTO metric_hours (key, hour, n, sum, min, max, last, last_at) VALUES (?, ?, 1, ?, ?, ?, ?, ?)
ON CONFLICT (key, hour) DO UPDATE SET
	n = n + 1, sum = sum + excluded.sum, min = min(min, excluded.min), max = max(max, excluded.max),
	last = CASE WHEN excluded.last_at >= last_at THEN excluded.last ELSE last END,
	last_at = max(last_at, excluded.last_at)`)
	if err != nil {
		return fmt.Errorf("history: record: %w", err)
	}
	defer stmt.Close()
	for _, k := range slices.Sorted(maps.Keys(vs)) {
		v := vs[k]
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		if _, err := stmt.ExecContext(ctx, k, hour, v, v, v, v, when); err != nil {
			return fmt.Errorf("history: record %s: %w", k, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("history: record: %w", err)
	}
	return nil
}

// Series is key's hours in [from, to), oldest first.
func Series(ctx context.Context, db *store.DB, key string, from, to time.Time) ([]Point, error) {
	rows, err := db.SQL().QueryContext(ctx, `
SELECT hour, n, sum, min, max, last FROM metric_hours
WHERE key = ? AND hour >= ? AND hour < ? ORDER BY hour`,
		key, from.UTC().Truncate(time.Hour).Format(hourFormat), to.UTC().Format(hourFormat))
	if err != nil {
		return nil, fmt.Errorf("history: %s: %w", key, err)
	}
	defer rows.Close()
	var out []Point
	for rows.Next() {
		var h string
		var p Point
		var sum float64
		if err := rows.Scan(&h, &p.N, &sum, &p.Min, &p.Max, &p.Last); err != nil {
			return nil, fmt.Errorf("history: %s: %w", key, err)
		}
		if p.Hour, err = time.Parse(hourFormat, h); err != nil {
			return nil, fmt.Errorf("history: %s: hour %q: %w", key, h, err)
		}
		p.Avg = sum / float64(max(p.N, 1))
		out = append(out, p)
	}
	return out, rows.Err()
}

// Keys are the keys with a reading in [from, to) that start with prefix,
// sorted.
func Keys(ctx context.Context, db *store.DB, prefix string, from, to time.Time) ([]string, error) {
	rows, err := db.SQL().QueryContext(ctx, `
SELECT DISTINCT key FROM metric_hours WHERE key >= ? AND key < ? AND hour >= ? AND hour < ? ORDER BY key`,
		prefix, prefix+"\U0010FFFF", from.UTC().Truncate(time.Hour).Format(hourFormat), to.UTC().Format(hourFormat))
	if err != nil {
		return nil, fmt.Errorf("history: keys %q: %w", prefix, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		if strings.HasPrefix(k, prefix) {
			out = append(out, k)
		}
	}
	return out, rows.Err()
}

// Prune deletes the hours before before; it returns how many.
func Prune(ctx context.Context, db *store.DB, before time.Time) (int, error) {
	res, err := db.SQL().ExecContext(ctx, `DELETE FROM metric_hours WHERE hour < ?`, before.UTC().Truncate(time.Hour).Format(hourFormat))
	if err != nil {
		return 0, fmt.Errorf("history: prune: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
