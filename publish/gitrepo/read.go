package gitrepo

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
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
// state), or "" outside a repository. Paths under ignore (directories
// itlag writes its own output into: reports, incidents, the audit trail)
// do not count either, which matters when the state is the repository's
// root. It follows first parents from HEAD while the directory's tree,
// less the ignored paths, stays the same: one tree look-up per commit
// (a walk of the ignored paths' parents when some lie inside dir), no diff.
func StateCommit(dir string, ignore ...string) string {
	repo, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true})
	if err != nil {
		return ""
	}
	wt, err := repo.Worktree()
	if err != nil {
		return ""
	}
	root, err := filepath.Abs(wt.Filesystem.Root())
	if err != nil {
		return ""
	}
	rel, ok := relTo(root, dir)
	if !ok {
		return ""
	}
	var skip []string // the ignored paths, relative to dir
	for _, p := range ignore {
		r, ok := relTo(root, p)
		switch {
		case !ok || r == ".":
		case rel == ".":
			skip = append(skip, r)
		default:
			if s, ok := strings.CutPrefix(r, rel+"/"); ok {
				skip = append(skip, s)
			}
		}
	}
	head, err := repo.Head()
	if err != nil {
		return ""
	}
	c, err := repo.CommitObject(head.Hash())
	if err != nil {
		return ""
	}
	want, ok := stateKey(c, rel, skip)
	if !ok {
		return "" // the state directory is not committed
	}
	for c.NumParents() > 0 {
		p, err := c.Parent(0)
		if err != nil {
			break
		}
		if k, ok := stateKey(p, rel, skip); !ok || k != want {
			break
		}
		c = p
	}
	return c.Hash.String()
}

// relTo is path p relative to the work tree root, slash-separated, and
// whether it lies inside it.
func relTo(root, p string) (string, bool) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", false
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// stateKey identifies the tree at rel in commit c ("." is its root) with
// the paths skip (relative to rel) left out: the tree's hash when nothing
// is skipped.
func stateKey(c *object.Commit, rel string, skip []string) (string, bool) {
	t, err := c.Tree()
	if err != nil {
		return "", false
	}
	if rel != "." {
		if t, err = t.Tree(rel); err != nil {
			return "", false
		}
	}
	return treeKey(t, skip), true
}

// treeKey is t's hash, or with skip non-empty a digest of its entries
// less the skipped paths (recursing into the directories that hold one).
func treeKey(t *object.Tree, skip []string) string {
	if len(skip) == 0 {
		return t.Hash.String()
	}
	h := sha256.New()
	for _, e := range t.Entries {
		var deeper []string
		drop := false
		for _, s := range skip {
			first, rest, nested := strings.Cut(s, "/")
			switch {
			case first != e.Name:
			case !nested:
				drop = true
			default:
				deeper = append(deeper, rest)
			}
		}
		if drop {
			continue
		}
		key := e.Hash.String()
		if len(deeper) > 0 && e.Mode == filemode.Dir {
			if sub, err := t.Tree(e.Name); err == nil {
				key = treeKey(sub, deeper)
			}
		}
		fmt.Fprintf(h, "%o %s %s\n", e.Mode, e.Name, key)
	}
	return hex.EncodeToString(h.Sum(nil))
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
