package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" driver

	"github.com/lagrieta/itlag/store/safefile"
)

// DefaultFile is the database's file name inside itlag's data directory.
const DefaultFile = "itlag.db"

// BusyTimeout is how long a statement waits for another connection's or
// process's write lock before failing with "database is locked".
const BusyTimeout = 5 * time.Second

// DB is an open database. It is safe for concurrent use, and several DBs
// (in one process or several) may have the same file open.
type DB struct {
	db   *sql.DB
	path string
}

// DefaultPath is the database file in dataDir.
func DefaultPath(dataDir string) string { return filepath.Join(dataDir, DefaultFile) }

// Open opens the database at path, creating it and its directory if
// needed, and applies the migrations it lacks. A database that records a
// schema version this binary does not know is refused.
func Open(path string) (*DB, error) { return open(path, migrations) }

func open(path string, ms []Migration) (*DB, error) {
	if path == "" {
		return nil, errors.New("store: no database path")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", path, err)
	}
	dir, name := filepath.Split(abs)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: %s: create directory: %w", abs, err)
	}
	if err := safefile.CheckDir(dir); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	// create the file ourselves, never through a symlink, so that it is
	// 0600 whatever the umask allows (an older one is narrowed); SQLite
	// gives the -wal and -shm files the same mode, and opens them by name:
	// none may be a symlink either
	for _, side := range []string{"-wal", "-shm", "-journal"} {
		if fi, err := os.Lstat(abs + side); err == nil && !fi.Mode().IsRegular() {
			return nil, fmt.Errorf("store: %s%s: %w", abs, side, safefile.ErrNotRegular)
		}
	}
	f, err := safefile.OpenFile(dir, name, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	err = f.Chmod(0o600)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", abs, err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, err := connect(ctx, abs)
	if err != nil {
		return nil, fmt.Errorf("store: %s: open: %w", abs, err)
	}
	if err := migrate(ctx, db, ms); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %s: %w", abs, err)
	}
	return &DB{db: db, path: abs}, nil
}

// dsn is the driver's name for the file at abs: a file: URI (so that any
// character in the path is escaped) with the pragmas every connection of
// the pool runs when it opens. _txlock=immediate makes BeginTx take the
// write lock at once, so that two writers wait on the busy timeout instead
// of one failing when it upgrades a read lock.
func dsn(abs string) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", BusyTimeout.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Set("_txlock", "immediate")
	return "file:" + (&url.URL{Path: filepath.ToSlash(abs)}).EscapedPath() + "?" + q.Encode()
}

// SQL is the database handle, for the packages that keep their tables here.
func (d *DB) SQL() *sql.DB { return d.db }

// Path is the database file's absolute path.
func (d *DB) Path() string { return d.path }

// Close closes the database.
func (d *DB) Close() error { return d.db.Close() }

// migrate brings the schema up to ms, one transaction a migration.
func migrate(ctx context.Context, db *sql.DB, ms []Migration) error {
	for i, m := range ms {
		if m.Version != i+1 {
			return fmt.Errorf("migration %d (%s) has version %d: versions must run 1, 2, 3… in order", i, m.Name, m.Version)
		}
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    INTEGER PRIMARY KEY,
	applied_at TEXT NOT NULL
)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	applied, err := versions(ctx, db)
	if err != nil {
		return err
	}
	if err := knownVersions(applied, len(ms)); err != nil {
		return err
	}
	for _, m := range ms {
		if applied[m.Version] {
			continue
		}
		if err := apply(ctx, db, m); err != nil {
			return err
		}
	}
	return nil
}

// versions returns the versions schema_migrations records.
func versions(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) (map[int]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	defer rows.Close()
	out := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("read schema_migrations: %w", err)
		}
		out[v] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	return out, nil
}

// knownVersions refuses a database with a version past known (written by
// a newer itlag) or below 1.
func knownVersions(applied map[int]bool, known int) error {
	newest := 0
	for v := range applied {
		if v < 1 {
			return fmt.Errorf("schema_migrations records version %d, which no itlag writes", v)
		}
		newest = max(newest, v)
	}
	if newest > known {
		return fmt.Errorf("the database is at schema version %d, newer than this itlag knows (%d): a newer itlag wrote it; upgrade itlag", newest, known)
	}
	return nil
}

// apply runs one migration in a transaction, unless another process
// applied it since versions was read.
func apply(ctx context.Context, db *sql.DB, m Migration) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration %d (%s): begin: %w", m.Version, m.Name, err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, m.Version).Scan(&n); err != nil {
		return fmt.Errorf("migration %d (%s): %w", m.Version, m.Name, err)
	}
	if n > 0 {
		return nil // another process was first
	}
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return fmt.Errorf("migration %d (%s): %w", m.Version, m.Name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`,
		m.Version, time.Now().UTC().Format(time.RFC3339)); err != nil {
		return fmt.Errorf("migration %d (%s): record: %w", m.Version, m.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migration %d (%s): commit: %w", m.Version, m.Name, err)
	}
	return nil
}

// connect opens a connection pool and its first connection. Turning a new
// file to WAL takes an exclusive lock for which SQLite does not wait on the
// busy timeout: when several processes open a new database at once, the
// losers get "database is locked" at once, so the first connection is
// retried (up to BusyTimeout) rather than failing.
func connect(ctx context.Context, abs string) (*sql.DB, error) {
	deadline := time.Now().Add(BusyTimeout)
	for wait := 10 * time.Millisecond; ; wait = min(wait*2, 200*time.Millisecond) {
		db, err := sql.Open("sqlite", dsn(abs))
		if err != nil {
			return nil, err
		}
		err = db.PingContext(ctx)
		if err == nil {
			return db, nil
		}
		db.Close()
		if !busy(err) || time.Now().After(deadline) {
			return nil, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(wait):
		}
	}
}

// busy reports SQLite's "database is locked" (SQLITE_BUSY).
func busy(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "SQLITE_BUSY") || strings.Contains(msg, "database is locked")
}
