package gitrepo

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// report writes a report naming the commit it was generated on, as a real
// drift run would (its content depends on the base).
func report(t *testing.T, dir, name, who string) ([]string, string) {
	t.Helper()
	base := gitRun(t, dir, "rev-parse", "--short", "HEAD")
	writeFile(t, dir, name, fmt.Sprintf("drift by %s on %s\n", who, base))
	return []string{name}, "drift: report by " + who
}

func mustCommit(t *testing.T, dir string, paths []string, msg string) string {
	t.Helper()
	h, changed, err := Commit(dir, paths, msg, Signature{Name: "itlag-" + filepath.Base(dir)})
	if err != nil || !changed {
		t.Fatalf("Commit in %s: changed=%v err=%v", dir, changed, err)
	}
	return h
}

func noRebuild(t *testing.T) RebuildFunc {
	return func(string) ([]string, string, error) {
		t.Error("rebuild called although the push was a fast-forward")
		return nil, "", errors.New("unexpected")
	}
}

func TestPushFastForward(t *testing.T) {
	f := newFixture(t)
	a := f.clone(t, "a")
	h := commitReport(t, a, "reports/drift.md", "a")
	if err := Push(context.Background(), a, "origin", "main", nil, noRebuild(t), 3); err != nil {
		t.Fatalf("Push: %v", err)
	}
	if got := gitRun(t, f.remote, "rev-parse", "main"); got != h {
		t.Fatalf("remote main = %s, want %s", got, h)
	}
	// Pushing again is a no-op.
	if err := Push(context.Background(), a, "", "main", nil, noRebuild(t), 0); err != nil {
		t.Fatalf("second Push: %v", err)
	}
	fsckClean(t, f.remote)
}

// commitReport writes a report in dir and commits it.
func commitReport(t *testing.T, dir, name, who string) string {
	t.Helper()
	paths, msg := report(t, dir, name, who)
	return mustCommit(t, dir, paths, msg)
}

func TestPushRace(t *testing.T) {
	tests := []struct {
		name      string
		fileA     string
		fileB     string
		wantFiles map[string]string // remote content, %s = short hash of A's commit
	}{
		{"different files", "reports/a.md", "reports/b.md", map[string]string{
			"reports/a.md": "drift by a on ", "reports/b.md": "drift by b on %s\n"}},
		{"same file regenerated", "reports/drift.md", "reports/drift.md", map[string]string{
			"reports/drift.md": "drift by b on %s\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			a, b := f.clone(t, "a"), f.clone(t, "b")
			writeFile(t, b, "notes.txt", "untracked scratch\n")

			hashA := commitReport(t, a, tt.fileA, "a")
			hashB := commitReport(t, b, tt.fileB, "b")
			if err := Push(context.Background(), a, "origin", "main", nil, noRebuild(t), 3); err != nil {
				t.Fatalf("Push A: %v", err)
			}

			calls := 0
			rebuild := func(dir string) ([]string, string, error) {
				calls++
				if dir != b {
					t.Errorf("rebuild dir = %s, want %s", dir, b)
				}
				p, msg := report(t, dir, tt.fileB, "b")
				return p, msg, nil
			}
			if err := Push(context.Background(), b, "origin", "main", nil, rebuild, 3); err != nil {
				t.Fatalf("Push B: %v", err)
			}
			if calls != 1 {
				t.Fatalf("rebuild called %d times, want 1", calls)
			}

			if got, want := f.remoteLog(t), "drift: report by b|itlag-b\ndrift: report by a|itlag-a\nseed|seed"; got != want {
				t.Fatalf("remote log =\n%s\nwant\n%s", got, want)
			}
			// Linear history that keeps A's commit: no force push happened.
			if _, err := gitTry(f.remote, "merge-base", "--is-ancestor", hashA, "main"); err != nil {
				t.Fatalf("A's commit %s is not in the remote history", hashA)
			}
			if got := gitRun(t, f.remote, "rev-list", "--merges", "main"); got != "" {
				t.Fatalf("remote has merge commits: %s", got)
			}
			if got := gitRun(t, f.remote, "rev-parse", "main~1"); got != hashA {
				t.Fatalf("parent of B's commit = %s, want A's %s", got, hashA)
			}
			if got := gitRun(t, f.remote, "rev-parse", "main"); got == hashB {
				t.Fatalf("remote main is B's original commit: not redone on top")
			}
			shortA := gitRun(t, a, "rev-parse", "--short", hashA)
			for name, want := range tt.wantFiles {
				got := gitRun(t, f.remote, "show", "main:"+name)
				if strings.Contains(want, "%s") {
					want = fmt.Sprintf(want, shortA)
				}
				if !strings.HasPrefix(got+"\n", want) {
					t.Fatalf("remote %s = %q, want %q", name, got, want)
				}
			}
			if got := gitRun(t, b, "status", "--porcelain"); got != "?? notes.txt" {
				t.Fatalf("B status = %q, want only the untracked notes.txt kept", got)
			}
			if got := gitRun(t, b, "rev-parse", "HEAD"); got != gitRun(t, f.remote, "rev-parse", "main") {
				t.Fatalf("B HEAD %s differs from remote main", got)
			}
			fsckClean(t, f.remote)
			fsckClean(t, b)
		})
	}
}

// The other run already pushed exactly what we would write: after the
// rebuild there is nothing to commit, and Push succeeds without a commit.
func TestPushRaceNothingLeft(t *testing.T) {
	f := newFixture(t)
	a, b := f.clone(t, "a"), f.clone(t, "b")
	writeFile(t, a, "reports/drift.md", "same\n")
	writeFile(t, b, "reports/drift.md", "same\n")
	hashA := mustCommit(t, a, []string{"reports/drift.md"}, "drift: a")
	mustCommit(t, b, []string{"reports/drift.md"}, "drift: b")
	if err := Push(context.Background(), a, "origin", "main", nil, nil, 3); err != nil {
		t.Fatalf("Push A: %v", err)
	}
	rebuild := func(dir string) ([]string, string, error) {
		writeFile(t, dir, "reports/drift.md", "same\n")
		return []string{"reports/drift.md"}, "drift: b", nil
	}
	if err := Push(context.Background(), b, "origin", "main", nil, rebuild, 3); err != nil {
		t.Fatalf("Push B: %v", err)
	}
	if got := gitRun(t, f.remote, "rev-parse", "main"); got != hashA {
		t.Fatalf("remote main = %s, want A's %s unchanged", got, hashA)
	}
	if got := gitRun(t, b, "rev-parse", "HEAD"); got != hashA {
		t.Fatalf("B HEAD = %s, want A's %s", got, hashA)
	}
}

func TestPushAttemptsExhausted(t *testing.T) {
	tests := []struct {
		name        string
		maxAttempts int
		wantCalls   int
		wantMsg     string
	}{
		{"default three", 0, 2, "giving up after 3 attempts"},
		{"one", 1, 0, "giving up after 1 attempts"},
		{"five", 5, 4, "giving up after 5 attempts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			a, b, c := f.clone(t, "a"), f.clone(t, "b"), f.clone(t, "c")
			commitReport(t, a, "reports/a.md", "a")
			commitReport(t, b, "reports/b.md", "b")
			if err := Push(context.Background(), a, "origin", "main", nil, nil, 1); err != nil {
				t.Fatalf("Push A: %v", err)
			}
			// Another writer pushes first every time B rebuilds.
			calls := 0
			rebuild := func(dir string) ([]string, string, error) {
				calls++
				gitRun(t, c, "pull", "-q", "--ff-only")
				writeFile(t, c, "reports/c.md", fmt.Sprintf("c %d\n", calls))
				gitRun(t, c, "add", "reports/c.md")
				gitRun(t, c, "commit", "-q", "-m", fmt.Sprintf("c %d", calls))
				gitRun(t, c, "push", "-q", "origin", "main")
				p, msg := report(t, dir, "reports/b.md", "b")
				return p, msg, nil
			}
			err := Push(context.Background(), b, "origin", "main", nil, rebuild, tt.maxAttempts)
			if err == nil || !errors.Is(err, ErrPushRejected) || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Fatalf("Push B err = %v; want ErrPushRejected saying %q", err, tt.wantMsg)
			}
			if calls != tt.wantCalls {
				t.Fatalf("rebuild called %d times, want %d", calls, tt.wantCalls)
			}
			if strings.Contains(f.remoteLog(t), "by b") {
				t.Fatalf("B's commit reached the remote:\n%s", f.remoteLog(t))
			}
			// B's work is still committed locally.
			if got := gitRun(t, b, "log", "-1", "--format=%s"); got != "drift: report by b" {
				t.Fatalf("B HEAD subject = %q", got)
			}
			fsckClean(t, f.remote)
		})
	}
}

func TestPushRebuildFailureRestoresLocalCommit(t *testing.T) {
	f := newFixture(t)
	a, b := f.clone(t, "a"), f.clone(t, "b")
	commitReport(t, a, "reports/a.md", "a")
	hashB := commitReport(t, b, "reports/b.md", "b")
	if err := Push(context.Background(), a, "origin", "main", nil, nil, 1); err != nil {
		t.Fatalf("Push A: %v", err)
	}
	rebuild := func(dir string) ([]string, string, error) {
		// a partial write, then failure
		writeFile(t, dir, "README.md", "half written\n")
		writeFile(t, dir, "reports/a.md", "half written\n")
		return nil, "", errors.New("provider unreachable")
	}
	err := Push(context.Background(), b, "origin", "main", nil, rebuild, 3)
	if err == nil || !strings.Contains(err.Error(), "provider unreachable") || !strings.Contains(err.Error(), "restored") {
		t.Fatalf("err = %v", err)
	}
	if got := gitRun(t, b, "rev-parse", "HEAD"); got != hashB {
		t.Fatalf("B HEAD = %s, want its own commit %s back", got, hashB)
	}
	if got := gitRun(t, b, "status", "--porcelain"); got != "" {
		t.Fatalf("B status = %q, want clean", got)
	}
	if _, err := os.Stat(filepath.Join(b, "reports", "b.md")); err != nil {
		t.Fatalf("B's report is gone from the worktree: %v", err)
	}
}

func TestPushRefusesToResetDirtyWorktree(t *testing.T) {
	f := newFixture(t)
	a, b := f.clone(t, "a"), f.clone(t, "b")
	commitReport(t, a, "reports/a.md", "a")
	hashB := commitReport(t, b, "reports/b.md", "b")
	if err := Push(context.Background(), a, "origin", "main", nil, nil, 1); err != nil {
		t.Fatalf("Push A: %v", err)
	}
	writeFile(t, b, "README.md", "unsaved hand edit\n")
	err := Push(context.Background(), b, "origin", "main", nil, noRebuild(t), 3)
	if err == nil || !strings.Contains(err.Error(), "uncommitted changes (README.md)") {
		t.Fatalf("err = %v", err)
	}
	if got := gitRun(t, b, "rev-parse", "HEAD"); got != hashB {
		t.Fatalf("B HEAD moved to %s", got)
	}
	b2, _ := os.ReadFile(filepath.Join(b, "README.md"))
	if string(b2) != "unsaved hand edit\n" {
		t.Fatalf("hand edit lost: %q", b2)
	}
}

func TestPushPreconditions(t *testing.T) {
	f := newFixture(t)
	a := f.clone(t, "a")
	// none of these is ever contacted: the refusal comes first
	gitRun(t, a, "remote", "add", "plain", "http://git.example.org/repo.git")
	gitRun(t, a, "remote", "add", "plainpw", "http://u:"+testToken+"@git.example.org/repo.git")
	gitRun(t, a, "remote", "add", "gitproto", "git://git.example.org/repo.git")
	tests := []struct {
		name    string
		remote  string
		branch  string
		auth    Auth
		wantErr string
	}{
		{"no branch", "origin", "", nil, "branch is not set"},
		{"head elsewhere", "origin", "other", nil, "HEAD is not on branch other"},
		{"unknown remote", "nope", "main", nil, "remote not found"},
		{"ssh without known_hosts", "origin", "main", SSHKey{KeyFile: "/nonexistent"}, "known_hosts file is not set"},
		{"empty token", "origin", "main", Token{Username: "x-access-token"}, "token is empty"},
		{"token over plain http", "plain", "main", Token{Username: "x-access-token", Token: "tk"}, "only over TLS"},
		{"password in a plain http URL", "plainpw", "main", nil, "only over TLS"},
		{"token over git://", "gitproto", "main", Token{Username: "x-access-token", Token: "tk"}, "only over TLS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Push(context.Background(), a, tt.remote, tt.branch, tt.auth, nil, 1)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want containing %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), testToken) {
				t.Fatalf("error shows the token: %v", err)
			}
		})
	}
}
