// Package monitor probes websites and services from outside, the way a
// visitor would, and remembers the results: uptime, response times and
// when a monitor went down.
//
// A Monitor names one target and its kind: "http" (a GET of a URL,
// following at most 5 redirects), "tls" (a handshake with host:port and the
// days until the leaf certificate expires), "dns" (the A and AAAA addresses
// of a name, asked of a resolver, compared with the addresses expected) or
// "tcp" (a connection to host:port). Its Conditions, a small vocabulary
// after Gatus ("status == 200", "body contains \"ok\"",
// "response_time < 500ms", "cert_expiry > 14d", "connected == true",
// "answer == expected"), decide whether a probe passed; each kind has
// defaults when none are given.
//
// Probe runs one monitor; Check runs many at once, bounded, so that the
// wall time is that of the slowest probe rather than their sum. Both
// reach the target through a transport.Network (dial, name lookup, root
// certificates) the caller hands them: the zero Network is the real one;
// the sandbox's answers from fakes on loopback.
//
// Results are kept in the store's monitor_results table (Record), rolled
// up per hour into monitor_rollups once old (Rollup) and pruned (Prune).
// Uptime and Series read both. Times are stored as RFC 3339 UTC with a
// fixed millisecond width, so that text order is time order.
//
// A Tracker turns consecutive results into a state: DOWN after
// FailureThreshold failures in a row, UP again after SuccessThreshold
// successes. State replays the recorded history through one, so the state
// survives restarts; Findings reports each down monitor as a
// finding.Finding for the incident machinery.
package monitor
