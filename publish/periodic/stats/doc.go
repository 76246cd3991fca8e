// Package stats owns the arithmetic behind the figures in itlag's weekly
// and monthly reports: percentiles, means, success rates, time-based
// uptime from outage intervals, least-squares trends and the "when does
// the disk fill" forecast.
//
// It is pure: no I/O, no clock (callers pass now), no randomness, no
// package state. Every function accepts any input without panicking and
// never modifies its arguments. The same inputs always give the same
// outputs.
//
// Conventions shared by the whole package:
//
//   - NaN values in inputs are ignored, as if absent (fits and forecasts
//     also ignore points with an infinite V). "No values" is
//     reported as NaN (Percentile, Mean, Uptime) or as false (the functions
//     that return a bool). Callers must check: encoding/json refuses NaN.
//   - Time intervals are half-open, [Start, End).
//   - Fits use days (24 h of elapsed time, not calendar days) as the unit
//     of x, so slopes are "per day".
//
// Which figure answers which question, and the exact definitions, are in
// each function's comment; the report's documentation quotes them.
package stats
