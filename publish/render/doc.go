// Package render turns plans and apply outcomes into text for people (the
// terminal, with optional colour), Markdown for pull-request comments, and
// JSON for machines. It holds no logic about what changes: that is package
// reconcile's.
package render
