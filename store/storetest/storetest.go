// Package storetest opens a fresh local database for tests.
package storetest

import (
	"path/filepath"
	"testing"

	"github.com/lagrieta/itlag/store"
)

// Open opens a new database in a temporary directory, migrated, closed
// when the test ends.
func Open(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), store.DefaultFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
