package textdiff

import (
	"strconv"
	"strings"
)

// Redacted replaces the text of every line of a redacted diff.
const Redacted = "<redacted>"

// Redact returns diff with the text of every removed, added and context
// line replaced by Redacted, keeping the file headers, the hunk headers
// (so the counts of lines changed stay visible) and the "\ No newline at
// end of file" markers. A line it cannot place in a hunk is redacted whole,
// so nothing of the content ever survives.
func Redact(diff string) string {
	if diff == "" {
		return ""
	}
	var sb strings.Builder
	oldLeft, newLeft := 0, 0 // lines still due in the current hunk
	for _, line := range splitLines(diff) {
		body, nl := strings.CutSuffix(line, "\n")
		switch {
		case body == NoNewline:
			sb.WriteString(body)
		case oldLeft > 0 || newLeft > 0:
			op := byte(0)
			if body != "" {
				op = body[0]
			}
			switch {
			case op == opEqual && oldLeft > 0 && newLeft > 0:
				oldLeft--
				newLeft--
			case op == opDelete && oldLeft > 0:
				oldLeft--
			case op == opInsert && newLeft > 0:
				newLeft--
			default:
				op = 0
				oldLeft, newLeft = 0, 0
			}
			if op != 0 {
				sb.WriteByte(op)
			}
			sb.WriteString(Redacted)
		case strings.HasPrefix(body, "@@ "):
			o, n, ok := parseHunkHeader(body)
			if !ok {
				sb.WriteString(Redacted)
				break
			}
			oldLeft, newLeft = o, n
			sb.WriteString(body)
		case strings.HasPrefix(body, "--- "), strings.HasPrefix(body, "+++ "):
			sb.WriteString(body)
		default:
			sb.WriteString(Redacted)
		}
		if nl {
			sb.WriteByte('\n')
		}
	}
	return sb.String()
}

// parseHunkHeader returns the old and new line counts of a hunk header
// "@@ -l[,s] +l[,s] @@…".
func parseHunkHeader(h string) (oldCount, newCount int, ok bool) {
	f := strings.Fields(h)
	if len(f) < 4 || f[0] != "@@" || f[3] != "@@" {
		return 0, 0, false
	}
	o, ok1 := rangeCount(f[1], '-')
	n, ok2 := rangeCount(f[2], '+')
	return o, n, ok1 && ok2
}

// rangeCount parses "-l[,s]" (or "+l[,s]") and returns s (1 when absent).
func rangeCount(r string, sign byte) (int, bool) {
	if len(r) < 2 || r[0] != sign {
		return 0, false
	}
	start, count, hasCount := strings.Cut(r[1:], ",")
	if _, err := strconv.Atoi(start); err != nil {
		return 0, false
	}
	if !hasCount {
		return 1, true
	}
	c, err := strconv.Atoi(count)
	if err != nil || c < 0 {
		return 0, false
	}
	return c, true
}
