package store

// Migration is one step of the schema. Applied steps are never edited: a
// change is a new step appended to migrations.
type Migration struct {
	// Version is the step's number: the first is 1, each next one more.
	Version int
	// Name says what the step is for, in a few words.
	Name string
	// SQL is run in one transaction; it may hold several statements.
	SQL string
}

// migrations is the schema, in order. Append; never edit or reorder.
var migrations = []Migration{
	{
		Version: 1,
		Name:    "dynamic DNS history and holds",
		SQL: `
-- ddns_updates is the history of updates sent to a dynamic-DNS service:
-- one row per host and request, with the service's answer line. It is kept
-- (the last successful one says what the host points at while DNS catches
-- up).
CREATE TABLE ddns_updates (
	id      INTEGER PRIMARY KEY,
	target  TEXT NOT NULL,               -- "noip": the account
	host    TEXT NOT NULL,
	address TEXT NOT NULL,               -- what was sent: "v4" or "v4,v6"
	answer  TEXT NOT NULL,               -- the answer line: "good 203.0.113.7", "911"
	sent_at TEXT NOT NULL                -- RFC 3339, UTC
);
CREATE INDEX ddns_updates_host ON ddns_updates (target, host, id);

-- ddns_holds stops updates until a time or until a human clears the hold.
CREATE TABLE ddns_holds (
	target TEXT NOT NULL,
	host   TEXT NOT NULL DEFAULT '',     -- '' = the whole account
	code   TEXT NOT NULL,                -- the answer that caused it: "911", "badauth"
	reason TEXT NOT NULL,
	until  TEXT NOT NULL DEFAULT '',     -- RFC 3339; '' = until cleared
	since  TEXT NOT NULL,                -- RFC 3339
	PRIMARY KEY (target, host)
);
`,
	},
}
