package restic

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/lagrieta/itlag/ops/backup/restic/restictest"
)

// The integration tests run the real restic. Without it they are skipped,
// or fail when CI is set: CI must run them (.ci/run installs restic).

const itPassword = "it-pässword with spaces"

// realRestic is restic's path (restictest.Bin).
func realRestic(t testing.TB) string { t.Helper(); return restictest.Bin(t) }

// templateRepo is an empty repository in testdata (its config and one key,
// the key rewritten by fastKey): restic init takes about two seconds, as it
// calibrates its KDF, so the tests copy this one instead. restic creates
// the other directories as it needs them. TestIntegrationInit runs the
// real init.
func templateRepo(t testing.TB) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("testdata", "repo"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// newRepo copies the template into a test's directory and returns it with
// a Runner of its own cache.
func newRepo(t testing.TB) (*Runner, Repo) {
	t.Helper()
	bin := realRestic(t)
	src := templateRepo(t)
	dir := filepath.Join(t.TempDir(), "repo")
	copyTree(t, src, dir)
	return &Runner{Bin: bin, CacheDir: t.TempDir()}, Repo{URL: dir, Password: itPassword}
}

func copyTree(t testing.TB, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o700)
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.OpenFile(target, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
	if err != nil {
		t.Fatalf("copy %s: %v", src, err)
	}
}

// sourceTree writes a small tree to back up: a.txt, b.txt, sub/c.txt.
func sourceTree(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "src")
	files := map[string]string{
		"a.txt":     "alpha\n",
		"b.txt":     "bravo bravo\n",
		"sub/c.txt": "charlie, in a subdirectory\n",
	}
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
