package mail

import (
	"strconv"
	"strings"
	"time"
)

var monthNames = map[string]time.Month{
	"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
	"may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
	"sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
	"enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
	"septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
}

const enMonths = `january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec`
const esMonths = `enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre`

var (
	isoDateRE = exact(`\b(\d{4})-(\d{2})-(\d{2})\b`)
	// "December 14, 2026", "Dec. 14th 2026"
	enMDYRE = re(`\b(` + enMonths + `)\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})\b`)
	// "14 December 2026"
	enDMYRE = re(`\b(\d{1,2}) (` + enMonths + `)\.?,? (\d{4})\b`)
	// "14 de diciembre de 2026", "1 de enero del 2027"
	esDateRE = re(`\b(\d{1,2}) de (` + esMonths + `) (?:de|del) (\d{4})\b`)
	// "in 7 days", "within 15 days", "en 5 días"
	relDaysRE = re(`\b(?:in|within|en|dentro de) (\d{1,3}) (?:days?|días?|dias?)\b`)
)

// dateAt is a date found in text at byte offset pos.
type dateAt struct {
	t   time.Time
	pos int
}

// datesIn finds the dates written in s, in order of appearance; relative
// ones ("in 7 days") count from base.
func datesIn(s string, base time.Time) []dateAt {
	var out []dateAt
	add := func(pos int, y, mo, d int) {
		if mo < 1 || mo > 12 || d < 1 || d > 31 || y < 1970 || y > 2200 {
			return
		}
		t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
		if t.Day() != d { // 31 February
			return
		}
		out = append(out, dateAt{t, pos})
	}
	for _, m := range isoDateRE.FindAllStringSubmatchIndex(s, -1) {
		add(m[0], atoi(s[m[2]:m[3]]), atoi(s[m[4]:m[5]]), atoi(s[m[6]:m[7]]))
	}
	for _, m := range enMDYRE.FindAllStringSubmatchIndex(s, -1) {
		add(m[0], atoi(s[m[6]:m[7]]), int(monthNames[strings.ToLower(s[m[2]:m[3]])]), atoi(s[m[4]:m[5]]))
	}
	for _, m := range enDMYRE.FindAllStringSubmatchIndex(s, -1) {
		add(m[0], atoi(s[m[6]:m[7]]), int(monthNames[strings.ToLower(s[m[4]:m[5]])]), atoi(s[m[2]:m[3]]))
	}
	for _, m := range esDateRE.FindAllStringSubmatchIndex(s, -1) {
		add(m[0], atoi(s[m[6]:m[7]]), int(monthNames[strings.ToLower(s[m[4]:m[5]])]), atoi(s[m[2]:m[3]]))
	}
	if !base.IsZero() {
		for _, m := range relDaysRE.FindAllStringSubmatchIndex(s, -1) {
			if n := atoi(s[m[2]:m[3]]); n > 0 {
				out = append(out, dateAt{base.AddDate(0, 0, n), m[0]})
			}
		}
	}
	// order of appearance; stable for equal positions
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].pos < out[j-1].pos; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// dateAfter is the first date written within 100 bytes after a match of
// keyword in s (the first keyword match that has one); zero when none.
func dateAfter(s string, keyword *pattern, base time.Time) time.Time {
	dates := datesIn(s, base)
	if len(dates) == 0 {
		return time.Time{}
	}
	for _, k := range keyword.FindAllStringIndex(s, -1) {
		for _, d := range dates {
			if d.pos >= k[0] && d.pos <= k[1]+100 {
				return d.t
			}
		}
	}
	return time.Time{}
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

// day formats a date for a summary.
func day(t time.Time) string { return t.Format("2006-01-02") }
