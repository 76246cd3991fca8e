package backup

import (
	"os"
	"os/exec"
	"testing"

	"github.com/lagrieta/itlag/ops/backup/restic"
	"github.com/lagrieta/itlag/ops/backup/restic/restictest"
)

// needRestic returns a Runner for the restic in PATH. Without restic the
// test is skipped, unless CI is set: then it fails.
func needRestic(t testing.TB) *restic.Runner {
	t.Helper()
	if _, err := exec.LookPath("restic"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("restic not found in PATH (install the restic package); required when CI is set")
		}
		t.Skip("restic not found in PATH (install the restic package)")
	}
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
