// Package reports renders what a drift run found, for the repository:
// reports/drift.md for people and reports/status.json for machines (the
// contract other agents read), from a plan, the findings of every
// provider, the open incidents and the pending approvals.
//
// Rendering is pure: the same inputs give byte-identical files, so a run
// that found nothing new changes no file and makes no commit.
package reports
