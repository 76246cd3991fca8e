// Package godaddytest is a fake of the GoDaddy Domains API v1 (domains and
// DNS records), in the manner of net/http/httptest: NewServer starts it on
// 127.0.0.1 and URL returns the base URL to give a client (it stands for
// https://api.godaddy.com; paths start with /v1/domains).
//
// It serves:
//
//	GET    /v1/domains?limit=&marker=&statuses=&includes=nameServers
//	GET    /v1/domains/{domain}
//	PATCH  /v1/domains/{domain}                  renewAuto, locked, nameServers → 204
//	GET    /v1/domains/{domain}/records[/{type}[/{name}]]?offset=&limit=
//	PATCH  /v1/domains/{domain}/records          appends records
//	PUT    /v1/domains/{domain}/records/{type}/{name}   replaces that record set
//	DELETE /v1/domains/{domain}/records/{type}/{name}   deletes that record set → 204
//
// Wire choices, as public clients use the real API:
//
//   - Auth is the header "Authorization: sso-key KEY:SECRET".
//   - Records are {type,name,data,ttl,priority,port,weight,protocol,service}
//     with names relative to the domain ("@" for the apex). An SRV record's
//     name is the owner below "_service._protocol" ("@" for
//     _sip._tcp.example.com) and service and protocol are fields of their
//     own, so the record set (SRV, "@") holds every service at the apex.
//   - Record listing pages with offset = page number (1-based; 0 or absent
//     is page 1) and limit = page size (default and at most 500), as
//     libdns/godaddy pages. A page past the end is an empty array.
//   - The domain list pages with limit (at most 1000) and marker: domains
//     sorted by name, those after marker. The list is a summary: nameServers
//     are null unless includes=nameServers.
//   - Every JSON answer has Content-Type application/json; errors are
//     {"code","message","fields":[{"code","message","path"}]}.
//
// Error codes (HTTP status in brackets); "chosen" marks those whose exact
// real code or message is not known for certain:
//
//	[401] MALFORMED_CREDENTIALS – no or malformed sso-key header (chosen)
//	[401] UNABLE_TO_AUTHENTICATE – wrong key or secret; Mode Unauthorized
//	[403] ACCESS_DENIED "Authenticated user is not allowed access" – Mode AccessDenied
//	[404] NOT_FOUND – unknown domain, unknown path, DELETE of an empty set
//	[422] INVALID_BODY with fields – bad JSON, bad record (ttl below 600,
//	      type, name, data, missing priority/port…), bad nameServers (chosen)
//	[422] DUPLICATE_RECORD "Another record with the same attributes already
//	      exists" – PATCH appending a record the set holds (code chosen)
//	[422] INVALID_QUERY – limit out of range (chosen)
//	[429] TOO_MANY_REQUESTS – Options.TooManyFirst
//	[429] QUOTA_EXCEEDED – over Options.QuotaPerMinute (one quota for all
//	      endpoints: stricter than GoDaddy's 60 per minute per endpoint)
//	[500] INTERNAL_SERVER_ERROR – injected with FailWith
//
// A 429 has no Retry-After header unless Options.RetryAfter is set. A
// record is "the same" as another (DUPLICATE_RECORD, and what PUT refuses
// twice in one body) when type, name and data agree, and for SRV service,
// protocol, weight and port too: TTL and priority are attributes.
//
// MarshalState and UnmarshalState save and restore the whole world
// (domains and their records) as JSON, so a sandbox can persist it.
package godaddytest
