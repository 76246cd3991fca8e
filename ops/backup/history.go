package backup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lagrieta/itlag/store"
)

// RunRecord is one row of backup_runs: a job's run to one destination.
type RunRecord struct {
	Job, Destination, Repository string
	StartedAt, FinishedAt        time.Time
	OK                           bool
	Error                        string
	SnapshotID                   string
	FilesNew, FilesChanged       int64
	DataAdded, BytesProcessed    int64
	Duration                     time.Duration
	Full                         bool
	// ForgetError is why forget --prune failed after the backup.
	ForgetError string
}

// CheckRecord is one row of backup_checks.
type CheckRecord struct {
	Job, Destination string
	At               time.Time
	OK               bool
	Errors           []string
}

// DrillRecord is one row of backup_drills.
type DrillRecord struct {
	Job, Destination string
	At               time.Time
	OK               bool
	SnapshotID       string
	FilesChecked     int
	FilesSkipped     int
	Errors           []string
}

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTS(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func lines(s []string) string {
	return strings.Join(s, "\n")
}

func unlines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// insertRun records r and returns its row id.
func insertRun(ctx context.Context, db *store.DB, r RunRecord) (int64, error) {
	res, err := db.SQL().ExecContext(ctx, `INSERT INTO backup_runs
(job, destination, repository, started_at, finished_at, ok, error, snapshot_id,
 files_new, files_changed, data_added, bytes_processed, duration_ms, full)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.Job, r.Destination, r.Repository, ts(r.StartedAt), ts(r.FinishedAt), b2i(r.OK), r.Error, r.SnapshotID,
		r.FilesNew, r.FilesChanged, r.DataAdded, r.BytesProcessed, r.Duration.Milliseconds(), b2i(r.Full))
	if err != nil {
		return 0, fmt.Errorf("record run: %w", err)
	}
	return res.LastInsertId()
}

func setForgetError(ctx context.Context, db *store.DB, id int64, msg string) error {
	if _, err := db.SQL().ExecContext(ctx, `UPDATE backup_runs SET forget_error = ? WHERE id = ?`, msg, id); err != nil {
		return fmt.Errorf("record forget: %w", err)
	}
	return nil
}

func insertCheck(ctx context.Context, db *store.DB, c CheckRecord) error {
	if _, err := db.SQL().ExecContext(ctx, `INSERT INTO backup_checks (job, destination, at, ok, errors) VALUES (?, ?, ?, ?, ?)`,
		c.Job, c.Destination, ts(c.At), b2i(c.OK), lines(c.Errors)); err != nil {
		return fmt.Errorf("record check: %w", err)
	}
	return nil
}

func insertDrill(ctx context.Context, db *store.DB, d DrillRecord) error {
	if _, err := db.SQL().ExecContext(ctx, `INSERT INTO backup_drills
(job, destination, at, ok, snapshot_id, files_checked, files_skipped, errors) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		d.Job, d.Destination, ts(d.At), b2i(d.OK), d.SnapshotID, d.FilesChecked, d.FilesSkipped, lines(d.Errors)); err != nil {
		return fmt.Errorf("record drill: %w", err)
	}
	return nil
}

// LastRun is the latest run of job to destination recorded in db, nil
// when there is none.
func LastRun(ctx context.Context, db *store.DB, job, destination string) (*RunRecord, error) {
	return lastRun(ctx, db, job, destination, false)
}

// lastRun reads the latest run, or the latest successful one when okOnly.
func lastRun(ctx context.Context, db *store.DB, job, destination string, okOnly bool) (*RunRecord, error) {
	q := `SELECT repository, started_at, finished_at, ok, error, snapshot_id, files_new, files_changed,
 data_added, bytes_processed, duration_ms, full, forget_error FROM backup_runs WHERE job = ? AND destination = ?`
	if okOnly {
		q += ` AND ok = 1`
	}
	q += ` ORDER BY id DESC LIMIT 1`
	r := RunRecord{Job: job, Destination: destination}
	var started, finished string
	var ms int64
	err := db.SQL().QueryRowContext(ctx, q, job, destination).Scan(&r.Repository, &started, &finished, &r.OK, &r.Error,
		&r.SnapshotID, &r.FilesNew, &r.FilesChanged, &r.DataAdded, &r.BytesProcessed, &ms, &r.Full, &r.ForgetError)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read runs: %w", err)
	}
	r.StartedAt, r.FinishedAt, r.Duration = parseTS(started), parseTS(finished), time.Duration(ms)*time.Millisecond
	return &r, nil
}

// LastCheck is the latest check of job's destination recorded in db, nil
// when there is none.
func LastCheck(ctx context.Context, db *store.DB, job, destination string) (*CheckRecord, error) {
	c := CheckRecord{Job: job, Destination: destination}
	var at, errs string
	err := db.SQL().QueryRowContext(ctx, `SELECT at, ok, errors FROM backup_checks WHERE job = ? AND destination = ? ORDER BY id DESC LIMIT 1`,
		job, destination).Scan(&at, &c.OK, &errs)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read checks: %w", err)
	}
	c.At, c.Errors = parseTS(at), unlines(errs)
	return &c, nil
}

// LastDrill is the latest restore drill of job's destination recorded in
// db, nil when there is none.
func LastDrill(ctx context.Context, db *store.DB, job, destination string) (*DrillRecord, error) {
	d := DrillRecord{Job: job, Destination: destination}
	var at, errs string
	err := db.SQL().QueryRowContext(ctx, `SELECT at, ok, snapshot_id, files_checked, files_skipped, errors FROM backup_drills
WHERE job = ? AND destination = ? ORDER BY id DESC LIMIT 1`, job, destination).Scan(&at, &d.OK, &d.SnapshotID, &d.FilesChecked, &d.FilesSkipped, &errs)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read drills: %w", err)
	}
	d.At, d.Errors = parseTS(at), unlines(errs)
	return &d, nil
}

// Runs are job's runs (every destination) started in [from, to), oldest
// first.
func Runs(ctx context.Context, db *store.DB, job string, from, to time.Time) ([]RunRecord, error) {
	rows, err := db.SQL().QueryContext(ctx, `SELECT destination, repository, started_at, finished_at, ok, error, snapshot_id,
 files_new, files_changed, data_added, bytes_processed, duration_ms, full, forget_error FROM backup_runs
 WHERE job = ? ORDER BY started_at, id`, job)
	if err != nil {
		return nil, fmt.Errorf("backup %s: read runs: %w", job, err)
	}
	defer rows.Close()
	var out []RunRecord
	for rows.Next() {
		r := RunRecord{Job: job}
		var started, finished string
		var ms int64
		if err := rows.Scan(&r.Destination, &r.Repository, &started, &finished, &r.OK, &r.Error, &r.SnapshotID, &r.FilesNew,
			&r.FilesChanged, &r.DataAdded, &r.BytesProcessed, &ms, &r.Full, &r.ForgetError); err != nil {
			return nil, fmt.Errorf("backup %s: read runs: %w", job, err)
		}
		r.StartedAt, r.FinishedAt, r.Duration = parseTS(started), parseTS(finished), time.Duration(ms)*time.Millisecond
		if !r.StartedAt.Before(from) && r.StartedAt.Before(to) {
			out = append(out, r)
		}
	}
	return out, rows.Err()
}
