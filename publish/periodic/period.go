package periodic

import (
	"fmt"
	"time"
)

// The kinds of report.
const (
	Weekly  = "weekly"
	Monthly = "monthly"
)

// Period is the span a report covers: [Start, End), UTC.
type Period struct {
	Kind  string    `json:"kind"`
	Name  string    `json:"name"` // "2026-W49", "2026-11"
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Days is how many days the period spans.
func (p Period) Days() float64 { return p.End.Sub(p.Start).Hours() / 24 }

// Previous is the period before p.
func (p Period) Previous() Period {
	if p.Kind == Monthly {
		return monthOf(p.Start.AddDate(0, -1, 0))
	}
	return weekOf(p.Start.AddDate(0, 0, -7))
}

// ParsePeriod reads a period's name ("2026-W49" or "2026-12-01" for a
// week, "2026-11" for a month); "" is the last complete period before now.
func ParsePeriod(kind, name string, now time.Time) (Period, error) {
	switch kind {
	case Weekly:
		if name == "" {
			return weekOf(now.UTC().AddDate(0, 0, -7)), nil
		}
		var y, w int
		if _, err := fmt.Sscanf(name, "%d-W%d", &y, &w); err == nil && w >= 1 && w <= 53 {
			// ISO week: the week holding January 4th is week 1
			jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, time.UTC)
			p := weekOf(jan4.AddDate(0, 0, 7*(w-1)))
			if p.Name != name && fmt.Sprintf("%d-W%d", y, w) != name {
				return Period{}, fmt.Errorf("week %q does not exist", name)
			}
			return p, nil
		}
		if t, err := time.Parse(time.DateOnly, name); err == nil {
			return weekOf(t), nil
		}
		return Period{}, fmt.Errorf("period %q: want an ISO week like 2026-W49 (or a day of it, 2026-12-01)", name)
	case Monthly:
		if name == "" {
			return monthOf(time.Date(now.UTC().Year(), now.UTC().Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0)), nil
		}
		t, err := time.Parse("2006-01", name)
		if err != nil {
			return Period{}, fmt.Errorf("period %q: want a month like 2026-11", name)
		}
		return monthOf(t), nil
	}
	return Period{}, fmt.Errorf("report %q: want weekly or monthly", kind)
}

// weekOf is the ISO week (Monday to Monday, UTC) holding t.
func weekOf(t time.Time) Period {
	t = t.UTC()
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	off := (int(d.Weekday()) + 6) % 7 // Monday 0
	start := d.AddDate(0, 0, -off)
	y, w := start.ISOWeek()
	return Period{Kind: Weekly, Name: fmt.Sprintf("%d-W%02d", y, w), Start: start, End: start.AddDate(0, 0, 7)}
}

// monthOf is the calendar month holding t.
func monthOf(t time.Time) Period {
	start := time.Date(t.UTC().Year(), t.UTC().Month(), 1, 0, 0, 0, 0, time.UTC)
	return Period{Kind: Monthly, Name: start.Format("2006-01"), Start: start, End: start.AddDate(0, 1, 0)}
}
