package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func openT(t *testing.T, path string) *DB {
	t.Helper()
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func count(t *testing.T, db *sql.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestOpenCreatesPrivateFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data dir", "a?b#c")
	path := DefaultPath(dir)
	db := openT(t, path)
	if db.Path() != path {
		t.Errorf("Path() = %q, want %q", db.Path(), path)
	}
	for p, want := range map[string]os.FileMode{dir: 0o700, path: 0o600} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := st.Mode().Perm(); got&^want != 0 {
			t.Errorf("%s: mode %v, want at most %v", p, got, want)
		}
	}
	if _, err := os.Stat(path + "-wal"); err != nil {
		t.Errorf("no write-ahead log beside the file: %v", err)
	}
	var mode string
	if err := db.SQL().QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
	if n := count(t, db.SQL(), `PRAGMA foreign_keys`); n != 1 {
		t.Errorf("foreign_keys = %d, want 1", n)
	}
	if n := count(t, db.SQL(), `PRAGMA busy_timeout`); n != int(BusyTimeout.Milliseconds()) {
		t.Errorf("busy_timeout = %d, want %d", n, BusyTimeout.Milliseconds())
	}
}

func TestMigrationsOrdered(t *testing.T) {
	for i, m := range migrations {
		if m.Version != i+1 || m.Name == "" || strings.TrimSpace(m.SQL) == "" {
			t.Errorf("migration %d: version %d, name %q: want version %d, a name and SQL", i, m.Version, m.Name, i+1)
		}
	}
}

func TestMigrationsIdempotent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "itlag.db")
	for range 3 {
		db, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		if n := count(t, db.SQL(), `SELECT count(*) FROM schema_migrations`); n != len(migrations) {
			t.Fatalf("schema_migrations holds %d rows, want %d", n, len(migrations))
		}
		for _, table := range []string{"ddns_updates", "ddns_holds"} {
			if n := count(t, db.SQL(), `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, table); n != 1 {
				t.Fatalf("table %s missing", table)
			}
		}
		db.Close()
	}
}

func TestLaterMigrationApplied(t *testing.T) {
	path := filepath.Join(t.TempDir(), "itlag.db")
	db, err := open(path, migrations)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	next := append(append([]Migration(nil), migrations...),
		Migration{Version: len(migrations) + 1, Name: "extra", SQL: `CREATE TABLE extra (x INTEGER); INSERT INTO extra VALUES (7);`})
	db, err = open(path, next)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n := count(t, db.SQL(), `SELECT x FROM extra`); n != 7 {
		t.Errorf("extra holds %d, want 7", n)
	}
	if n := count(t, db.SQL(), `SELECT max(version) FROM schema_migrations`); n != len(next) {
		t.Errorf("newest version %d, want %d", n, len(next))
	}
}

func TestFailedMigrationRollsBack(t *testing.T) {
	path := filepath.Join(t.TempDir(), "itlag.db")
	bad := append(append([]Migration(nil), migrations...),
		Migration{Version: len(migrations) + 1, Name: "broken", SQL: `CREATE TABLE half (x INTEGER); INSERT INTO nowhere VALUES (1);`})
	if _, err := open(path, bad); err == nil || !strings.Contains(err.Error(), "broken") {
		t.Fatalf("open with a broken migration: %v, want an error naming it", err)
	}
	db := openT(t, path)
	if n := count(t, db.SQL(), `SELECT count(*) FROM sqlite_master WHERE name = 'half'`); n != 0 {
		t.Error("the broken migration's first statement was kept")
	}
	if n := count(t, db.SQL(), `SELECT count(*) FROM schema_migrations`); n != len(migrations) {
		t.Errorf("schema_migrations holds %d rows, want %d", n, len(migrations))
	}
}

func TestBadMigrationList(t *testing.T) {
	path := filepath.Join(t.TempDir(), "itlag.db")
	gap := []Migration{{Version: 1, Name: "a", SQL: "SELECT 1"}, {Version: 3, Name: "c", SQL: "SELECT 1"}}
	if _, err := open(path, gap); err == nil || !strings.Contains(err.Error(), "in order") {
		t.Fatalf("open with a gap: %v", err)
	}
}

func TestFutureVersionRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "itlag.db")
	db := openT(t, path)
	future := len(migrations) + 5
	if _, err := db.SQL().Exec(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, '2030-01-01T00:00:00Z')`, future); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err := Open(path)
	if err == nil {
		t.Fatal("a database from a newer itlag was opened")
	}
	for _, want := range []string{"newer", fmt.Sprint(future), path} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

// TestConcurrentOpen opens a new file from several goroutines at once:
// each migration is applied exactly once.
func TestConcurrentOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "itlag.db")
	const n = 6
	dbs := make([]*DB, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { dbs[i], errs[i] = Open(path) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("open %d: %v", i, errs[i])
		}
		defer dbs[i].Close()
	}
	if c := count(t, dbs[0].SQL(), `SELECT count(*) FROM schema_migrations`); c != len(migrations) {
		t.Errorf("schema_migrations holds %d rows, want %d", c, len(migrations))
	}
}

// TestConcurrentWriters writes from two DBs on one file at once, in
// transactions that read before they write (the case that fails with
// SQLITE_BUSY under deferred transactions), and reads from both.
func TestConcurrentWriters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "itlag.db")
	a, b := openT(t, path), openT(t, path)
	const perWriter = 40
	ctx := context.Background()
	errs := make(chan error, 4)
	var wg sync.WaitGroup
	for w, db := range []*DB{a, b, a, b} {
		wg.Go(func() {
			for i := range perWriter {
				if err := bump(ctx, db, fmt.Sprintf("h%d", w)); err != nil {
					errs <- fmt.Errorf("writer %d, row %d: %w", w, i, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for _, db := range []*DB{a, b} {
		if n := count(t, db.SQL(), `SELECT count(*) FROM ddns_updates`); n != 4*perWriter {
			t.Errorf("%d rows, want %d", n, 4*perWriter)
		}
		// the sequence numbers read inside each transaction never collide
		if n := count(t, db.SQL(), `SELECT count(DISTINCT address) FROM ddns_updates`); n != 4*perWriter {
			t.Errorf("%d distinct sequence numbers, want %d: a read-then-write transaction was not isolated", n, 4*perWriter)
		}
	}
}

// bump reads the number of rows and writes a row carrying it, in one
// transaction.
func bump(ctx context.Context, db *DB, host string) error {
	tx, err := db.SQL().BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM ddns_updates`).Scan(&n); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO ddns_updates (target, host, address, answer, sent_at) VALUES ('t', ?, ?, 'good', '')`,
		host, fmt.Sprint(n)); err != nil {
		return err
	}
	return tx.Commit()
}

func TestOpenErrors(t *testing.T) {
	if _, err := Open(""); err == nil {
		t.Error("Open(\"\") succeeded")
	}
	file := filepath.Join(t.TempDir(), "plain")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(filepath.Join(file, "itlag.db")); err == nil {
		t.Error("Open under a regular file succeeded")
	}
	garbage := filepath.Join(t.TempDir(), "garbage.db")
	if err := os.WriteFile(garbage, []byte(strings.Repeat("not a database ", 100)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(garbage); err == nil || !strings.Contains(err.Error(), garbage) {
		t.Errorf("Open of a file that is not a database: %v", err)
	}
}

// The database file is never reached through a symlink, an existing one
// readable by others is narrowed to 0600, and a directory others can
// write to is refused.
func TestOpenRefusesUnsafeFiles(t *testing.T) {
	t.Run("symlinked database", func(t *testing.T) {
		dir := t.TempDir()
		target := filepath.Join(dir, "elsewhere.db")
		if err := os.WriteFile(target, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "itlag.db")
		if err := os.Symlink(target, path); err != nil {
			t.Fatal(err)
		}
		if db, err := Open(path); err == nil || !strings.Contains(err.Error(), "symlink") {
			if db != nil {
				db.Close()
			}
			t.Fatalf("Open(symlink) = %v, want a refusal", err)
		}
		if fi, _ := os.Stat(target); fi.Size() != 0 {
			t.Error("the target was written")
		}
	})
	t.Run("symlinked wal", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "itlag.db")
		if err := os.Symlink(filepath.Join(dir, "x"), path+"-wal"); err != nil {
			t.Fatal(err)
		}
		if db, err := Open(path); err == nil {
			db.Close()
			t.Fatal("Open with a symlinked -wal file succeeded")
		}
	})
	t.Run("existing database readable by others", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "itlag.db")
		if err := os.WriteFile(path, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		db, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
			t.Errorf("mode %v, want 0600", fi.Mode().Perm())
		}
	})
	t.Run("directory writable by others", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "data")
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, 0o777); err != nil {
			t.Fatal(err)
		}
		if db, err := Open(filepath.Join(dir, "itlag.db")); err == nil {
			db.Close()
			t.Fatal("Open in a world-writable directory succeeded")
		}
	})
}
