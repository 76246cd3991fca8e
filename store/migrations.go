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
	{
		Version: 2,
		Name:    "backup runs, checks and restore drills",
		SQL: `
-- backup_runs is the history of "itlag backup run": one row per job,
-- destination and run, with restic's summary. Times are RFC 3339, UTC.
CREATE TABLE backup_runs (
	id              INTEGER PRIMARY KEY,
	job             TEXT NOT NULL,
	destination     TEXT NOT NULL,
	repository      TEXT NOT NULL,           -- the repository as the state named it then
	started_at      TEXT NOT NULL,
	finished_at     TEXT NOT NULL,
	ok              INTEGER NOT NULL,        -- 1: the snapshot holds every source file
	error           TEXT NOT NULL DEFAULT '',
	snapshot_id     TEXT NOT NULL DEFAULT '',
	files_new       INTEGER NOT NULL DEFAULT 0,
	files_changed   INTEGER NOT NULL DEFAULT 0,
	data_added      INTEGER NOT NULL DEFAULT 0,  -- bytes
	bytes_processed INTEGER NOT NULL DEFAULT 0,
	duration_ms     INTEGER NOT NULL DEFAULT 0,
	full            INTEGER NOT NULL DEFAULT 0,  -- 1: backup --force
	forget_error    TEXT NOT NULL DEFAULT ''     -- forget --prune after the backup
);
CREATE INDEX backup_runs_destination ON backup_runs (job, destination, id);

-- backup_checks is the history of "restic check --read-data-subset".
CREATE TABLE backup_checks (
	id          INTEGER PRIMARY KEY,
	job         TEXT NOT NULL,
	destination TEXT NOT NULL,
	at          TEXT NOT NULL,
	ok          INTEGER NOT NULL,
	errors      TEXT NOT NULL DEFAULT ''     -- one a line
);
CREATE INDEX backup_checks_destination ON backup_checks (job, destination, id);

-- backup_drills is the history of restore drills: files restored from the
-- latest snapshot and compared with the source.
CREATE TABLE backup_drills (
	id            INTEGER PRIMARY KEY,
	job           TEXT NOT NULL,
	destination   TEXT NOT NULL,
	at            TEXT NOT NULL,
	ok            INTEGER NOT NULL,
	snapshot_id   TEXT NOT NULL DEFAULT '',
	files_checked INTEGER NOT NULL DEFAULT 0,
	files_skipped INTEGER NOT NULL DEFAULT 0,  -- changed at the source since the snapshot
	errors        TEXT NOT NULL DEFAULT ''     -- one a line
);
CREATE INDEX backup_drills_destination ON backup_drills (job, destination, id);
`,
	},
	{
		Version: 3,
		Name:    "monitoring results, hourly roll-ups, alert state and alerts sent",
		SQL: `
-- monitor_results holds every probe result (raw, kept for the retention
-- the state sets; older ones survive as hourly roll-ups).
CREATE TABLE monitor_results (
	id          INTEGER PRIMARY KEY,
	monitor     TEXT NOT NULL,
	at          TEXT NOT NULL,              -- RFC 3339, UTC
	ok          INTEGER NOT NULL,
	duration_ms REAL NOT NULL DEFAULT 0,    -- response time
	value       TEXT NOT NULL DEFAULT '',   -- what was measured ("200", "13d")
	error       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX monitor_results_monitor ON monitor_results (monitor, at);

-- monitor_rollups summarises results per monitor and hour.
CREATE TABLE monitor_rollups (
	monitor     TEXT NOT NULL,
	hour        TEXT NOT NULL,              -- RFC 3339, the hour's start, UTC
	checks      INTEGER NOT NULL,
	failures    INTEGER NOT NULL,
	avg_ms      REAL NOT NULL,
	max_ms      REAL NOT NULL,
	PRIMARY KEY (monitor, hour)
);

-- alert_state is each alerted problem's state, by fingerprint: open or
-- resolved, when it started, when it was last alerted (for reminders).
CREATE TABLE alert_state (
	fingerprint   TEXT PRIMARY KEY,
	source        TEXT NOT NULL,
	severity      TEXT NOT NULL,
	summary       TEXT NOT NULL,
	status        TEXT NOT NULL,            -- 'open' | 'resolved'
	started_at    TEXT NOT NULL,
	last_alert_at TEXT NOT NULL DEFAULT '',
	resolved_at   TEXT NOT NULL DEFAULT ''
);

-- alerts_sent records every alert sent (or held, or failed).
CREATE TABLE alerts_sent (
	id          INTEGER PRIMARY KEY,
	at          TEXT NOT NULL,
	fingerprint TEXT NOT NULL,
	kind        TEXT NOT NULL,              -- 'start' | 'reminder' | 'recovery'
	route       TEXT NOT NULL,              -- the route's name
	channel     TEXT NOT NULL,              -- 'email' | 'webhook'
	ok          INTEGER NOT NULL,
	error       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX alerts_sent_fingerprint ON alerts_sent (fingerprint, id);
`,
	},
	{
		Version: 4,
		Name:    "audit trail anchor",
		SQL: `
-- audit_entries keeps a copy of every line appended to an audit trail
-- (publish/audit), so that "itlag audit verify" notices a trail whose tail
-- was removed. trail is the trail directory's absolute path; the highest
-- seq is the head.
CREATE TABLE audit_entries (
	trail       TEXT NOT NULL,
	seq         INTEGER NOT NULL,
	hash        TEXT NOT NULL,              -- SHA-256 of the line, hex
	line        TEXT NOT NULL,
	recorded_at TEXT NOT NULL,
	PRIMARY KEY (trail, seq)
);
`,
	},
	{
		Version: 5,
		Name:    "resources whose last apply wrote a secret",
		SQL: `
-- sensitive_resources lists the files and blocks whose last apply wrote
-- sensitive content: their live copy is shown redacted even once the state
-- no longer marks them sensitive. An apply of content that is not
-- sensitive, or a delete, removes the row. It holds no content.
CREATE TABLE sensitive_resources (
	address    TEXT PRIMARY KEY,            -- "nas:office/file/etc/noip2.conf"
	applied_at TEXT NOT NULL                -- RFC 3339, UTC
);
`,
	},
}
