// Package cloudflare is the itlag provider for Cloudflare DNS (API v4).
//
// It talks to the API through cloudflare-go v6's service packages (dns,
// zones, option), never the SDK's root package, which compiles every
// Cloudflare service into the binary. The SDK's own retries are off: every
// request goes through the shared HTTP client of package providers/transport,
// which owns the retry policy. The calls use the typed service methods
// (RecordService.List and Batch, ZoneService.List) for paths, queries,
// bearer auth and *dns.Error decoding, but read and write this package's
// own JSON types, because the SDK's typed record unions hide the wire
// fields (data, null comment, TXT quoting) that faithful normalisation
// depends on.
//
// Observe looks the zone up by name once per Provider (GET /zones?name=),
// then pages through GET /zones/{id}/dns_records, stopping on total_pages
// (or on a short or empty page when the server gives no total), so N
// records cost ceil(N/PerPage) list requests and never one per record.
// Apply sends one POST /zones/{id}/dns_records/batch per BatchSize changes:
// deletes, patches (updates, so tags and settings itlag does not manage are
// kept) and posts (creates). Cloudflare runs each batch in one transaction:
// a chunk either applies entirely or not at all.
package cloudflare
