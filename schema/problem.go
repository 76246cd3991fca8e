package schema

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Problem is one validation problem: where it is and what is wrong.
type Problem struct {
	// File is the YAML file, relative to the directory as the caller named
	// it (filepath.Join(dir, rel) for Load, rel for LoadFS).
	File string
	// Line and Col are 1-based; 0 when the problem concerns a whole file.
	Line, Col int
	// Path is the field's path in the file, e.g. zones[0].records[3].type;
	// list indices count within the file (and within one YAML document of
	// a multi-document file). Empty for problems about the file itself.
	Path string
	// Msg says what is wrong, then what is allowed.
	Msg string
}

// String formats the problem as "file:line:col: path: msg".
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", p.Line, p.Col)
	}
	b.WriteString(": ")
	if p.Path != "" {
		b.WriteString(p.Path)
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Errors is every problem found, sorted by file, line and column.
type Errors []Problem

// Error lists the problems, one per line.
func (e Errors) Error() string {
	lines := make([]string, len(e))
	for i, p := range e {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// sortProblems sorts by file, line, col, then path and message, and drops
// exact duplicates.
func sortProblems(ps []Problem) Errors {
	slices.SortFunc(ps, func(a, b Problem) int {
		return cmp.Or(
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Col, b.Col),
			cmp.Compare(a.Path, b.Path),
			cmp.Compare(a.Msg, b.Msg),
		)
	})
	return Errors(slices.Compact(ps))
}

// mergeProblems adds the problems CUE found to those found while reading
// the YAML, leaving out CUE's at paths already explained (an alias that
// CUE sees as a missing value, say).
func mergeProblems(yamlProbs, cueProbs []Problem) []Problem {
	for _, p := range cueProbs {
		if !slices.ContainsFunc(yamlProbs, func(q Problem) bool { return q.Path == p.Path }) {
			yamlProbs = append(yamlProbs, p)
		}
	}
	return yamlProbs
}
