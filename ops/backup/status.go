package backup

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/lagrieta/itlag/ops/backup/restic"
)

// State is how fresh a destination's snapshots are.
type State string

// The states of a destination.
const (
	// StateOK: the latest snapshot is at most a day plus the grace old.
	StateOK State = "ok"
	// StateLate: the latest snapshot is older than that.
	StateLate State = "late"
	// StateMissing: the repository holds no snapshot of the job.
	StateMissing State = "missing"
	// StateUnreachable: the repository could not be listed.
	StateUnreachable State = "unreachable"
)

// DestinationStatus is the state of one job's copies in one destination.
type DestinationStatus struct {
	Job, Destination, Repository, Media string
	Offsite                             bool
	Schedule                            Schedule
	Verify                              VerifyPolicy
	// At is when the status was taken.
	At    time.Time
	State State
	// Error says why the repository is unreachable.
	Error string
	// Latest is the newest snapshot of the job, nil when none; Age is how
	// old it is at At.
	Latest *restic.Snapshot
	Age    time.Duration
	// Oldest is the time of the oldest snapshot of the job.
	Oldest time.Time
	// Snapshots is how many snapshots of the job the repository holds;
	// RetentionMax is the most the retention keeps (0 when keep_within
	// leaves it open). Informational: restic counts only periods that
	// have a snapshot.
	Snapshots, RetentionMax int
	// SizeBytes is the repository's size on disk, for a repository that
	// is a local path (summed from its files, no restic call); -1 when
	// unknown (remote repositories).
	SizeBytes int64
	// The latest run, check and drill recorded, nil when none.
	LastRun   *RunRecord
	LastCheck *CheckRecord
	LastDrill *DrillRecord
}

// statusWorkers is how many repositories Status lists at once.
const statusWorkers = 4

// Status reports each destination of each job at now: the latest
// snapshot's age against the schedule (a snapshot at least every day plus
// the grace), how many snapshots there are, and the last run, check and
// drill the history records. It lists each repository once, whatever the
// number of jobs and destinations in it (the snapshots of the one job
// using it, or every itlag snapshot when several do), a few repositories
// at a time. A repository that cannot be listed makes its destinations
// "unreachable", not an error; an error is a history that cannot be read.
// Listing needs the passwords: build jobs with JobsFromState.
func Status(ctx context.Context, deps Deps, jobs []Job, now time.Time) ([]DestinationStatus, error) {
	if deps.Restic == nil {
		return nil, fmt.Errorf("backup: status: no restic")
	}
	lists := listRepositories(ctx, deps.Restic, jobs)
	var out []DestinationStatus
	for _, j := range jobs {
		for _, d := range j.Destinations {
			st := DestinationStatus{
				Job: j.Name, Destination: d.Name, Repository: d.Repository, Media: d.Media, Offsite: d.Offsite,
				Schedule: j.Schedule, Verify: j.Verify, At: now, RetentionMax: retentionMax(j),
				SizeBytes: localSize(d.Repository),
			}
			if err := history(ctx, deps, &st); err != nil {
				return nil, fmt.Errorf("backup: status: job %s: destination %s: %w", j.Name, d.Name, err)
			}
			l := lists[d.Repository]
			switch {
			case l.err != nil && errors.Is(l.err, restic.ErrNoRepository) && st.LastRun == nil:
				// Never run: the first run creates the repository.
				st.State, st.Error = StateMissing, "no repository yet: the first run creates it"
			case l.err != nil:
				st.State, st.Error = StateUnreachable, l.err.Error()
			default:
				freshness(&st, l.snaps, j.Name, now)
			}
			out = append(out, st)
		}
	}
	return out, nil
}

// listing is one repository's snapshots, or why they could not be read.
type listing struct {
	snaps []restic.Snapshot
	err   error
}

// listRepositories lists each repository of jobs once, by URL.
func listRepositories(ctx context.Context, r Restic, jobs []Job) map[string]listing {
	type repoJobs struct {
		repo restic.Repo
		jobs []string
	}
	byURL := map[string]*repoJobs{}
	var urls []string
	for _, j := range jobs {
		for _, d := range j.Destinations {
			rj := byURL[d.Repository]
			if rj == nil {
				rj = &repoJobs{repo: d.Repo}
				byURL[d.Repository] = rj
				urls = append(urls, d.Repository)
			}
			if !slices.Contains(rj.jobs, j.Name) {
				rj.jobs = append(rj.jobs, j.Name)
			}
		}
	}
	out := make(map[string]listing, len(urls))
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, statusWorkers)
	for _, u := range urls {
		rj := byURL[u]
		tag := "itlag"
		if len(rj.jobs) == 1 {
			tag = JobTag(rj.jobs[0])
		}
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			snaps, err := r.Snapshots(ctx, rj.repo, tag)
			if err != nil {
				err = fmt.Errorf("list snapshots: %w", err)
			}
			mu.Lock()
			out[u] = listing{snaps: snaps, err: err}
			mu.Unlock()
		})
	}
	wg.Wait()
	return out
}

// freshness sets the state from the job's snapshots in snaps.
func freshness(st *DestinationStatus, snaps []restic.Snapshot, job string, now time.Time) {
	for _, s := range snaps {
		if !slices.Contains(s.Tags, JobTag(job)) {
			continue
		}
		st.Snapshots++
		if st.Latest == nil || s.Time.After(st.Latest.Time) {
			st.Latest = &s
		}
		if st.Oldest.IsZero() || s.Time.Before(st.Oldest) {
			st.Oldest = s.Time
		}
	}
	switch {
	case st.Latest == nil:
		st.State = StateMissing
	case now.Sub(st.Latest.Time) > st.Schedule.Expected():
		st.State, st.Age = StateLate, now.Sub(st.Latest.Time)
	default:
		st.State, st.Age = StateOK, since(now, st.Latest.Time)
	}
}

// history reads the last run, check and drill of st's destination.
func history(ctx context.Context, deps Deps, st *DestinationStatus) error {
	if deps.DB == nil {
		return nil
	}
	var err error
	if st.LastRun, err = LastRun(ctx, deps.DB, st.Job, st.Destination); err != nil {
		return err
	}
	if st.LastCheck, err = LastCheck(ctx, deps.DB, st.Job, st.Destination); err != nil {
		return err
	}
	st.LastDrill, err = LastDrill(ctx, deps.DB, st.Job, st.Destination)
	return err
}

// retentionMax is the most snapshots the count-based policy keeps, 0 when
// keep_within leaves the number open.
func retentionMax(j Job) int {
	r := j.Retention
	if r.KeepWithin != "" {
		return 0
	}
	return r.KeepDaily + r.KeepWeekly + r.KeepMonthly + r.KeepYearly
}

// since is how long ago t was at now, never negative.
func since(now, t time.Time) time.Duration {
	if d := now.Sub(t); d > 0 {
		return d
	}
	return 0
}

// localSize sums the files of a repository that is a local directory; -1
// for any other repository, or when it cannot be read.
func localSize(repo string) int64 {
	if !filepath.IsAbs(repo) {
		return -1
	}
	var total int64
	err := filepath.WalkDir(repo, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			total += info.Size()
		}
		return nil
	})
	if err != nil {
		return -1
	}
	return total
}
