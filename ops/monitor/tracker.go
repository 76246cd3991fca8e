package monitor

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/store"
)

// Tracker is a monitor's alert state, fed one result at a time: DOWN after
// FailureThreshold failures in a row, UP again after SuccessThreshold
// successes in a row. The zero state is UP. A Tracker is not safe for
// concurrent use.
type Tracker struct {
	FailureThreshold, SuccessThreshold int

	down   bool
	since  time.Time // when the current state began
	streak int       // results in a row against the current state
	first  time.Time // the first of those
}

// NewTracker returns an UP tracker with m's thresholds (or the defaults).
func NewTracker(m Monitor) *Tracker {
	m = m.withDefaults()
	return &Tracker{FailureThreshold: m.FailureThreshold, SuccessThreshold: m.SuccessThreshold}
}

// Observe feeds one result and says whether the state changed. A state
// begins at the first result of the streak that changed it: a monitor
// that failed at 10:00 and 10:01 (threshold 2) is down since 10:00.
func (t *Tracker) Observe(ok bool, at time.Time) (changed bool) {
	if ok != t.down { // agrees with the current state
		t.streak = 0
		return false
	}
	if t.streak == 0 {
		t.first = at
	}
	t.streak++
	threshold := max(t.FailureThreshold, 1)
	if t.down {
		threshold = max(t.SuccessThreshold, 1)
	}
	if t.streak < threshold {
		return false
	}
	t.down = !t.down
	t.since = t.first
	t.streak = 0
	return true
}

// Down says whether the monitor is DOWN.
func (t *Tracker) Down() bool { return t.down }

// Since is when the current state began; zero if UP since the first
// result seen.
func (t *Tracker) Since() time.Time { return t.since }

// historyWindow is how many of the latest results State replays: enough
// for any threshold; an outage longer than the window reads as starting
// at the window's first result.
const historyWindow = 1000

// status is State's answer plus the latest result, for Findings.
type status struct {
	down      bool
	since     time.Time
	failures  int // in a row, at the end
	lastAt    time.Time
	lastValue string
	lastError string
}

// State replays m's latest recorded results through a Tracker and says
// whether m is down and since when.
func State(ctx context.Context, db *store.DB, m Monitor) (down bool, since time.Time, err error) {
	s, err := state(ctx, db, m)
	return s.down, s.since, err
}

func state(ctx context.Context, db *store.DB, m Monitor) (status, error) {
	rows, err := db.SQL().QueryContext(ctx, `
SELECT at, ok, value, error FROM monitor_results WHERE monitor = ?
ORDER BY at DESC, id DESC LIMIT ?`, m.Name, historyWindow)
	if err != nil {
		return status{}, fmt.Errorf("monitor %s: state: %w", m.Name, err)
	}
	defer rows.Close()
	type row struct {
		at           time.Time
		ok           bool
		value, error string
	}
	var rs []row
	for rows.Next() {
		var r row
		var at string
		if err := rows.Scan(&at, &r.ok, &r.value, &r.error); err != nil {
			return status{}, fmt.Errorf("monitor %s: state: %w", m.Name, err)
		}
		if r.at, err = time.Parse(time.RFC3339, at); err != nil {
			return status{}, fmt.Errorf("monitor %s: state: result time %q: %w", m.Name, at, err)
		}
		rs = append(rs, r)
	}
	if err := rows.Err(); err != nil {
		return status{}, fmt.Errorf("monitor %s: state: %w", m.Name, err)
	}
	slices.Reverse(rs)
	t := NewTracker(m)
	var s status
	for _, r := range rs {
		t.Observe(r.ok, r.at)
		if r.ok {
			s.failures = 0
		} else {
			s.failures++
		}
		s.lastAt, s.lastValue, s.lastError = r.at, r.value, r.error
	}
	s.down, s.since = t.Down(), t.Since()
	return s, nil
}

// Assessment is one monitor as its recorded history says it is.
type Assessment struct {
	Monitor Monitor
	// Known is false when the monitor has no recorded result yet.
	Known bool
	Down  bool
	// Since is when the current state began; zero if unknown.
	Since time.Time
	// Finding is set while the monitor is DOWN.
	Finding *finding.Finding
}

// Assess replays each monitor's latest recorded results once and says
// whether it is down, since when, and, when it is, its finding (see
// Findings).
func Assess(ctx context.Context, db *store.DB, monitors []Monitor) ([]Assessment, error) {
	out := make([]Assessment, 0, len(monitors))
	for _, m := range monitors {
		s, err := state(ctx, db, m.withDefaults())
		if err != nil {
			return nil, err
		}
		a := Assessment{Monitor: m, Known: !s.lastAt.IsZero(), Down: s.down, Since: s.since}
		if s.down {
			f := downFinding(m.withDefaults(), s)
			a.Finding = &f
		}
		out = append(out, a)
	}
	return out, nil
}

// Findings returns a finding for each monitor that is DOWN, with the
// monitor's severity, source "monitor:NAME" and a fingerprint that stays
// the same for the whole outage (and the next ones).
func Findings(ctx context.Context, db *store.DB, monitors []Monitor) ([]finding.Finding, error) {
	as, err := Assess(ctx, db, monitors)
	if err != nil {
		return nil, err
	}
	return DownFindings(as), nil
}

// DownFindings are the findings of the assessments that are DOWN, in order.
func DownFindings(as []Assessment) []finding.Finding {
	var out []finding.Finding
	for _, a := range as {
		if a.Finding != nil {
			out = append(out, *a.Finding)
		}
	}
	return out
}

// downFinding is the finding of m, DOWN as s says: since when in the
// summary, the last probe's value and error in the detail.
func downFinding(m Monitor, s status) finding.Finding {
	summary := fmt.Sprintf("%s is down since %s", m.Name, s.since.Format(time.RFC3339))
	f := finding.New(m.Severity, "monitor:"+m.Name, "down", summary)
	// Nothing that changes with every probe (its time, the count of
	// failures): drift rewrites an incident, and commits, only when the
	// situation did, not each hour the website stays down.
	f.Detail = fmt.Sprintf("%s %s", m.Kind, DisplayTarget(m.Target))
	if s.lastValue != "" {
		f.Detail += ": got " + s.lastValue
	}
	if s.lastError != "" {
		f.Detail += ": " + s.lastError
	}
	return f
}
