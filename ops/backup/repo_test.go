package backup

import (
	"os"
	"testing"

	"github.com/lagrieta/itlag/ops/backup/restic"
	"github.com/lagrieta/itlag/ops/backup/restic/restictest"
)

// needRestic returns a Runner for the restic in PATH (restictest.Bin:
// skipped without it, failed when CI is set).
func needRestic(t testing.TB) *restic.Runner {
	t.Helper()
	restictest.Bin(t)
	return &restic.Runner{CacheDir: t.TempDir()}
}

// newTestRepo writes an empty restic repository at dir whose only key
// opens with password in a few milliseconds (restictest.NewRepo).
func newTestRepo(t testing.TB, dir, password string) {
	t.Helper()
	if err := restictest.NewRepo(dir, password); err != nil {
		t.Fatal(err)
	}
}

func mustMkdir(t testing.TB, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
}
