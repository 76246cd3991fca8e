// Package cloudflaretest is a fake of the Cloudflare API v4 DNS endpoints,
// in the manner of net/http/httptest: NewServer starts it on 127.0.0.1 and
// URL returns the base URL to give a client (".../client/v4").
//
// It speaks the real wire protocol closely enough that real clients
// (cloudflare-go v6 and v0, octodns-style pagers) work against it unchanged:
// the response envelope on every answer (errors included), bearer-token
// auth, zone lookup by name, record listing with pagination that stops all
// three client styles (an empty page past the end, total_pages, and
// count < per_page), the record JSON (punycode FQDN names, TTL 1 for auto,
// null comments, data for CAA and SRV, TXT split into 255-byte strings), the
// validation errors, and the all-or-nothing batch endpoint (deletes, patches,
// puts, posts, in that order, at most Options.BatchLimit records).
//
// Error codes used (HTTP status in brackets); where the real API's code is
// not known for certain, the one chosen here is marked "chosen":
//
//	[400] 6003 Invalid request headers (error_chain 6111) – no or malformed Authorization header
//	[403] 10000 Authentication error – wrong token
//	[404] 7003 Could not route to …, 7000 No route for that URI – unknown zone or path
//	[404] 81044 Record does not exist.
//	[400] 9207 Request body is invalid. – not JSON
//	[400] 1004 DNS Validation Error – missing fields, bad names, bad data (chosen)
//	[400] 9004 This record type cannot be proxied.
//	[400] 9005 / 9006 Content for A / AAAA record is invalid. (9006 chosen)
//	[400] 9021 Invalid TTL. (chosen)
//	[400] 81053 An A, AAAA, or CNAME record with that host already exists.
//	[400] 81054 A CNAME record with that host already exists.
//	[400] 81058 An identical record already exists.
//	[400] 81059 Batch too large (chosen)
//	[429] 10100 Rate limited – with a Retry-After header (fault or rate limiter)
//	[500] 10001 Internal server error – injected fault (chosen)
//
// A proxied record is stored with TTL 1 (auto) whatever TTL was sent, as
// the real API does.
//
// Faults (Options.Faults, SetFaults) fail a share of requests before they
// are processed, so a failed request never changes anything: a 429 with
// Retry-After, a 500, or a connection reset.
//
// MarshalState and UnmarshalState save and restore the whole world (zones,
// records, the ID counter) as JSON, so a sandbox can persist it across runs.
package cloudflaretest
