package gitrepo

import (
	"path/filepath"
	"testing"
)

// TestStateCommit: the state's commit is the last one that changed the
// state directory, whatever was committed beside it since.
func TestStateCommit(t *testing.T) {
	f := newFixture(t)
	repo := filepath.Join(f.root, "work")
	gitRun(t, f.root, "clone", "-q", f.remote, repo)
	state := filepath.Join(repo, "infra-state")
	if got := StateCommit(state); got != "" {
		t.Errorf("no state committed yet: StateCommit = %q, want \"\"", got)
	}
	writeFile(t, repo, "infra-state/a.yaml", "zones: []\n")
	gitRun(t, repo, "add", "-A")
	gitRun(t, repo, "commit", "-q", "-m", "state 1")
	first := gitRun(t, repo, "rev-parse", "HEAD")
	writeFile(t, repo, "reports/drift.md", "drift\n")
	gitRun(t, repo, "add", "-A")
	gitRun(t, repo, "commit", "-q", "-m", "drift")
	if got := StateCommit(state); got != first {
		t.Errorf("after a drift commit: StateCommit = %.12s, want %.12s (the state's)", got, first)
	}
	writeFile(t, repo, "infra-state/sub/b.yaml", "zones: []\n")
	gitRun(t, repo, "add", "-A")
	gitRun(t, repo, "commit", "-q", "-m", "state 2")
	second := gitRun(t, repo, "rev-parse", "HEAD")
	writeFile(t, repo, "reports/drift.md", "drift 2\n")
	gitRun(t, repo, "add", "-A")
	gitRun(t, repo, "commit", "-q", "-m", "drift 2")
	if got := StateCommit(state); got != second {
		t.Errorf("a file added in a subdirectory: StateCommit = %.12s, want %.12s", got, second)
	}
	if got, head := StateCommit(repo), gitRun(t, repo, "rev-parse", "HEAD"); got != head {
		t.Errorf("the state at the root: StateCommit = %.12s, want HEAD %.12s", got, head)
	}
	if got := StateCommit(t.TempDir()); got != "" {
		t.Errorf("outside a repository: %q", got)
	}
}
