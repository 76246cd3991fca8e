package backup

import (
	"context"
	"time"

	"github.com/lagrieta/itlag/ops/backup/restic"
	"github.com/lagrieta/itlag/store"
)

// Restic is what this package needs of restic; *restic.Runner is the real
// one, tests use an in-memory fake. Every method works on one repository,
// must honour ctx, and must never put the repository's password or
// backend secrets in an error.
type Restic interface {
	// Init creates the repository; it succeeds when the repository exists
	// already.
	Init(ctx context.Context, repo restic.Repo) error
	// Backup makes one snapshot of paths. A snapshot made without some
	// unreadable files returns its summary and an error wrapping
	// restic.ErrPartial.
	Backup(ctx context.Context, repo restic.Repo, paths []string, opts restic.BackupOptions) (restic.Summary, error)
	// Snapshots lists the snapshots carrying all of tags (every one with
	// no tag), in one restic call.
	Snapshots(ctx context.Context, repo restic.Repo, tags ...string) ([]restic.Snapshot, error)
	// Forget applies the policy to the snapshots carrying all of tags,
	// then prunes when prune is true.
	Forget(ctx context.Context, repo restic.Repo, keep restic.Keep, prune bool, tags ...string) (restic.ForgetResult, error)
	// Check checks the repository, reading readDataSubset of its data
	// ("" reads none). Problems found are a result with OK false; an
	// error means the check could not run.
	Check(ctx context.Context, repo restic.Repo, readDataSubset string) (restic.CheckResult, error)
	// Ls lists the nodes of a snapshot, with their absolute paths.
	Ls(ctx context.Context, repo restic.Repo, snapshotID string) ([]restic.Node, error)
	// Restore restores the paths include (every path when empty) of a
	// snapshot under target, each at target + its absolute path.
	Restore(ctx context.Context, repo restic.Repo, snapshotID, target string, include []string) error
}

// Deps are what Run, Verify and Status work with.
type Deps struct {
	Restic Restic
	// DB records runs, checks and drills, and Status reads them back. Nil
	// keeps no history.
	DB *store.DB
	// Now is the clock; nil is time.Now.
	Now func() time.Time
	// Progress, when set, hears the progress of each destination's
	// backup (the CLI prints a line on a terminal). It is called from the
	// goroutine running restic; it must not block for long.
	Progress func(destination string, p restic.Progress)
}

func (d Deps) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

// the real restic satisfies Restic
var _ Restic = (*restic.Runner)(nil)
