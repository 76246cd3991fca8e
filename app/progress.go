package app

import (
	"fmt"

	"github.com/lagrieta/itlag/ops/backup/restic"
)

// Progress hears how far a long use case has come (apply, backup run,
// import, drift), so that the command line can show it; the use cases
// print nothing themselves. A use case calls Start, then Phase and Add
// any number of times, then Done, all from one goroutine at a time. The
// Adds of a task that runs to its end add up to its total; a task that
// stops early (an error, ctx done) still ends with Done.
type Progress interface {
	// Start begins a task named what ("apply", "drift") of total steps;
	// total <= 0 means unknown.
	Start(what string, total int)
	// Phase names the part of the task that runs now ("observe",
	// "reports"); it counts no step.
	Phase(name string)
	// Add counts n more steps done.
	Add(n int)
	// Done ends the task.
	Done()
}

// NoProgress shows nothing: the default when an option's Progress is nil.
type NoProgress struct{}

func (NoProgress) Start(string, int) {}
func (NoProgress) Phase(string)      {}
func (NoProgress) Add(int)           {}
func (NoProgress) Done()             {}

// progressOr is p, or NoProgress when p is nil.
func progressOr(p Progress) Progress {
	if p == nil {
		return NoProgress{}
	}
	return p
}

// backupSteps is the scale of a destination's backup task: restic reports
// a fraction done, shown in thousandths.
const backupSteps = 1000

// backupProgress turns restic's status lines for each destination of
// job into one task per destination ("backup JOB/DEST", backupSteps
// steps), never going backwards (restic's fraction drops while it is
// still counting the files). finish ends the last task; it is safe to
// call when no line came.
func backupProgress(p Progress, job string) (hear func(dest string, rp restic.Progress), finish func()) {
	cur, done := "", 0
	finish = func() {
		if cur != "" {
			p.Done()
			cur = ""
		}
	}
	hear = func(dest string, rp restic.Progress) {
		if dest != cur {
			finish()
			cur, done = dest, 0
			p.Start(fmt.Sprintf("backup %s/%s", job, dest), backupSteps)
		}
		now := int(min(max(rp.PercentDone, 0), 1) * backupSteps)
		if now > done {
			p.Add(now - done)
			done = now
		}
	}
	return hear, finish
}
