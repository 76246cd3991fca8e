package backup

import (
	"context"
	"errors"
	"fmt"
)

// VerifyReport is what one verification of a job found, destination by
// destination.
type VerifyReport struct {
	Job          string
	Destinations []DestinationVerify
}

// DestinationVerify is the check and the drill of one destination; each
// is nil when it was not asked for.
type DestinationVerify struct {
	Destination string
	Check       *CheckRecord
	Drill       *DrillRecord
}

// OK reports that what ran passed.
func (d DestinationVerify) OK() bool {
	return (d.Check == nil || d.Check.OK) && (d.Drill == nil || d.Drill.OK)
}

// Verify proves job's backups on each destination: with check, restic
// check --read-data-subset (a row in backup_checks); with drill, a restore
// drill of the latest snapshot (a row in backup_drills, see Drill). A
// check or drill that fails, or cannot run, is recorded as failed and
// named in the error; one destination failing does not stop the others.
func Verify(ctx context.Context, deps Deps, job Job, check, drill bool) (VerifyReport, error) {
	rep := VerifyReport{Job: job.Name}
	if deps.Restic == nil {
		return rep, fmt.Errorf("backup: job %s: no restic", job.Name)
	}
	rec := context.WithoutCancel(ctx)
	var errs []error
	fail := func(d Destination, err error) {
		errs = append(errs, fmt.Errorf("backup: job %s: destination %s: %w", job.Name, d.Name, err))
	}
	for _, d := range job.Destinations {
		dv := DestinationVerify{Destination: d.Name}
		if check {
			c := runCheck(ctx, deps, job, d)
			dv.Check = &c
			if !c.OK {
				fail(d, fmt.Errorf("check: %s", firstOr(c.Errors, "failed")))
			}
			if deps.DB != nil {
				if err := insertCheck(rec, deps.DB, c); err != nil {
					fail(d, err)
				}
			}
		}
		if drill {
			r := Drill(ctx, deps, job, d)
			dv.Drill = &r
			if !r.OK {
				fail(d, fmt.Errorf("restore drill: %s", firstOr(r.Errors, "failed")))
			}
			if deps.DB != nil {
				if err := insertDrill(rec, deps.DB, r); err != nil {
					fail(d, err)
				}
			}
		}
		rep.Destinations = append(rep.Destinations, dv)
	}
	return rep, errors.Join(errs...)
}

// runCheck runs restic check on one destination.
func runCheck(ctx context.Context, deps Deps, job Job, d Destination) CheckRecord {
	c := CheckRecord{Job: job.Name, Destination: d.Name, At: deps.now()}
	res, err := deps.Restic.Check(ctx, d.Repo, job.Verify.ReadDataSubset)
	switch {
	case err != nil:
		c.Errors = []string{"check did not run: " + err.Error()}
	case !res.OK:
		c.Errors = res.Errors
		if len(c.Errors) == 0 {
			c.Errors = []string{"restic check reported errors"}
		}
	default:
		c.OK = true
	}
	return c
}

func firstOr(s []string, def string) string {
	if len(s) == 0 {
		return def
	}
	if len(s) > 1 {
		return fmt.Sprintf("%s (and %d more)", s[0], len(s)-1)
	}
	return s[0]
}
