// Package audit owns itlag's audit trail: a hash-chained log of what
// itlag did to the world and to the repository (applies, approvals used,
// drift commits, dynamic-DNS updates, secret changes).
//
// The trail is a directory of month files, audit/YYYY-MM.jsonl, one JSON
// object a line:
//
//	{"seq":1,"ts":"2026-12-07T02:00:00Z","actor":"ana <ana@example.org>","action":"apply","target":"plan:…","detail":{…},"prev":"000…0"}
//
// seq rises by exactly 1 across the files (the first entry is 1); ts is
// in UTC and its month is the file's; prev is the SHA-256 (hex) of the
// previous line's exact bytes, its newline excluded, and 64 zeros for the
// first. Because the hash is over the bytes written, no canonical JSON is
// needed: Verify never re-encodes a line. An edited line breaks the next
// line's prev; a removed or reordered line breaks seq; a line moved to
// another month file breaks its month.
//
// Truncating the tail leaves a valid chain. An Anchor (the local
// database, see DBAnchor) records every line and the head (seq, hash)
// when it is appended, so that Verify catches a shortened trail when the
// anchor is available.
//
// Appends hold an exclusive flock on the trail's directory, so that two
// appends (goroutines or processes) never read the same head and fork the
// chain. Month files are opened through store/safefile (no symlink, no hard
// link followed); a symlinked or world-writable
// trail directory is refused. No entry holds a secret value: entries name
// addresses, files and keys, never contents.
package audit
