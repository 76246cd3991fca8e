package textdiff

import (
	"strconv"
	"strings"

	udiff "github.com/aymanbagabas/go-udiff"
)

// NoNewline follows a diff line whose text does not end in a newline (the
// last line of a file).
const NoNewline = `\ No newline at end of file`

// Line prefixes in a hunk.
const (
	opEqual  = ' '
	opDelete = '-'
	opInsert = '+'
)

// Unified returns a unified diff turning old into new, headed
// "--- oldName" and "+++ newName", with context unchanged lines around each
// change (a negative context counts as 0); hunks whose context would touch
// or overlap are merged, as diff -u does. It returns "" when old and new
// are equal.
//
// Hunk ranges follow diff -u, "-3,0" included for a hunk that removes no
// line (go-udiff would print "-4" there, which reads as one line). The cost
// is bounded for large, very different texts: see the package doc.
func Unified(oldName, newName, old, new string, context int) string {
	if old == new {
		return ""
	}
	context = max(context, 0)
	u, err := udiff.ToUnifiedDiff(oldName, newName, old, udiff.Lines(old, new), context)
	if err != nil {
		// Unreachable (udiff.Lines's edits fit old); replacing the whole
		// text is still a correct diff.
		u, _ = udiff.ToUnifiedDiff(oldName, newName, old, []udiff.Edit{{Start: 0, End: len(old), New: new}}, context)
	}

	var sb strings.Builder
	sb.WriteString("--- " + oldName + "\n")
	sb.WriteString("+++ " + newName + "\n")
	for _, h := range u.Hunks {
		writeHunk(&sb, h)
	}
	return sb.String()
}

// writeHunk writes the header and lines of one hunk.
func writeHunk(sb *strings.Builder, h *udiff.Hunk) {
	var oldCount, newCount int
	for _, l := range h.Lines {
		if l.Kind != udiff.Insert {
			oldCount++
		}
		if l.Kind != udiff.Delete {
			newCount++
		}
	}
	sb.WriteString("@@ -" + hunkRange(h.FromLine, oldCount) + " +" + hunkRange(h.ToLine, newCount) + " @@\n")
	for _, l := range h.Lines {
		switch l.Kind {
		case udiff.Delete:
			sb.WriteByte(opDelete)
		case udiff.Insert:
			sb.WriteByte(opInsert)
		default:
			sb.WriteByte(opEqual)
		}
		sb.WriteString(l.Content)
		if !strings.HasSuffix(l.Content, "\n") {
			sb.WriteString("\n" + NoNewline + "\n")
		}
	}
}

// hunkRange formats a hunk's range from the 1-based number of its first
// line: "line" for one line, "line,count" otherwise, and for an empty range
// the line before it ("3,0"), as diff -u does.
func hunkRange(line, count int) string {
	switch count {
	case 0:
		return strconv.Itoa(line-1) + ",0"
	case 1:
		return strconv.Itoa(line)
	}
	return strconv.Itoa(line) + "," + strconv.Itoa(count)
}

// splitLines splits s into lines, each keeping its "\n"; only the last may
// lack it. An empty s has no lines.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}
