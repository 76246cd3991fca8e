// Package incidents keeps the incident files that drift commits to the
// repository: one Markdown file per incident, incidents/<id>.md, with YAML
// front matter (id, severity, status, times, source, fingerprint), a
// "# <summary>" title and the response protocol as "## " sections:
// Detection and classification, Initial analysis, Action taken,
// Verification, Prevention.
//
// itlag owns the front matter and the block between the itlag markers in
// the Detection section; everything else belongs to the humans who respond.
// It writes a placeholder into the four human sections when it opens an
// incident and never touches them (or any section a human adds) again.
// Parse keeps the body verbatim, so Render(Parse(b)) == b for every file
// Render wrote, however the humans edited the body since.
//
// Update opens, updates and resolves incidents from one run's findings,
// matched by fingerprint. A resolved incident is history: if its problem
// comes back, a new incident (with a new ID) is opened.
//
// Timestamps alone are not a change. A file is written only when its
// content other than last_seen changes, and last_seen is refreshed only
// then: it reads "last seen when something changed". The live time of the
// last observation is in reports/status.json, not here. So a drift run that
// sees the same problems as the last one writes nothing and commits nothing.
//
// All times are UTC, to the second. Writes are atomic (temp file + rename).
package incidents
