package monitor

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lagrieta/itlag/store"
)

// timeFormat is RFC 3339 in UTC with a fixed millisecond width, so that
// the text order of at is its time order.
const timeFormat = "2006-01-02T15:04:05.000Z"

const hourFormat = "2006-01-02T15:00:00Z"

func ts(t time.Time) string { return t.UTC().Format(timeFormat) }

// ceilHour is the first hour start at or after t, as monitor_rollups
// writes hours: "hour < ceilHour(t)" is "the hour starts before t".
func ceilHour(t time.Time) string {
	t = t.UTC()
	h := t.Truncate(time.Hour)
	if h.Before(t) {
		h = h.Add(time.Hour)
	}
	return h.Format(hourFormat)
}

// ErrNoData is returned by Uptime when no result falls in the period.
var ErrNoData = errors.New("no results in the period")

// recordBatch is rows per INSERT: 6 parameters each, well under SQLite's
// 32766 parameters per statement.
const recordBatch = 500

// Record stores rs in one transaction, in multi-row inserts.
func Record(ctx context.Context, db *store.DB, rs []Result) error {
	if len(rs) == 0 {
		return nil
	}
	tx, err := db.SQL().BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("monitor: record %d results: begin: %w", len(rs), err)
	}
	defer tx.Rollback()
	var full *sql.Stmt
	args := make([]any, 0, 7*recordBatch)
	for start := 0; start < len(rs); start += recordBatch {
		chunk := rs[start:min(start+recordBatch, len(rs))]
		args = args[:0]
		for _, r := range chunk {
			errText := r.Error
			if errText == "" && len(r.Failed) > 0 {
				errText = strings.Join(r.Failed, "; ")
			}
			args = append(args, r.Monitor, ts(r.At), r.OK, float64(r.Duration)/float64(time.Millisecond), r.Value, errText)
		}
		stmt := full
		if len(chunk) < recordBatch || full == nil {
			stmt, err = tx.PrepareContext(ctx, insertSQL(len(chunk)))
			if err != nil {
				return fmt.Errorf("monitor: record %d results: prepare: %w", len(rs), err)
			}
			if len(chunk) == recordBatch {
				full = stmt
			} else {
				defer stmt.Close()
			}
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("monitor: record %d results: insert: %w", len(rs), err)
		}
	}
	if full != nil {
		full.Close()
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("monitor: record %d results: commit: %w", len(rs), err)
	}
	return nil
}

func insertSQL(n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO monitor_results (monitor, at, ok, duration_ms, value, error) VALUES ")
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?,?,?,?,?,?)")
	}
	return b.String()
}

// Rollup summarises the raw results of every hour that ended by olderThan
// (olderThan is truncated to the hour) into monitor_rollups, merging with
// an hour already rolled up, and deletes those raw rows, in one
// transaction. It returns how many raw rows it rolled up.
func Rollup(ctx context.Context, db *store.DB, olderThan time.Time) (int, error) {
	cut := ts(olderThan.UTC().Truncate(time.Hour))
	tx, err := db.SQL().BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("monitor: roll up before %s: begin: %w", cut, err)
	}
	defer tx.Rollback()
	// the new average weighs the old and new by their checks
	if _, err := tx.ExecContext(ctx, `
INSERT INTO monitor_rollups (monitor, hour, checks, failures, avg_ms, max_ms)
SELECT monitor, substr(at, 1, 13) || ':00:00Z', count(*), sum(1 - ok), avg(duration_ms), max(duration_ms)
FROM monitor_results WHERE at < ? GROUP BY 1, 2
ON CONFLICT (monitor, hour) DO UPDATE SET
	avg_ms   = (avg_ms * checks + excluded.avg_ms * excluded.checks) / (checks + excluded.checks),
	checks   = checks + excluded.checks,
	failures = failures + excluded.failures,
	max_ms   = max(max_ms, excluded.max_ms)`, cut); err != nil {
		return 0, fmt.Errorf("monitor: roll up before %s: %w", cut, err)
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM monitor_results WHERE at < ?`, cut)
	if err != nil {
		return 0, fmt.Errorf("monitor: roll up before %s: delete raw: %w", cut, err)
	}
	n, _ := res.RowsAffected()
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("monitor: roll up before %s: commit: %w", cut, err)
	}
	return int(n), nil
}

// Uptime is the share of passed checks of monitor in [since, now), over
// the raw results and the roll-ups (an hour rolled up counts whole when it
// starts in [since truncated to the hour, now)). With no check in the
// period it returns ErrNoData.
func Uptime(ctx context.Context, db *store.DB, monitor string, since, now time.Time) (float64, error) {
	var checks, failures sql.NullInt64
	err := db.SQL().QueryRowContext(ctx, `
SELECT sum(c), sum(f) FROM (
	SELECT count(*) AS c, sum(1 - ok) AS f FROM monitor_results WHERE monitor = ? AND at >= ? AND at < ?
	UNION ALL
	SELECT sum(checks), sum(failures) FROM monitor_rollups WHERE monitor = ? AND hour >= ? AND hour < ?
)`, monitor, ts(since), ts(now), monitor, since.UTC().Truncate(time.Hour).Format(hourFormat), ceilHour(now)).Scan(&checks, &failures)
	if err != nil {
		return 0, fmt.Errorf("monitor %s: uptime: %w", monitor, err)
	}
	if checks.Int64 == 0 {
		return 0, fmt.Errorf("monitor %s: uptime since %s: %w", monitor, ts(since), ErrNoData)
	}
	return float64(checks.Int64-failures.Int64) / float64(checks.Int64), nil
}

// Point is one step of a Series.
type Point struct {
	At       time.Time // the step's start
	Checks   int
	Failures int
	AvgMs    float64 // average response time
	MaxMs    float64
}

// Series returns monitor's response times from since on, one Point per
// step that holds results (steps without results are left out), oldest
// first, from the raw results and the roll-ups (a roll-up falls in the
// step holding its hour's start).
func Series(ctx context.Context, db *store.DB, monitor string, since time.Time, step time.Duration) ([]Point, error) {
	if step <= 0 {
		return nil, fmt.Errorf("monitor %s: series: step %s is not positive", monitor, step)
	}
	ms := step.Milliseconds()
	if ms == 0 {
		ms = 1
	}
	base := since.UTC().UnixMilli()
	rows, err := db.SQL().QueryContext(ctx, `
SELECT b, sum(c), sum(f), sum(a * c) / sum(c), max(m) FROM (
	SELECT CAST((CAST(unixepoch(at, 'subsec') * 1000 AS INTEGER) - ?1) / ?2 AS INTEGER) AS b,
		count(*) AS c, sum(1 - ok) AS f, avg(duration_ms) AS a, max(duration_ms) AS m
	FROM monitor_results WHERE monitor = ?3 AND at >= ?4 GROUP BY b
	UNION ALL
	SELECT CAST((unixepoch(hour) * 1000 - ?1) / ?2 AS INTEGER) AS b,
		sum(checks), sum(failures), sum(avg_ms * checks) / sum(checks), max(max_ms)
	FROM monitor_rollups WHERE monitor = ?3 AND hour >= ?5 GROUP BY b
) GROUP BY b ORDER BY b`, base, ms, monitor, ts(since), ceilHour(since))
	if err != nil {
		return nil, fmt.Errorf("monitor %s: series: %w", monitor, err)
	}
	defer rows.Close()
	var out []Point
	for rows.Next() {
		var b int64
		var p Point
		if err := rows.Scan(&b, &p.Checks, &p.Failures, &p.AvgMs, &p.MaxMs); err != nil {
			return nil, fmt.Errorf("monitor %s: series: %w", monitor, err)
		}
		p.At = time.UnixMilli(base + b*ms).UTC()
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("monitor %s: series: %w", monitor, err)
	}
	return out, nil
}

// Prune deletes raw results older than rawBefore and roll-ups of hours
// starting before rollupsBefore, in one transaction, and returns how many
// rows it deleted.
func Prune(ctx context.Context, db *store.DB, rawBefore, rollupsBefore time.Time) (int, error) {
	tx, err := db.SQL().BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("monitor: prune: begin: %w", err)
	}
	defer tx.Rollback()
	a, err := tx.ExecContext(ctx, `DELETE FROM monitor_results WHERE at < ?`, ts(rawBefore))
	if err != nil {
		return 0, fmt.Errorf("monitor: prune results before %s: %w", ts(rawBefore), err)
	}
	b, err := tx.ExecContext(ctx, `DELETE FROM monitor_rollups WHERE hour < ?`, ceilHour(rollupsBefore))
	if err != nil {
		return 0, fmt.Errorf("monitor: prune roll-ups before %s: %w", ts(rollupsBefore), err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("monitor: prune: commit: %w", err)
	}
	na, _ := a.RowsAffected()
	nb, _ := b.RowsAffected()
	return int(na + nb), nil
}

// Vacuum gives the space freed by Rollup and Prune back to the file
// system: it rewrites the whole database (other packages' tables too),
// so run it rarely (after a prune, say weekly).
func Vacuum(ctx context.Context, db *store.DB) error {
	if _, err := db.SQL().ExecContext(ctx, `VACUUM`); err != nil {
		return fmt.Errorf("monitor: vacuum: %w", err)
	}
	if _, err := db.SQL().ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return fmt.Errorf("monitor: vacuum: checkpoint: %w", err)
	}
	return nil
}
