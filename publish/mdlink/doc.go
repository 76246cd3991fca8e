// Package mdlink checks that the relative links of a set of Markdown files
// lead somewhere: each target file exists, and each #anchor names a heading
// of the page it points into, with the anchors GitHub gives headings.
//
// It reads Markdown as GitHub shows it, as far as links need: fenced code
// blocks and inline code spans are code, not links; ATX ("## Title") and
// setext (a title underlined with = or -) lines are headings. Inline links
// and images ([text](target), ![alt](target)) and reference definitions
// ([name]: target) are checked; absolute URLs (any scheme:) and raw HTML
// are not. Indented code blocks, block quotes and HTML anchors are not
// recognised.
//
// The handbook generator checks its pages before writing them, and the
// documentation test checks README.md and docs/ with it.
package mdlink
