// Package backup runs the state's backup jobs with restic, proves that
// they restore, and reports how fresh each copy is.
//
// A Job is one entry of the state's backups, built by JobsFromState (which
// reads each repository password and backend variable through a resolver)
// or JobsFromStateUnresolved (no secret: for runbooks and schedules).
//
//	Run     backs a job up to each destination: Init the first time, Backup
//	        (--force on the weekly full run), a row in backup_runs, then
//	        forget --prune with the job's retention on the job's snapshots.
//	Verify  restic check --read-data-subset (backup_checks) and a restore
//	        drill (backup_drills): a few files of the latest snapshot
//	        restored into a temporary directory and compared with the
//	        source.
//	Status  per job and destination: the latest snapshot's age against a
//	        day plus the grace (ok, late, missing, unreachable), the
//	        snapshot count, and the last run, check and drill. It lists each
//	        repository once, however many jobs share it.
//	Findings  turns statuses into findings for drift and alerts.
//	Runbook   is a job's Markdown recovery guide, from the state alone.
//
// Snapshots are tagged "itlag", "job:NAME" and "daily" or "full"; every
// restic call that selects snapshots (forget, status, drills, the runbook's
// commands) selects by "job:NAME", so jobs may share a repository.
//
// Run calls Init only while the history records no successful run to the
// repository: once a repository has held snapshots, its absence (a USB disk
// not mounted, a share gone) fails the run instead of starting a new empty
// repository on the mount point. To start over on purpose, run restic init
// by hand (the runbook says how to point restic at the repository).
//
// The restic calls go through the small interface Restic, which the real
// *restic.Runner (package backup/restic) satisfies; the history lives in
// the local SQLite database (package store, migration 2).
package backup
