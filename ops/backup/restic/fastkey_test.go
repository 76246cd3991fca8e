package restic

import (
	"testing"

	"github.com/lagrieta/itlag/ops/backup/restic/restictest"
)

// fastKey rewrites the repository's only key with cheap scrypt parameters
// (restictest.FastKey), so that each restic invocation of the integration
// tests opens the repository in milliseconds.
func fastKey(t testing.TB, bin, repoDir, password string) {
	t.Helper()
	if err := restictest.FastKey(t.Context(), bin, repoDir, password); err != nil {
		t.Fatal(err)
	}
}
