package backup

import (
	"fmt"
	"slices"
)

// Rule321 is where a job stands on the 3-2-1 rule: copies counting the
// source, the kinds of media they are on, the destinations offsite.
type Rule321 struct {
	Copies  int
	Media   []string
	Offsite []string
	// Waiver is why the job knowingly breaks the rule ("" when it does not).
	Waiver string
}

// ThreeTwoOne is job's standing on the 3-2-1 rule.
func ThreeTwoOne(job Job) Rule321 {
	r := Rule321{Copies: len(job.Destinations) + 1, Media: []string{job.SourceMedia}, Waiver: job.Waiver}
	for _, d := range job.Destinations {
		if !slices.Contains(r.Media, d.Media) {
			r.Media = append(r.Media, d.Media)
		}
		if d.Offsite {
			r.Offsite = append(r.Offsite, d.Name)
		}
	}
	return r
}

// Broken lists the parts of the rule r breaks ("2 copies", "one media",
// "no offsite copy"); none when it holds.
func (r Rule321) Broken() []string {
	return r.BrokenIn("%d copies", "one media", "no offsite copy")
}

// BrokenIn is Broken in other words: copies is a format taking the number
// of copies, oneMedia and noOffsite the other two parts.
func (r Rule321) BrokenIn(copies, oneMedia, noOffsite string) []string {
	var out []string
	if r.Copies < 3 {
		out = append(out, fmt.Sprintf(copies, r.Copies))
	}
	if len(r.Media) < 2 {
		out = append(out, oneMedia)
	}
	if len(r.Offsite) == 0 {
		out = append(out, noOffsite)
	}
	return out
}
