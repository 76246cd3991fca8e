package backup

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/lagrieta/itlag/ops/backup/restic"
	"github.com/lagrieta/itlag/store"
)

// RunReport is what one run of a job did, destination by destination.
type RunReport struct {
	Job  string
	Full bool
	// Destinations are in the job's order.
	Destinations []DestinationRun
}

// DestinationRun is a run's outcome on one destination.
type DestinationRun struct {
	Destination, Repository string
	// Initialized says Init was called: the history had no successful
	// run to this repository.
	Initialized           bool
	StartedAt, FinishedAt time.Time
	Summary               restic.Summary
	// Partial says the snapshot was made without some source data
	// (unreadable files, a missing source path): Err wraps
	// restic.ErrPartial, and forget did not run.
	Partial bool
	// Err is why the backup failed or was partial; nil when the snapshot
	// holds every source file.
	Err error
	// Forget is what forget --prune kept and removed; nil when it did not
	// run (it runs only after a complete snapshot).
	Forget    *restic.ForgetResult
	ForgetErr error
}

// OK reports a complete snapshot with its retention applied.
func (d DestinationRun) OK() bool { return d.Err == nil && d.ForgetErr == nil }

// Run backs job up to each of its destinations in turn: Init when the
// history has no successful run to the repository (so that a repository
// gone missing, say an unmounted USB disk, is an error rather than a new
// empty repository on the mount point), Backup (--force when full) with
// the tags "itlag", "job:NAME" and "daily" or "full", a row in
// backup_runs, then forget --prune with the job's retention, on the job's
// snapshots only, after a complete snapshot (a partial one, made without
// some source data, fails the destination and skips forget, so that it
// never displaces a complete snapshot of the same day). One destination failing does
// not stop the others; the error joins each failure, naming its
// destination. The report is complete even when the error is not nil.
func Run(ctx context.Context, deps Deps, job Job, full bool) (RunReport, error) {
	rep := RunReport{Job: job.Name, Full: full}
	if deps.Restic == nil {
		return rep, fmt.Errorf("backup: job %s: no restic", job.Name)
	}
	var errs []error
	for _, d := range job.Destinations {
		if err := ctx.Err(); err != nil {
			errs = append(errs, fmt.Errorf("backup: job %s: destination %s: not run: %w", job.Name, d.Name, err))
			continue
		}
		dr, err := runOne(ctx, deps, job, d, full)
		rep.Destinations = append(rep.Destinations, dr)
		if err != nil {
			errs = append(errs, fmt.Errorf("backup: job %s: destination %s: %w", job.Name, d.Name, err))
		}
	}
	return rep, errors.Join(errs...)
}

// runOne runs the job to one destination.
func runOne(ctx context.Context, deps Deps, job Job, d Destination, full bool) (DestinationRun, error) {
	dr := DestinationRun{Destination: d.Name, Repository: d.Repository, StartedAt: deps.now()}
	// the history is written even when ctx is cancelled mid-run
	rec := context.WithoutCancel(ctx)
	known, err := knownRepository(rec, deps.DB, d.Repository)
	if err != nil {
		return dr, err
	}
	if !known {
		dr.Initialized = true
		if err := deps.Restic.Init(ctx, d.Repo); err != nil {
			dr.Err = fmt.Errorf("init: %w", err)
			dr.FinishedAt = deps.now()
			return dr, errors.Join(dr.Err, record(rec, deps.DB, job, dr, full, nil))
		}
	}
	opts := restic.BackupOptions{Force: full, Excludes: job.Excludes, Tags: Tags(job.Name, full), Host: job.RunsOn}
	if deps.Progress != nil {
		name, progress := d.Name, deps.Progress
		opts.Progress = func(p restic.Progress) { progress(name, p) }
	}
	dr.Summary, err = deps.Restic.Backup(ctx, d.Repo, job.Sources, opts)
	dr.FinishedAt = deps.now()
	switch w := dr.Summary.Warnings; {
	case err != nil:
		dr.Partial = errors.Is(err, restic.ErrPartial) && dr.Summary.SnapshotID != ""
		dr.Err = fmt.Errorf("backup: %w", err)
	case len(w) > 0:
		// restic 0.14 exits 0 when a source path is missing
		dr.Partial = true
		dr.Err = fmt.Errorf("backup: %w: %s", restic.ErrPartial, firstOr(w, ""))
	}
	var id int64
	if err := record(rec, deps.DB, job, dr, full, &id); err != nil {
		return dr, errors.Join(dr.Err, err)
	}
	if dr.Err != nil {
		// a partial snapshot could make forget drop a complete one
		return dr, dr.Err
	}
	fr, err := deps.Restic.Forget(ctx, d.Repo, keep(job.Retention), true, JobTag(job.Name))
	if err != nil {
		dr.ForgetErr = fmt.Errorf("forget --prune: %w", err)
		if deps.DB != nil {
			if err := setForgetError(rec, deps.DB, id, dr.ForgetErr.Error()); err != nil {
				return dr, errors.Join(dr.ForgetErr, err)
			}
		}
		return dr, dr.ForgetErr
	}
	dr.Forget = &fr
	return dr, nil
}

// knownRepository reports whether a run succeeded to repository before.
func knownRepository(ctx context.Context, db *store.DB, repository string) (bool, error) {
	if db == nil {
		return false, nil
	}
	var n int
	if err := db.SQL().QueryRowContext(ctx, `SELECT count(*) FROM backup_runs WHERE repository = ? AND ok = 1`, repository).Scan(&n); err != nil {
		return false, fmt.Errorf("read runs: %w", err)
	}
	return n > 0, nil
}

// record writes dr to backup_runs, and its row id to id when not nil.
func record(ctx context.Context, db *store.DB, job Job, dr DestinationRun, full bool, id *int64) error {
	if db == nil {
		return nil
	}
	r := RunRecord{
		Job: job.Name, Destination: dr.Destination, Repository: dr.Repository,
		StartedAt: dr.StartedAt, FinishedAt: dr.FinishedAt, OK: dr.Err == nil,
		SnapshotID: dr.Summary.SnapshotID, FilesNew: dr.Summary.FilesNew, FilesChanged: dr.Summary.FilesChanged,
		DataAdded: dr.Summary.DataAdded, BytesProcessed: dr.Summary.TotalBytesProcessed,
		Duration: dr.Summary.Duration, Full: full,
	}
	if dr.Err != nil {
		r.Error = dr.Err.Error()
	}
	if r.Duration == 0 {
		r.Duration = dr.FinishedAt.Sub(dr.StartedAt)
	}
	n, err := insertRun(ctx, db, r)
	if id != nil {
		*id = n
	}
	return err
}
