package gitrepo

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// gitEnv isolates the git command from the user's and system's config.
var gitEnv = append(os.Environ(),
	"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0",
	"GIT_AUTHOR_NAME=seed", "GIT_AUTHOR_EMAIL=seed@example.test",
	"GIT_COMMITTER_NAME=seed", "GIT_COMMITTER_EMAIL=seed@example.test",
)

// gitRun runs the real git command in dir and returns its trimmed output.
func gitRun(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := gitTry(dir, args...)
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func gitTry(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = gitEnv
	out, err := cmd.CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

// fixture is a bare "remote" on disk holding one seed commit on main
// (README.md and reports/old.md).
type fixture struct {
	root   string
	remote string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("git command not found; required when CI is set")
		}
		t.Skip("git command not found")
	}
	f := &fixture{root: t.TempDir()}
	f.remote = filepath.Join(f.root, "remote.git")
	gitRun(t, f.root, "init", "-q", "--bare", "-b", "main", f.remote)
	seed := filepath.Join(f.root, "seed")
	gitRun(t, f.root, "init", "-q", "-b", "main", seed)
	writeFile(t, seed, "README.md", "hello\n")
	writeFile(t, seed, "reports/old.md", "old report\n")
	gitRun(t, seed, "add", "-A")
	gitRun(t, seed, "commit", "-q", "-m", "seed")
	gitRun(t, seed, "push", "-q", f.remote, "main")
	return f
}

// clone makes a working clone of the remote named name (on main).
func (f *fixture) clone(t *testing.T, name string) string {
	t.Helper()
	dir := filepath.Join(f.root, name)
	gitRun(t, f.root, "clone", "-q", f.remote, dir)
	return dir
}

// remoteLog returns the remote main's subjects and authors, newest first.
func (f *fixture) remoteLog(t *testing.T) string {
	t.Helper()
	return gitRun(t, f.remote, "log", "--format=%s|%an", "main")
}

func writeFile(t *testing.T, dir, name, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func fsckClean(t *testing.T, dir string) {
	t.Helper()
	if out, err := gitTry(dir, "fsck", "--full", "--strict"); err != nil {
		t.Fatalf("git fsck in %s: %v\n%s", dir, err, out)
	}
}
