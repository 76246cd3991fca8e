package gitrepo

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Default author of the commits itlag writes.
const (
	DefaultName  = "itlag"
	DefaultEmail = "itlag@localhost"
)

// Signature names the author (and committer) of a commit. Empty fields take
// DefaultName and DefaultEmail.
type Signature struct {
	Name  string
	Email string
}

func (s Signature) object(when time.Time) *object.Signature {
	if s.Name == "" {
		s.Name = DefaultName
	}
	if s.Email == "" {
		s.Email = DefaultEmail
	}
	return &object.Signature{Name: s.Name, Email: s.Email, When: when}
}

// Commit stages exactly paths (slash or OS separated, relative to the root of
// the repository at repoDir) and commits them with msg. A path may name a new,
// modified or deleted file; directories are refused, so that nothing is
// staged that the caller did not name. Other changes in the worktree are
// never staged, and Commit refuses to run when the index already holds
// staged changes outside paths (they would otherwise ride along).
//
// When the staged tree equals HEAD's tree nothing is committed and Commit
// returns ("", false, nil). Otherwise it returns the new commit's hash and
// true.
func Commit(repoDir string, paths []string, msg string, author Signature) (hash string, changed bool, err error) {
	repo, err := git.PlainOpen(repoDir)
	if err != nil {
		return "", false, fmt.Errorf("git: commit in %s: open repository: %w", repoDir, err)
	}
	h, changed, err := commitPaths(repo, paths, msg, author.object(time.Now()))
	if err != nil {
		return "", false, fmt.Errorf("git: commit in %s: %w", repoDir, err)
	}
	return h, changed, nil
}

// commitPaths is Commit on an open repository.
func commitPaths(repo *git.Repository, paths []string, msg string, sig *object.Signature) (string, bool, error) {
	if strings.TrimSpace(msg) == "" {
		return "", false, errors.New("empty commit message")
	}
	clean, err := cleanPaths(paths)
	if err != nil {
		return "", false, err
	}
	wt, err := repo.Worktree()
	if err != nil {
		return "", false, fmt.Errorf("worktree: %w", err)
	}
	if err := refuseForeignStaged(wt, clean); err != nil {
		return "", false, err
	}
	idx, err := repo.Storer.Index()
	if err != nil {
		return "", false, fmt.Errorf("read index: %w", err)
	}
	indexed := make(map[string]bool, len(idx.Entries))
	for _, e := range idx.Entries {
		indexed[e.Name] = true
	}
	for _, p := range clean {
		fi, err := wt.Filesystem.Lstat(p)
		switch {
		case err == nil && fi.IsDir():
			return "", false, fmt.Errorf("stage %s: is a directory; name the files", p)
		case err == nil:
			if err := wt.AddWithOptions(&git.AddOptions{Path: p, SkipStatus: true}); err != nil {
				return "", false, fmt.Errorf("stage %s: %w", p, err)
			}
		case os.IsNotExist(err):
			if !indexed[p] {
				continue // neither on disk nor tracked: nothing to record
			}
			if _, err := wt.Remove(p); err != nil {
				return "", false, fmt.Errorf("stage deletion of %s: %w", p, err)
			}
		default:
			return "", false, fmt.Errorf("stage %s: %w", p, err)
		}
	}
	h, err := wt.Commit(msg, &git.CommitOptions{Author: sig, Committer: sig})
	if errors.Is(err, git.ErrEmptyCommit) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("commit: %w", err)
	}
	return h.String(), true, nil
}

// cleanPaths normalises paths to slash-separated, repository-relative form
// and refuses any that leave the worktree or touch .git.
func cleanPaths(paths []string) ([]string, error) {
	if len(paths) == 0 {
		return nil, errors.New("no paths to commit")
	}
	seen := make(map[string]bool, len(paths))
	out := make([]string, 0, len(paths))
	for _, raw := range paths {
		p := path.Clean(filepath.ToSlash(raw))
		switch {
		case raw == "" || p == ".":
			return nil, fmt.Errorf("path %q: names the repository root", raw)
		case path.IsAbs(p) || filepath.IsAbs(raw):
			return nil, fmt.Errorf("path %q: must be relative to the repository root", raw)
		case p == ".." || strings.HasPrefix(p, "../"):
			return nil, fmt.Errorf("path %q: leaves the repository", raw)
		case p == ".git" || strings.HasPrefix(p, ".git/"):
			return nil, fmt.Errorf("path %q: inside .git", raw)
		}
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out, nil
}

// refuseForeignStaged fails when the index differs from HEAD for a path
// outside paths.
func refuseForeignStaged(wt *git.Worktree, paths []string) error {
	st, err := wt.Status()
	if err != nil {
		return fmt.Errorf("status: %w", err)
	}
	ours := make(map[string]bool, len(paths))
	for _, p := range paths {
		ours[p] = true
	}
	var foreign []string
	for name, fs := range st {
		if fs.Staging != git.Unmodified && fs.Staging != git.Untracked && !ours[name] {
			foreign = append(foreign, name)
		}
	}
	if len(foreign) > 0 {
		sort.Strings(foreign)
		return fmt.Errorf("index holds staged changes outside the write (%s); refusing to commit them", strings.Join(foreign, ", "))
	}
	return nil
}
