package textdiff

import (
	"strconv"
	"strings"
)

// NoNewline follows a diff line whose text does not end in a newline (the
// last line of a file).
const NoNewline = `\ No newline at end of file`

// Unified returns a unified diff turning old into new, headed
// "--- oldName" and "+++ newName", with context unchanged lines around each
// change (a negative context counts as 0); hunks whose context would touch
// or overlap are merged, as diff -u does. It returns "" when old and new
// are equal.
func Unified(oldName, newName, old, new string, context int) string {
	if old == new {
		return ""
	}
	if context < 0 {
		context = 0
	}
	a, b := splitLines(old), splitLines(new)
	script := diffLines(a, b)

	var sb strings.Builder
	sb.WriteString("--- " + oldName + "\n")
	sb.WriteString("+++ " + newName + "\n")
	for _, h := range hunks(script, context) {
		writeHunk(&sb, script[h[0]:h[1]], a, b)
	}
	return sb.String()
}

// hunks returns the [start, end) ranges of script to print: each change with
// up to context equal lines either side, merging changes separated by at
// most 2*context equal lines.
func hunks(script []edit, context int) [][2]int {
	var out [][2]int
	i := 0
	for {
		for i < len(script) && script[i].op == opEqual {
			i++
		}
		if i == len(script) {
			return out
		}
		start := max(i-context, 0)
		if len(out) > 0 {
			start = max(start, out[len(out)-1][1])
		}
		end := i
		for {
			for end < len(script) && script[end].op != opEqual {
				end++
			}
			next := end
			for next < len(script) && script[next].op == opEqual {
				next++
			}
			if next == len(script) || next-end > 2*context {
				break
			}
			end = next
		}
		stop := min(end+context, len(script))
		out = append(out, [2]int{start, stop})
		i = stop
	}
}

// writeHunk writes the header and lines of one hunk.
func writeHunk(sb *strings.Builder, h []edit, a, b []string) {
	var oldCount, newCount int
	for _, e := range h {
		if e.op != opInsert {
			oldCount++
		}
		if e.op != opDelete {
			newCount++
		}
	}
	sb.WriteString("@@ -" + hunkRange(h[0].a, oldCount) + " +" + hunkRange(h[0].b, newCount) + " @@\n")
	for _, e := range h {
		var line string
		if e.op == opInsert {
			line = b[e.b]
		} else {
			line = a[e.a]
		}
		sb.WriteByte(e.op)
		sb.WriteString(line)
		if !strings.HasSuffix(line, "\n") {
			sb.WriteString("\n" + NoNewline + "\n")
		}
	}
}

// hunkRange formats a hunk's range from the 0-based position of its first
// line: "start" for one line, "start,count" otherwise, and for an empty
// range the line before it ("3,0"), as diff -u does.
func hunkRange(pos, count int) string {
	switch count {
	case 0:
		return strconv.Itoa(pos) + ",0"
	case 1:
		return strconv.Itoa(pos + 1)
	}
	return strconv.Itoa(pos+1) + "," + strconv.Itoa(count)
}
