package backup

import (
	"fmt"
	"time"

	"github.com/lagrieta/itlag/finding"
)

// Finding keys: a finding's fingerprint is its source ("backup:JOB/DEST")
// and one of these, so it stays the same while the problem lasts.
const (
	keyUnreachable     = "unreachable"
	keyMissing         = "missing"
	keyLate            = "late"
	keyRunFailed       = "run-failed"
	keyForgetFailed    = "forget-failed"
	keyCheckFailed     = "check-failed"
	keyDrillFailed     = "drill-failed"
	keyCheckOverdue    = "check-overdue"
	keyDrillOverdue    = "drill-overdue"
	checkOverdueLeeway = 24 * time.Hour
	drillOverdueLeeway = 7 * 24 * time.Hour
)

// Findings turns statuses into findings, source "backup:JOB/DEST":
//
//	critical  the last check failed; the last restore drill failed
//	high      no snapshot at all; none within a day plus the grace;
//	          the repository cannot be listed; the last run failed
//	medium    no check within check_every plus a day, no drill within
//	          drill_every plus a week (counted from the oldest snapshot
//	          when there never was one); forget --prune failed
func Findings(statuses []DestinationStatus) []finding.Finding {
	var out []finding.Finding
	for _, st := range statuses {
		out = append(out, findings(st)...)
	}
	return out
}

func findings(st DestinationStatus) []finding.Finding {
	src := "backup:" + st.Job + "/" + st.Destination
	var out []finding.Finding
	add := func(sev finding.Severity, key, summary, detail string) {
		f := finding.New(sev, src, key, summary)
		f.Detail = detail
		out = append(out, f)
	}
	sched := fmt.Sprintf("schedule daily at %s + %s grace", st.Schedule.Daily, fmtDuration(st.Schedule.Grace))
	switch st.State {
	case StateUnreachable:
		add(finding.High, keyUnreachable, fmt.Sprintf("repository %s cannot be listed", st.Repository), st.Error)
	case StateMissing:
		add(finding.High, keyMissing, "no snapshot at all, "+sched,
			fmt.Sprintf("repository %s holds no snapshot tagged %s", st.Repository, JobTag(st.Job)))
	case StateLate:
		add(finding.High, keyLate, fmt.Sprintf("no snapshot for %s, %s", fmtAge(st.Age), sched),
			fmt.Sprintf("latest snapshot %s at %s in %s", st.Latest.ShortID, st.Latest.Time.UTC().Format(time.RFC3339), st.Repository))
	}
	if r := st.LastRun; r != nil {
		if !r.OK {
			add(finding.High, keyRunFailed, fmt.Sprintf("last run failed (%s)", r.StartedAt.UTC().Format(time.RFC3339)), r.Error)
		} else if r.ForgetError != "" {
			add(finding.Medium, keyForgetFailed, "retention not applied: forget --prune failed on the last run", r.ForgetError)
		}
	}
	if c := st.LastCheck; c != nil && !c.OK {
		add(finding.Critical, keyCheckFailed, fmt.Sprintf("restic check failed (%s)", c.At.UTC().Format(time.RFC3339)), lines(c.Errors))
	}
	if d := st.LastDrill; d != nil && !d.OK {
		add(finding.Critical, keyDrillFailed, fmt.Sprintf("restore drill failed (%s)", d.At.UTC().Format(time.RFC3339)), lines(d.Errors))
	}
	if overdue(st, st.LastCheck != nil, checkAt(st), st.Verify.CheckEvery+checkOverdueLeeway) {
		add(finding.Medium, keyCheckOverdue, overdueSummary("check", st.Verify.CheckEveryName, checkAt(st), st.At), "")
	}
	if overdue(st, st.LastDrill != nil, drillAt(st), st.Verify.DrillEvery+drillOverdueLeeway) {
		add(finding.Medium, keyDrillOverdue, overdueSummary("restore drill", st.Verify.DrillEveryName, drillAt(st), st.At), "")
	}
	return out
}

func checkAt(st DestinationStatus) time.Time {
	if st.LastCheck == nil {
		return time.Time{}
	}
	return st.LastCheck.At
}

func drillAt(st DestinationStatus) time.Time {
	if st.LastDrill == nil {
		return time.Time{}
	}
	return st.LastDrill.At
}

// overdue reports whether the last one (at last, when done) is older than
// limit; never done counts from the oldest snapshot, so a new job has
// time for its first one.
func overdue(st DestinationStatus, done bool, last time.Time, limit time.Duration) bool {
	if limit <= 0 {
		return false
	}
	if !done {
		last = st.Oldest
		if last.IsZero() {
			return false // no snapshot: nothing to verify yet
		}
	}
	return st.At.Sub(last) > limit
}

func overdueSummary(what, every string, last, now time.Time) string {
	if last.IsZero() {
		return fmt.Sprintf("no %s ever, want one %s", what, every)
	}
	return fmt.Sprintf("no %s for %s, want one %s", what, fmtAge(now.Sub(last)), every)
}

// fmtAge writes an age in hours up to three days, in days past that.
func fmtAge(d time.Duration) string {
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d/time.Minute))
	case d < 72*time.Hour:
		return fmt.Sprintf("%dh", int(d/time.Hour))
	}
	return fmt.Sprintf("%dd", int(d/(24*time.Hour)))
}

// fmtDuration writes a duration as the state does: 2d, 6h, 30m.
func fmtDuration(d time.Duration) string {
	switch {
	case d != 0 && d%(24*time.Hour) == 0:
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	}
	return fmt.Sprintf("%dm", d/time.Minute)
}
