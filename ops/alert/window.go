package alert

import (
	"fmt"
	"strings"
	"time"
)

// Window is a maintenance window: while now is inside it, nothing is sent
// (events are recorded as held; see the package documentation). It is
// either one-off (Start, End) or recurring (Weekly).
type Window struct {
	// Name appears in alerts_sent's held rows.
	Name string
	// Start and End bound a one-off window: Start <= t < End.
	Start, End time.Time
	// Weekly, when set, is a recurring window and Start, End are ignored.
	Weekly *Weekly
}

// Weekly is a window that recurs each week: it opens on Day at Start (a
// time of day) and closes at End; an End not after Start closes the next
// day ("saturday 23:00-01:00").
type Weekly struct {
	Day        time.Weekday
	Start, End time.Duration // since midnight, minute precision
	// Location is the clock the window is read in; nil = UTC.
	Location *time.Location
}

// ParseWeekly reads "sunday 02:00-04:00" (day names in English, any case)
// in loc (nil = UTC).
func ParseWeekly(s string, loc *time.Location) (Weekly, error) {
	day, span, ok := strings.Cut(strings.TrimSpace(s), " ")
	if !ok {
		return Weekly{}, fmt.Errorf("weekly window %q: want \"<day> HH:MM-HH:MM\"", s)
	}
	w := Weekly{Day: -1, Location: loc}
	for d := time.Sunday; d <= time.Saturday; d++ {
		if strings.EqualFold(day, d.String()) {
			w.Day = d
		}
	}
	if w.Day < 0 {
		return Weekly{}, fmt.Errorf("weekly window %q: unknown day %q", s, day)
	}
	from, to, ok := strings.Cut(strings.TrimSpace(span), "-")
	if !ok {
		return Weekly{}, fmt.Errorf("weekly window %q: want \"<day> HH:MM-HH:MM\"", s)
	}
	var err error
	if w.Start, err = timeOfDay(from); err != nil {
		return Weekly{}, fmt.Errorf("weekly window %q: %w", s, err)
	}
	if w.End, err = timeOfDay(to); err != nil {
		return Weekly{}, fmt.Errorf("weekly window %q: %w", s, err)
	}
	return w, nil
}

// timeOfDay reads "HH:MM" (00:00 to 24:00) as the time since midnight.
func timeOfDay(s string) (time.Duration, error) {
	var h, m int
	if n, err := fmt.Sscanf(strings.TrimSpace(s), "%d:%d", &h, &m); n != 2 || err != nil ||
		h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0) || len(strings.TrimSpace(s)) != 5 {
		return 0, fmt.Errorf("time %q: want HH:MM", s)
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute, nil
}

// Validate checks the window.
func (w Window) Validate() error {
	if w.Weekly != nil {
		if w.Weekly.Day < time.Sunday || w.Weekly.Day > time.Saturday {
			return fmt.Errorf("window %s: day %d out of range", w.Name, w.Weekly.Day)
		}
		if w.Weekly.Start < 0 || w.Weekly.Start >= 24*time.Hour || w.Weekly.End < 0 || w.Weekly.End > 24*time.Hour {
			return fmt.Errorf("window %s: times must be within a day", w.Name)
		}
		return nil
	}
	if !w.Start.Before(w.End) {
		return fmt.Errorf("window %s: start %s is not before end %s", w.Name,
			w.Start.Format(time.RFC3339), w.End.Format(time.RFC3339))
	}
	return nil
}

// Contains reports whether t is inside the window.
func (w Window) Contains(t time.Time) bool {
	if w.Weekly == nil {
		return !t.Before(w.Start) && t.Before(w.End)
	}
	return w.Weekly.Contains(t)
}

// Contains reports whether t is inside an occurrence of the window: the
// one opening on t's day or, for a window past midnight, the day before.
func (w Weekly) Contains(t time.Time) bool {
	loc := w.Location
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	for _, back := range []int{0, -1} {
		d := t.AddDate(0, 0, back)
		if d.Weekday() != w.Day {
			continue
		}
		start := at(d, w.Start, loc)
		endDay := d
		if w.End <= w.Start {
			endDay = d.AddDate(0, 0, 1)
		}
		end := at(endDay, w.End, loc)
		if !t.Before(start) && t.Before(end) {
			return true
		}
	}
	return false
}

// at is the wall-clock time of day on d's date in loc.
func at(d time.Time, of time.Duration, loc *time.Location) time.Time {
	y, m, day := d.Date()
	return time.Date(y, m, day, int(of/time.Hour), int(of%time.Hour/time.Minute), 0, 0, loc)
}
