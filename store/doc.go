// Package store is itlag's local SQLite database: what itlag must remember
// between runs and that is not desired state (which lives in Git) nor
// observable from outside (which is re-read every run): the history of
// dynamic-DNS updates sent and the holds that stop further updates
// (package providers/noip), and the backup runs, integrity checks and
// restore drills (package backup); later, monitoring history.
//
// Open creates the file (mode 0600, in a directory created 0700), opens it
// with modernc.org/sqlite (pure Go, driver "sqlite") in WAL mode with a
// 5-second busy timeout and foreign keys on, and brings the schema up to
// date. Several processes (a timer-driven drift run and a human's apply) may
// open the same file at once: WAL lets readers work beside one writer,
// transactions begin IMMEDIATE (every BeginTx takes the write lock, so read
// outside transactions when only reading) so that two writers queue on the
// busy timeout instead of failing, and each migration re-checks inside its transaction
// whether another process applied it first.
//
// # Migrations
//
// The schema is the ordered slice migrations in migrations.go: each entry
// has a version (1, 2, 3… with no gaps) and SQL. Open applies each missing
// one in a transaction of its own and records it in
// schema_migrations(version, applied_at). A new feature appends an entry;
// applied entries are never edited. A database that records a version this
// binary does not know was written by a newer itlag: Open refuses it rather
// than run old code against a schema it does not understand.
package store
