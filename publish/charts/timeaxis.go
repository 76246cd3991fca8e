package charts

import "time"

// timeStep is one candidate spacing of x-axis labels.
type timeStep struct {
	d      time.Duration // fixed spacing; 0 when months is used
	months int           // calendar spacing in months
	layout string        // label layout (UTC)
}

// timeSteps run from minutes to years; the first that fits is used. Days
// and weeks are fixed durations (UTC has no DST); weeks start on Monday
// because time.Truncate counts from Monday, January 1 of year 1.
var timeSteps = []timeStep{
	{d: 5 * time.Minute, layout: "15:04"},
	{d: 10 * time.Minute, layout: "15:04"},
	{d: 15 * time.Minute, layout: "15:04"},
	{d: 30 * time.Minute, layout: "15:04"},
	{d: time.Hour, layout: "15:04"},
	{d: 2 * time.Hour, layout: "15:04"},
	{d: 3 * time.Hour, layout: "15:04"},
	{d: 6 * time.Hour, layout: "15:04"},
	{d: 12 * time.Hour, layout: "15:04"},
	{d: 24 * time.Hour, layout: "Jan 2"},
	{d: 48 * time.Hour, layout: "Jan 2"},
	{d: 7 * 24 * time.Hour, layout: "Jan 2"},
	{months: 1, layout: "Jan 2006"},
	{months: 3, layout: "Jan 2006"},
	{months: 6, layout: "Jan 2006"},
	{months: 12, layout: "2006"},
	{months: 24, layout: "2006"},
	{months: 60, layout: "2006"},
	{months: 120, layout: "2006"},
}

// timeTick is one x-axis label.
type timeTick struct {
	T     time.Time
	Label string
}

// timeTicks picks label times in [from, to] (from before to) for a plot
// width px wide: the finest step whose labels fit, aligned in UTC (hours on
// the hour, days at midnight, weeks on Monday, months on the 1st). With an
// hourly step, midnight is labelled with its date.
func timeTicks(from, to time.Time, width float64) []timeTick {
	from, to = from.UTC(), to.UTC()
	for i, st := range timeSteps {
		room := textWidth(st.layout, 11) + 24
		limit := max(2, int(width/room))
		ts := stepTimes(from, to, st, limit+1)
		if len(ts) <= limit || i == len(timeSteps)-1 {
			out := make([]timeTick, len(ts))
			for j, t := range ts {
				lay := st.layout
				if st.d > 0 && st.d < 24*time.Hour && t.Hour() == 0 && t.Minute() == 0 {
					lay = "Jan 2"
				}
				out[j] = timeTick{T: t, Label: t.Format(lay)}
			}
			return out
		}
	}
	return nil
}

// stepTimes lists the step's aligned times in [from, to], stopping after
// limit of them.
func stepTimes(from, to time.Time, st timeStep, limit int) []time.Time {
	var t time.Time
	if st.d > 0 {
		t = from.Truncate(st.d)
	} else {
		m := (int(from.Month()) - 1) / st.months * st.months
		y := from.Year()
		if st.months >= 12 {
			y -= y % (st.months / 12)
			m = 0
		}
		t = time.Date(y, time.Month(m+1), 1, 0, 0, 0, 0, time.UTC)
	}
	var out []time.Time
	for k := 0; len(out) < limit; k++ {
		var u time.Time
		if st.d > 0 {
			u = t.Add(time.Duration(k) * st.d)
		} else {
			u = t.AddDate(0, k*st.months, 0)
		}
		if u.After(to) {
			break
		}
		if !u.Before(from) {
			out = append(out, u)
		}
	}
	return out
}
