// Package statuspage renders the public status page: one self-contained
// HTML file (inline CSS and inline SVG, no JavaScript, no external fetches)
// that works offline, reads on a phone and follows the reader's light or
// dark preference.
//
// The input is plain data (Page and the types it holds); the caller fills it
// from the check history, backups, subscriptions, NAS readings and incidents.
// Render writes the page to an io.Writer; Write writes dir/index.html
// atomically (temporary file, then rename), so a web server never serves a
// half-written page.
//
// Every value from the input is escaped by html/template. State is always
// given in text ("Up", "Down", "Warning", ...) as well as in colour, and
// every chart carries an aria-label that states what it shows.
//
// Sections keep the caller's order; the package does not sort.
package statuspage
