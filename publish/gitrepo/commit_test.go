package gitrepo

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCommitOnlyOnChange(t *testing.T) {
	f := newFixture(t)
	a := f.clone(t, "a")
	writeFile(t, a, "reports/drift.md", "2 records drifted\n")

	hash, changed, err := Commit(a, []string{"reports/drift.md"}, "drift: report", Signature{})
	if err != nil || !changed {
		t.Fatalf("first Commit = %q, %v, %v; want a commit", hash, changed, err)
	}
	if head := gitRun(t, a, "rev-parse", "HEAD"); head != hash {
		t.Fatalf("HEAD = %s, Commit returned %s", head, hash)
	}
	want := "drift: report|itlag\nseed|seed"
	if got := gitRun(t, a, "log", "--format=%s|%an"); got != want {
		t.Fatalf("log =\n%s\nwant\n%s", got, want)
	}
	if got := gitRun(t, a, "log", "-1", "--format=%ae|%cn|%ce"); got != "itlag@localhost|itlag|itlag@localhost" {
		t.Fatalf("author/committer = %s", got)
	}

	// Same content again: nothing to commit.
	hash, changed, err = Commit(a, []string{"reports/drift.md"}, "drift: report again", Signature{})
	if err != nil || changed || hash != "" {
		t.Fatalf("second Commit = %q, %v, %v; want no commit", hash, changed, err)
	}
	if got := gitRun(t, a, "log", "--format=%s|%an"); got != want {
		t.Fatalf("log after no-op Commit =\n%s\nwant\n%s", got, want)
	}

	// New content with a given signature.
	writeFile(t, a, "reports/drift.md", "0 records drifted\n")
	if _, changed, err = Commit(a, []string{"reports/drift.md"}, "drift: clean", Signature{Name: "bot", Email: "bot@example.test"}); err != nil || !changed {
		t.Fatalf("third Commit: changed=%v err=%v", changed, err)
	}
	if got := gitRun(t, a, "log", "-1", "--format=%s|%an|%ae"); got != "drift: clean|bot|bot@example.test" {
		t.Fatalf("last commit = %s", got)
	}
	fsckClean(t, a)
}

func TestCommitStagesOnlyGivenPaths(t *testing.T) {
	f := newFixture(t)
	a := f.clone(t, "a")
	writeFile(t, a, "README.md", "edited by hand\n") // tracked, modified
	writeFile(t, a, "notes.txt", "scratch\n")        // untracked
	writeFile(t, a, "reports/new.md", "new report\n")
	writeFile(t, a, "reports/old.md", "old report, regenerated\n")

	_, changed, err := Commit(a, []string{"reports/new.md", "./reports/old.md"}, "drift: report", Signature{})
	if err != nil || !changed {
		t.Fatalf("Commit: changed=%v err=%v", changed, err)
	}
	if got, want := gitRun(t, a, "show", "--name-status", "--format=", "HEAD"), "A\treports/new.md\nM\treports/old.md"; got != want {
		t.Fatalf("committed =\n%s\nwant\n%s", got, want)
	}
	if got, want := gitRun(t, a, "status", "--porcelain"), "M README.md\n?? notes.txt"; got != want {
		t.Fatalf("status =\n%s\nwant\n%s", got, want)
	}
	fsckClean(t, a)
}

func TestCommitDeletion(t *testing.T) {
	f := newFixture(t)
	a := f.clone(t, "a")
	if err := os.Remove(filepath.Join(a, "reports", "old.md")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, a, "reports/drift.md", "report\n")
	// A path neither on disk nor tracked is ignored.
	_, changed, err := Commit(a, []string{"reports/old.md", "reports/drift.md", "reports/never.md"}, "drift: replace report", Signature{})
	if err != nil || !changed {
		t.Fatalf("Commit: changed=%v err=%v", changed, err)
	}
	if got, want := gitRun(t, a, "show", "--name-status", "--format=", "HEAD"), "A\treports/drift.md\nD\treports/old.md"; got != want {
		t.Fatalf("committed =\n%s\nwant\n%s", got, want)
	}
	if got := gitRun(t, a, "status", "--porcelain"); got != "" {
		t.Fatalf("status after deletion commit = %q, want clean", got)
	}
	fsckClean(t, a)
}

func TestCommitRefuses(t *testing.T) {
	f := newFixture(t)
	a := f.clone(t, "a")
	writeFile(t, a, "reports/drift.md", "report\n")
	tests := []struct {
		name    string
		paths   []string
		msg     string
		wantErr string
	}{
		{"no paths", nil, "m", "no paths"},
		{"empty message", []string{"reports/drift.md"}, " ", "empty commit message"},
		{"absolute", []string{filepath.Join(a, "README.md")}, "m", "relative"},
		{"escapes", []string{"../x"}, "m", "leaves the repository"},
		{"root", []string{"."}, "m", "repository root"},
		{"git dir", []string{".git/config"}, "m", "inside .git"},
		{"directory", []string{"reports"}, "m", "is a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, changed, err := Commit(a, tt.paths, tt.msg, Signature{})
			if err == nil || changed || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Commit = changed %v, err %v; want error containing %q", changed, err, tt.wantErr)
			}
		})
	}
	if got := gitRun(t, a, "rev-list", "--count", "HEAD"); got != "1" {
		t.Fatalf("commits = %s, want only the seed", got)
	}
}

func TestCommitRefusesForeignStagedChanges(t *testing.T) {
	f := newFixture(t)
	a := f.clone(t, "a")
	writeFile(t, a, "README.md", "staged by hand\n")
	gitRun(t, a, "add", "README.md")
	writeFile(t, a, "reports/drift.md", "report\n")

	_, changed, err := Commit(a, []string{"reports/drift.md"}, "drift: report", Signature{})
	if err == nil || changed || !strings.Contains(err.Error(), "README.md") {
		t.Fatalf("Commit = changed %v, err %v; want refusal naming README.md", changed, err)
	}
	if got := gitRun(t, a, "rev-list", "--count", "HEAD"); got != "1" {
		t.Fatalf("commits = %s, want only the seed", got)
	}
}

func TestCommitNotARepository(t *testing.T) {
	_, _, err := Commit(t.TempDir(), []string{"x"}, "m", Signature{})
	if err == nil || !strings.Contains(err.Error(), "open repository") {
		t.Fatalf("err = %v", err)
	}
}
