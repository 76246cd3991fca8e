// Package periodic builds the weekly and monthly reports for the
// organisation's readers — CEO_LAG (status, figures, approvals) and
// MEDIA_LAG (storage, content backups) — and the continuous-improvement
// review: a Report (JSON, versioned by FormatVersion) computed from an
// Input that the application gathers from the history, and its Markdown
// with SVG charts (charts.go, markdown.go). Build is pure: the same Input
// gives the same Report, so the reports are golden-tested from a seeded
// history with a fixed clock.
package periodic
