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

// TestStateCommitAtRoot: with the state at the repository's root, what
// itlag writes itself (the ignored directories) is not a new desired state.
func TestStateCommitAtRoot(t *testing.T) {
	f := newFixture(t)
	repo := filepath.Join(f.root, "work")
	gitRun(t, f.root, "clone", "-q", f.remote, repo)
	ignore := []string{filepath.Join(repo, "reports"), filepath.Join(repo, "incidents"), filepath.Join(repo, "audit")}
	commit := func(msg string, files ...string) string {
		t.Helper()
		for i := 0; i+1 < len(files); i += 2 {
			writeFile(t, repo, files[i], files[i+1])
		}
		gitRun(t, repo, "add", "-A")
		gitRun(t, repo, "commit", "-q", "-m", msg)
		return gitRun(t, repo, "rev-parse", "HEAD")
	}
	state := commit("state 1", "a.yaml", "zones: []\n")
	steps := []struct {
		name  string
		files []string
		want  string // "" is the new commit
	}{
		{"reports and incidents", []string{"reports/drift.md", "drift\n", "incidents/x.md", "x\n"}, state},
		{"the audit trail", []string{"audit/2026-12.jsonl", "{}\n"}, state},
		{"a file of the state", []string{"b.yaml", "zones: []\n"}, ""},
		{"a file in a state subdirectory", []string{"dns/reports/c.yaml", "zones: []\n"}, ""},
		{"reports again", []string{"reports/drift.md", "drift 2\n"}, "previous"},
	}
	prev := state
	for _, s := range steps {
		hash := commit(s.name, s.files...)
		want := s.want
		switch want {
		case "":
			want = hash
		case "previous":
			want = prev
		}
		if got := StateCommit(repo, ignore...); got != want {
			t.Errorf("after %s: StateCommit = %.12s, want %.12s", s.name, got, want)
		}
		if s.want == "" {
			prev = hash
		}
	}
}
