package restic

import (
	"context"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// The integration tests run the real restic. Without it they are skipped,
// or fail when CI is set: CI must run them (.ci/run installs restic).

const itPassword = "it-pässword with spaces"

// realRestic is restic's path.
func realRestic(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("restic")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("restic not found (apt-get install restic); required when CI is set")
		}
		t.Skip("restic not installed (apt-get install restic); integration test skipped")
	}
	return p
}

// template is one repository made by the real restic init, shared by the
// tests as a starting point: restic calibrates its KDF to about a second per
// init, so the tests init once and copy.
var template struct {
	once sync.Once
	dir  string // the repository
	base string // removed by TestMain
	// What TestIntegrationInit checks: the first Init, the second on the
	// same repository, and the invocations of the second.
	first, second error
	secondCalls   int64
	failed        string
}

func templateRepo(t testing.TB) string {
	t.Helper()
	bin := realRestic(t)
	template.once.Do(func() {
		// Cleared at the end: a t.Fatal in between leaves it set.
		template.failed = "setting up the template repository failed (see the first test that used it)"
		base, err := os.MkdirTemp("", "itlag-restic-template-")
		if err != nil {
			template.failed = err.Error()
			return
		}
		template.base = base
		template.dir = filepath.Join(base, "repo")
		r := &Runner{Bin: bin, CacheDir: filepath.Join(base, "cache")}
		repo := Repo{URL: template.dir, Password: itPassword}
		template.first = r.Init(context.Background(), repo)
		if template.first == nil {
			fastKey(t, bin, template.dir, itPassword)
			before := r.Calls.Load()
			template.second = r.Init(context.Background(), repo)
			template.secondCalls = r.Calls.Load() - before
		}
		template.failed = ""
	})
	if template.failed != "" {
		t.Fatal(template.failed)
	}
	if template.first != nil {
		t.Fatalf("init of the template repository: %v", template.first)
	}
	return template.dir
}

func removeTemplate() {
	if template.base != "" {
		os.RemoveAll(template.base)
	}
}

// newRepo copies the template into a test's directory and returns it with
// a Runner of its own cache.
func newRepo(t testing.TB) (*Runner, Repo) {
	t.Helper()
	src := templateRepo(t)
	dir := filepath.Join(t.TempDir(), "repo")
	copyTree(t, src, dir)
	return &Runner{Bin: realRestic(t), CacheDir: t.TempDir()}, Repo{URL: dir, Password: itPassword}
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
