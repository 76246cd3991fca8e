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
	{
		Version: 6,
		Name:    "the IT mailbox: cursors, messages read, notices, confirmations, DMARC",
		SQL: `
-- mail_cursors is how far each account's folder has been read: the folder's
-- UIDVALIDITY and the highest UID handled. A new UIDVALIDITY starts the
-- folder again from UID 1 (the messages already handled are recognised by
-- Message-ID and digest in mail_messages).
CREATE TABLE mail_cursors (
	account     TEXT NOT NULL,
	folder      TEXT NOT NULL,
	uidvalidity INTEGER NOT NULL,
	last_uid    INTEGER NOT NULL,
	checked_at  TEXT NOT NULL,              -- RFC 3339, UTC: the last pass
	PRIMARY KEY (account, folder)
);

-- mail_messages is every message handled once, with what it meant. It
-- holds no body: only what identifies the message and how it was read.
CREATE TABLE mail_messages (
	account     TEXT NOT NULL,
	folder      TEXT NOT NULL,
	uidvalidity INTEGER NOT NULL,
	uid         INTEGER NOT NULL,
	message_id  TEXT NOT NULL DEFAULT '',   -- the Message-ID header, without <>
	digest      TEXT NOT NULL DEFAULT '',   -- SHA-256 of the raw message, hex ('' when not fetched)
	size        INTEGER NOT NULL,           -- RFC822.SIZE
	received_at TEXT NOT NULL,              -- INTERNALDATE, RFC 3339 UTC
	sender      TEXT NOT NULL DEFAULT '',   -- the From address
	subject     TEXT NOT NULL DEFAULT '',
	outcome     TEXT NOT NULL,              -- 'matched' | 'unmatched' | 'duplicate' | 'too-big' | 'malformed'
	kinds       TEXT NOT NULL DEFAULT '',   -- the notices' kinds, comma-separated
	processed_at TEXT NOT NULL,
	PRIMARY KEY (account, folder, uidvalidity, uid)
);
CREATE INDEX mail_messages_identity ON mail_messages (account, message_id, digest);

-- mail_notices is what the mail said: one row per notice a classifier (or
-- a mail rule) drew from a message. An open notice is a finding until its
-- window passes or a later notice closes it.
CREATE TABLE mail_notices (
	id          INTEGER PRIMARY KEY,
	account     TEXT NOT NULL,
	message_key TEXT NOT NULL,              -- "folder/uidvalidity/uid"
	message_id  TEXT NOT NULL DEFAULT '',
	kind        TEXT NOT NULL,              -- "noip.confirm-request", "godaddy.payment-failed", …
	provider    TEXT NOT NULL DEFAULT '',
	severity    TEXT NOT NULL,
	area        TEXT NOT NULL DEFAULT '',   -- "ddns" | "domain" | "nas" | "backup" | "subscription" | "security" | "account"
	target      TEXT NOT NULL DEFAULT '',
	summary     TEXT NOT NULL,
	link        TEXT NOT NULL DEFAULT '',
	date        TEXT NOT NULL DEFAULT '',   -- a date the mail told (YYYY-MM-DD): a deadline, an expiry
	verified    INTEGER NOT NULL DEFAULT 0, -- 1: the sender was authenticated by the account's own MX
	received_at TEXT NOT NULL,
	state       TEXT NOT NULL DEFAULT 'open', -- 'open' | 'closed'
	closed_at   TEXT NOT NULL DEFAULT '',
	closed_by   TEXT NOT NULL DEFAULT ''    -- "mail:<message-id>" | "window" | "person: note"
);
CREATE INDEX mail_notices_open ON mail_notices (state, area, target);

-- mail_confirmations are the confirmations providers asked for: one row
-- per request, open until the provider's follow-up mail, a person
-- ("itlag mail confirm ID") or an allowed automatic confirmation closes it.
CREATE TABLE mail_confirmations (
	id           INTEGER PRIMARY KEY,
	key          TEXT NOT NULL,             -- "noip:hostname:lagrieta.ddns.net"
	account      TEXT NOT NULL,
	kind         TEXT NOT NULL,
	provider     TEXT NOT NULL DEFAULT '',
	area         TEXT NOT NULL DEFAULT '',
	target       TEXT NOT NULL DEFAULT '',
	what         TEXT NOT NULL,             -- what a person must do, one line
	link         TEXT NOT NULL DEFAULT '',
	deadline     TEXT NOT NULL DEFAULT '',  -- RFC 3339, UTC ('' unknown)
	requested_at TEXT NOT NULL,
	message_id   TEXT NOT NULL DEFAULT '',
	state        TEXT NOT NULL DEFAULT 'open', -- 'open' | 'done'
	closed_at    TEXT NOT NULL DEFAULT '',
	closed_by    TEXT NOT NULL DEFAULT '',  -- "mail:<message-id>" | "person" | "auto"
	note         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX mail_confirmations_key ON mail_confirmations (key, state);

-- dmarc_reports and dmarc_rows are the DMARC aggregate reports received:
-- per reporting organisation and report, each sending source's count and
-- how it fared.
CREATE TABLE dmarc_reports (
	org        TEXT NOT NULL,
	report_id  TEXT NOT NULL,
	domain     TEXT NOT NULL,
	begin_at   TEXT NOT NULL,
	end_at     TEXT NOT NULL,
	PRIMARY KEY (org, report_id)
);
CREATE TABLE dmarc_rows (
	org         TEXT NOT NULL,
	report_id   TEXT NOT NULL,
	source_ip   TEXT NOT NULL,
	count       INTEGER NOT NULL,
	header_from TEXT NOT NULL DEFAULT '',
	disposition TEXT NOT NULL DEFAULT '',
	dkim        TEXT NOT NULL DEFAULT '',   -- policy_evaluated: 'pass' | 'fail'
	spf         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dmarc_rows_report ON dmarc_rows (org, report_id);
`,
	},
	{
		Version: 7,
		Name:    "the hourly history of every number measured",
		SQL: `
-- metric_hours keeps every number an observation measured, one row per key
-- and hour: how many readings, their sum, least, greatest and the last.
-- Keys are the observation's metric names ("nas:office/cpu_percent",
-- "nas:office/disk_used_percent:/volume1", "updates:office/pending",
-- "expiry:lagrieta.es/days_left", "findings/high").
CREATE TABLE metric_hours (
	key     TEXT NOT NULL,
	hour    TEXT NOT NULL,                  -- RFC 3339, the hour's start, UTC
	n       INTEGER NOT NULL,
	sum     REAL NOT NULL,
	min     REAL NOT NULL,
	max     REAL NOT NULL,
	last    REAL NOT NULL,
	last_at TEXT NOT NULL,                  -- UTC of the last reading, fixed-width nanoseconds (text order is time order)
	PRIMARY KEY (key, hour)
);
`,
	},
}
