package gitrepo

import (
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"gopkg.in/yaml.v3"
)

// HeadCommit returns the commit at HEAD of the Git repository holding
// dir, or "" when dir is not in a repository (or the repository has no
// commit yet).
func HeadCommit(dir string) string {
	_, head, err := openHead(dir)
	if err != nil {
		return ""
	}
	return head.Hash().String()
}

// openHead opens the repository holding dir and reads its HEAD.
func openHead(dir string) (*git.Repository, *plumbing.Reference, error) {
	repo, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true})
	if err != nil {
		return nil, nil, err
	}
	head, err := repo.Head()
	if err != nil {
		return nil, nil, err
	}
	return repo, head, nil
}

// Diverged says why a saved plan's commit no longer leads to HEAD of
// the repository holding dir ("" when it does, or when there is no
// repository or no commit to compare): the plan must come from HEAD or
// from a commit in HEAD's history (Atlantis's "undiverged"); a plan made
// on a branch that was rewritten, or on another branch, is refused.
func Diverged(dir, planCommit string) string {
	if planCommit == "" {
		return ""
	}
	repo, head, err := openHead(dir)
	if err != nil {
		return ""
	}
	if head.Hash().String() == planCommit {
		return ""
	}
	headCommit, err := repo.CommitObject(head.Hash())
	if err != nil {
		return ""
	}
	planned, err := repo.CommitObject(plumbing.NewHash(planCommit))
	if err != nil {
		return fmt.Sprintf("the plan was made from commit %.12s, which this repository does not have (HEAD is %.12s)", planCommit, head.Hash())
	}
	if ok, err := planned.IsAncestor(headCommit); err != nil || !ok {
		return fmt.Sprintf("the plan was made from commit %.12s, which is not in the history of HEAD %.12s: the branch moved elsewhere or was rewritten", planCommit, head.Hash())
	}
	return ""
}

// Approval is approvals/<checksum>.yaml: who approved a saved plan's
// refused changes, and when.
type Approval struct {
	ApprovedBy string   `yaml:"approved_by"`
	ApprovedAt string   `yaml:"approved_at"`
	Rules      []string `yaml:"rules,omitempty"`
	Comment    string   `yaml:"comment,omitempty"`
}

// CommittedApproval reads approvals/<checksum>.yaml from the commit at HEAD
// of the repository holding dir: an approval counts only once committed
// (reviewed like any change), not as a file lying in the work tree.
func CommittedApproval(dir, checksum string) (*Approval, string, error) {
	if _, err := hex.DecodeString(checksum); err != nil || len(checksum) != 64 {
		return nil, "", fmt.Errorf("approval: checksum %q is not a SHA-256 in hex", checksum)
	}
	repo, head, err := openHead(dir)
	if err != nil {
		return nil, "", nil
	}
	c, err := repo.CommitObject(head.Hash())
	if err != nil {
		return nil, "", nil
	}
	name := "approvals/" + checksum + ".yaml"
	f, err := c.File(name)
	if err != nil {
		return nil, "", nil // not approved
	}
	text, err := f.Contents()
	if err != nil {
		return nil, name, err
	}
	var a Approval
	if err := yaml.Unmarshal([]byte(text), &a); err != nil {
		return nil, name, fmt.Errorf("%s: %w", name, err)
	}
	if strings.TrimSpace(a.ApprovedBy) == "" || strings.TrimSpace(a.ApprovedAt) == "" {
		return nil, name, fmt.Errorf("%s: approved_by and approved_at are required", name)
	}
	return &a, name, nil
}

// StateCommit is the last commit that changed the state directory dir (not
// HEAD: drift's own commits of reports must not count as a new desired
// state), or "" outside a repository. It follows first parents from HEAD
// while the directory's tree stays the same: one tree look-up per commit,
// no diff.
func StateCommit(dir string) string {
	repo, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true})
	if err != nil {
		return ""
	}
	wt, err := repo.Worktree()
	if err != nil {
		return ""
	}
	abs, err1 := filepath.Abs(dir)
	root, err2 := filepath.Abs(wt.Filesystem.Root())
	if err1 != nil || err2 != nil {
		return ""
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return ""
	}
	rel = filepath.ToSlash(rel)
	head, err := repo.Head()
	if err != nil {
		return ""
	}
	c, err := repo.CommitObject(head.Hash())
	if err != nil {
		return ""
	}
	want, ok := subtree(c, rel)
	if !ok {
		return "" // the state directory is not committed
	}
	for c.NumParents() > 0 {
		p, err := c.Parent(0)
		if err != nil {
			break
		}
		if h, ok := subtree(p, rel); !ok || h != want {
			break
		}
		c = p
	}
	return c.Hash.String()
}

// subtree is the hash of the tree at rel in commit c ("." is its root).
func subtree(c *object.Commit, rel string) (plumbing.Hash, bool) {
	t, err := c.Tree()
	if err != nil {
		return plumbing.ZeroHash, false
	}
	if rel == "." {
		return t.Hash, true
	}
	e, err := t.FindEntry(rel)
	if err != nil {
		return plumbing.ZeroHash, false
	}
	return e.Hash, true
}

// CurrentBranch is the short name of the branch HEAD is on, or "".
func CurrentBranch(dir string) string {
	_, head, err := openHead(dir)
	if err != nil || !head.Name().IsBranch() {
		return ""
	}
	return head.Name().Short()
}

// Root is the work tree root of the Git repository holding dir, or "."
// when dir is in none.
func Root(dir string) string {
	repo, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true})
	if err != nil {
		return "."
	}
	wt, err := repo.Worktree()
	if err != nil {
		return "."
	}
	return wt.Filesystem.Root()
}
