// Package promexport exposes what the watcher last saw as Prometheus
// metrics, through github.com/prometheus/client_golang.
//
// The input is plain data (Snapshot and the types it holds): the caller
// copies it from its last observation, and the package knows nothing of
// where it came from. NewCollector reads a Snapshot at each scrape, so
// every series of one scrape comes from the same snapshot; a scrape never
// makes the caller observe anything.
//
// NewRegistry builds a registry of its own (never the global default one)
// with that collector and Go's and the process's collectors; Handler
// serves it in the Prometheus text format (or OpenMetrics when the
// scraper asks for it).
//
// Names follow the Prometheus conventions: the prefix itlag_, base units
// (seconds, bytes, ratios from 0 to 1), points in time as
// *_timestamp_seconds (Unix seconds), every metric a gauge. The one
// exception is itlag_monitor_response_ms, kept for one version so that
// existing scrapers do not break (deprecated: use
// itlag_monitor_response_seconds).
//
// Series whose value is unknown are left out rather than exported as 0:
// an expiry without a date, a backup without a snapshot, a repository of
// unknown size, a confirmation without a deadline, a monitor without a
// certificate.
package promexport
