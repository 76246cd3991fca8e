// Package godaddy is the itlag provider for GoDaddy: DNS records of the
// zones GoDaddy hosts (providers.DNS) and domain registrations
// (providers.Registrar), through GoDaddy's Domains API v1.
//
// # Wire
//
// Every request carries "Authorization: sso-key KEY:SECRET" and goes through
// the shared HTTP client of package providers/transport, which owns the
// retry policy (429, 5xx, connection errors; Retry-After honoured).
//
//   - Domain: GET /v1/domains/{domain}. Domains: GET /v1/domains with
//     limit, marker (the last domain of the page before) and
//     includes=nameServers, until a short or empty page; the list is a
//     summary and Domains fills what it gives.
//   - SetDomain: one PATCH /v1/domains/{domain} with only the fields set
//     (renewAuto, locked, nameServers); GoDaddy answers 204. Nothing here
//     ever calls a renew or purchase endpoint.
//   - Observe: GET /v1/domains/{zone}/records?offset=N&limit=500, where
//     offset is a page number starting at 1 (as libdns/godaddy pages; the
//     fake in godaddytest agrees), until a page shorter than the limit, an
//     empty one, or a 422 past the first page. 2,000 records cost 5 requests.
//   - Records map to canonical form through providers.Normalize: names are
//     relative ("@" for the apex); TXT data is the unquoted text; CAA data
//     is `0 issue "letsencrypt.org"`; an SRV record's service, protocol and
//     name become our name ("_sip._tcp", "_sip._tcp.voip") and its weight,
//     port and data our content ("5 5060 sip.example.net"). The SOA and
//     GoDaddy's own apex NS records (*.domaincontrol.com) are left out; an
//     operator's other NS records are observed. GoDaddy records have no IDs.
//
// # Whole-set replacement
//
// GoDaddy writes record sets, not records: PUT
// /v1/domains/{d}/records/{type}/{name} replaces the whole set of that type
// and name, DELETE removes the whole set, and only PATCH
// /v1/domains/{d}/records appends single records. Apply therefore groups
// changes by set. Sets that only gain records are appended with one PATCH
// for all of them. Every other set is read, changed by Key (current −
// Before + After) and written back whole, so records no change names
// (unmanaged ones sharing a name and type with a managed one, GoDaddy's own
// NS records) survive, and running the same changes again after a partial
// failure converges instead of duplicating. An SRV set is (SRV, owner name):
// it holds every service under that owner.
//
// # Limits and errors
//
// GoDaddy allows 60 requests per minute per endpoint. A client-side
// limiter (golang.org/x/time/rate, Config.RequestsPerMinute, a burst of 5)
// keeps every 60-second window at or under that, for all endpoints
// together. A 429 (TOO_MANY_REQUESTS, or QUOTA_EXCEEDED, often without
// Retry-After) is first retried by the transport with exponential backoff
// (500 ms doubling, about 30 s in all with its defaults, or what Retry-After
// says); if GoDaddy still refuses, the request is sent again after
// Config.QuotaWait (default one minute, one quota window), up to three
// times, before failing with an error that says it was still rate limited.
//
// Errors carry GoDaddy's body {"code","message","fields"} as *APIError. A
// 401 names the credential references (Config.KeyRef, SecretRef), never
// the values. A 403 ACCESS_DENIED wraps providers.ErrAccessDenied: GoDaddy
// limits its Domains and DNS API to accounts with 10 or more domains (or a
// Discount Domain Club plan). A 404 for a domain wraps
// providers.ErrZoneNotFound.
package godaddy
