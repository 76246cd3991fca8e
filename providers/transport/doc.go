// Package transport builds the one HTTP client every itlag provider uses, so
// that all of them share a single retry policy.
//
// The client is a go-retryablehttp client behind a plain *http.Client
// (StandardClient). It is context-aware, backs off exponentially on 429, 5xx
// (except 501) and connection errors, honours Retry-After (seconds or an HTTP
// date) on 429 and 503, never retries any other 4xx, and stops as soon as the
// request's context is done. A Retry-After longer than Options.MaxRetryAfter
// (default 5 minutes) is not slept through: the request fails at once with a
// *RetryAfterError saying when to try again.
//
// RequireTLS is the rule for every URL credentials are sent to: https, or
// plain http to loopback only (the sandbox's fakes). It never logs: request URLs and headers may
// carry secrets.
//
// When the retries run out on a 429 or 5xx, the last response is returned as
// it is (not an error), so that API clients can read the provider's error
// body.
//
// Network is the other half: how everything that dials (monitor probes,
// TLS audits, alert delivery) reaches other machines. The runtime decides
// it once; under --sandbox its Dial is LoopbackOnly, which refuses any
// address that is not loopback before a packet is sent.
package transport
