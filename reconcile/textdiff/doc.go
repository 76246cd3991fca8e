// Package textdiff renders the difference between two texts as a unified
// diff (the format of "diff -u" and "git diff"), for plans that change a
// file or a block of a file, and redacts such a diff when the file is
// sensitive.
//
// The line diff is github.com/aymanbagabas/go-udiff, the Go tools' own
// (Myers' algorithm, searching from both ends); this package renders its
// hunks with diff -u's ranges. A line is compared with its newline, so a
// last line without one differs from the same text with one, and the diff
// marks it with "\ No newline at end of file".
//
// The search is bounded, so that a large file rewritten whole costs time
// linear in its size: the diff is a shortest one when the texts differ by
// at most 99 lines (removed plus added); past that it stays correct but
// may show a stretch of unchanged lines in the middle as removed and added
// again.
package textdiff
