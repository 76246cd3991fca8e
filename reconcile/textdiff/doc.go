// Package textdiff renders the difference between two texts as a unified
// diff (the format of "diff -u" and "git diff"), for plans that change a
// file or a block of a file, and redacts such a diff when the file is
// sensitive.
//
// The line diff is Myers' O(ND) algorithm in its linear-space form (the
// "middle snake" bisection), after trimming the common prefix and suffix,
// so that it finds a shortest edit script. A line is compared with its
// newline, so a last line without one differs from the same text with one,
// and the diff marks it with "\ No newline at end of file".
package textdiff
