package gitrepo

import (
	"fmt"
	"sort"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// resetHard moves the current branch to target and makes the index and the
// tracked files match it, like `git reset --hard`. Unlike go-git's own hard
// reset, it touches only the paths that differ (between HEAD's tree and
// target's, plus tracked files changed in the worktree): go-git's full reset
// also deletes untracked and ignored files.
func resetHard(repo *git.Repository, wt *git.Worktree, target plumbing.Hash) error {
	head, err := repo.Head()
	if err != nil {
		return fmt.Errorf("read HEAD: %w", err)
	}
	from, err := treeOf(repo, head.Hash())
	if err != nil {
		return err
	}
	to, err := treeOf(repo, target)
	if err != nil {
		return err
	}
	changes, err := object.DiffTree(from, to)
	if err != nil {
		return fmt.Errorf("diff %s..%s: %w", head.Hash(), target, err)
	}
	set := map[string]bool{}
	for _, ch := range changes {
		if ch.From.Name != "" {
			set[ch.From.Name] = true
		}
		if ch.To.Name != "" {
			set[ch.To.Name] = true
		}
	}
	st, err := wt.Status()
	if err != nil {
		return fmt.Errorf("status: %w", err)
	}
	for name, fs := range st {
		if fs.Worktree == git.Untracked {
			continue
		}
		if fs.Worktree != git.Unmodified || fs.Staging != git.Unmodified {
			set[name] = true
		}
	}
	if len(set) == 0 {
		// Same content: move the branch only. (A hard reset with no
		// files would walk, and clean, the whole worktree.)
		return wt.Reset(&git.ResetOptions{Commit: target, Mode: git.SoftReset})
	}
	files := make([]string, 0, len(set))
	for p := range set {
		files = append(files, p)
	}
	sort.Strings(files)
	return wt.Reset(&git.ResetOptions{Commit: target, Mode: git.HardReset, Files: files})
}

func treeOf(repo *git.Repository, h plumbing.Hash) (*object.Tree, error) {
	c, err := repo.CommitObject(h)
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", h, err)
	}
	t, err := c.Tree()
	if err != nil {
		return nil, fmt.Errorf("read tree of %s: %w", h, err)
	}
	return t, nil
}
