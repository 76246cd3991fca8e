package textdiff

import (
	"fmt"
	"strconv"
	"strings"
)

// diffLine is one line of a parsed hunk.
type diffLine struct {
	op   byte
	text string // with its "\n" unless a NoNewline marker followed
}

// hunk is one parsed hunk.
type parsedHunk struct {
	oldStart, oldCount, newStart, newCount int
	lines                                  []diffLine
}

// parseDiff parses a unified diff as Unified writes it, strictly.
func parseDiff(diff string) (oldName, newName string, hs []parsedHunk, err error) {
	lines := splitLines(diff)
	if len(lines) < 3 || !strings.HasPrefix(lines[0], "--- ") || !strings.HasPrefix(lines[1], "+++ ") {
		return "", "", nil, fmt.Errorf("bad file header")
	}
	oldName = strings.TrimSuffix(strings.TrimPrefix(lines[0], "--- "), "\n")
	newName = strings.TrimSuffix(strings.TrimPrefix(lines[1], "+++ "), "\n")
	for _, l := range lines[2:] {
		if !strings.HasSuffix(l, "\n") {
			return "", "", nil, fmt.Errorf("diff line %q lacks its newline", l)
		}
		body := strings.TrimSuffix(l, "\n")
		switch {
		case strings.HasPrefix(body, "@@ "):
			var h parsedHunk
			f := strings.Fields(body)
			if len(f) != 4 || f[3] != "@@" {
				return "", "", nil, fmt.Errorf("bad hunk header %q", body)
			}
			if h.oldStart, h.oldCount, err = parseRange(f[1], '-'); err != nil {
				return "", "", nil, err
			}
			if h.newStart, h.newCount, err = parseRange(f[2], '+'); err != nil {
				return "", "", nil, err
			}
			hs = append(hs, h)
		case body == NoNewline:
			if len(hs) == 0 || len(hs[len(hs)-1].lines) == 0 {
				return "", "", nil, fmt.Errorf("marker before any line")
			}
			h := &hs[len(hs)-1]
			last := &h.lines[len(h.lines)-1]
			if !strings.HasSuffix(last.text, "\n") {
				return "", "", nil, fmt.Errorf("two markers")
			}
			last.text = strings.TrimSuffix(last.text, "\n")
		case body != "" && strings.ContainsRune(" +-", rune(body[0])) && len(hs) > 0:
			h := &hs[len(hs)-1]
			h.lines = append(h.lines, diffLine{body[0], body[1:] + "\n"})
		default:
			return "", "", nil, fmt.Errorf("unexpected line %q", body)
		}
	}
	return oldName, newName, hs, nil
}

func parseRange(r string, sign byte) (start, count int, err error) {
	if len(r) < 2 || r[0] != sign {
		return 0, 0, fmt.Errorf("bad range %q", r)
	}
	s, c, has := strings.Cut(r[1:], ",")
	if start, err = strconv.Atoi(s); err != nil {
		return 0, 0, err
	}
	count = 1
	if has {
		if count, err = strconv.Atoi(c); err != nil {
			return 0, 0, err
		}
	}
	return start, count, nil
}

// applyDiff applies diff to old, checking every context and removed line
// and every count, and returns the new text.
func applyDiff(old, diff string) (string, error) {
	_, _, hs, err := parseDiff(diff)
	if err != nil {
		return "", err
	}
	a := splitLines(old)
	var out []string
	pos := 0 // next line of a to copy
	for i, h := range hs {
		first := h.oldStart - 1 // 0-based first line of the hunk in a
		if h.oldCount == 0 {
			first = h.oldStart
		}
		if first < pos || first > len(a) {
			return "", fmt.Errorf("hunk %d starts at %d, before %d or past %d", i, first, pos, len(a))
		}
		out = append(out, a[pos:first]...)
		pos = first
		if wantNew := h.newStart - 1; h.newCount > 0 && len(out) != wantNew || h.newCount == 0 && len(out) != h.newStart {
			return "", fmt.Errorf("hunk %d: new start %d, have %d lines", i, h.newStart, len(out))
		}
		var oldSeen, newSeen int
		for _, l := range h.lines {
			switch l.op {
			case ' ', '-':
				if pos >= len(a) || a[pos] != l.text {
					return "", fmt.Errorf("hunk %d: line %d is not %q", i, pos+1, l.text)
				}
				pos++
				oldSeen++
				if l.op == ' ' {
					out = append(out, l.text)
					newSeen++
				}
			case '+':
				out = append(out, l.text)
				newSeen++
			}
		}
		if oldSeen != h.oldCount || newSeen != h.newCount {
			return "", fmt.Errorf("hunk %d: counts -%d +%d, lines -%d +%d", i, h.oldCount, h.newCount, oldSeen, newSeen)
		}
	}
	out = append(out, a[pos:]...)
	return strings.Join(out, ""), nil
}
