package incidents

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lagrieta/itlag/finding"
)

// Summary is a one-line commit message for ch, e.g.
// "1 incident opened (high), 2 resolved" or
// "2 incidents opened (1 critical, 1 low), 1 updated (critical)";
// "" when nothing changed. Severities are listed worst first.
func Summary(ch Changes) string {
	var parts []string
	for _, p := range []struct {
		verb string
		list []Incident
		sev  bool
	}{{"opened", ch.Opened, true}, {"updated", ch.Updated, true}, {"resolved", ch.Resolved, false}} {
		n := len(p.list)
		if n == 0 {
			continue
		}
		s := fmt.Sprint(n)
		if len(parts) == 0 {
			s += " incident"
			if n > 1 {
				s += "s"
			}
		}
		s += " " + p.verb
		if p.sev {
			s += " (" + severities(p.list) + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

// severities is "high" when all share one, else "1 critical, 2 high".
func severities(list []Incident) string {
	count := map[finding.Severity]int{}
	var order []finding.Severity
	for _, inc := range list {
		if count[inc.Severity] == 0 {
			order = append(order, inc.Severity)
		}
		count[inc.Severity]++
	}
	slices.SortFunc(order, func(a, b finding.Severity) int { return a.Rank() - b.Rank() })
	if len(order) == 1 {
		return string(order[0])
	}
	parts := make([]string, len(order))
	for i, s := range order {
		parts[i] = fmt.Sprintf("%d %s", count[s], s)
	}
	return strings.Join(parts, ", ")
}
