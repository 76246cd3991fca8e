package app

import (
	"fmt"
	"os"
	"path"
	"path/filepath"

	"github.com/lagrieta/itlag/publish/gitrepo"
	"github.com/lagrieta/itlag/publish/handbook"
	"github.com/lagrieta/itlag/schema"
)

// HandbookOptions say where the handbook goes and whether it is committed.
type HandbookOptions struct {
	// Out is the handbook's directory; "" is the state's handbook.out
	// under the repository's root.
	Out string
	// Commit commits the files that changed (never an empty commit).
	Commit bool
}

// HandbookResult is what a handbook run wrote.
type HandbookResult struct {
	// Dir is the handbook's directory; Lang its language; Files how many
	// files it has.
	Dir, Lang string
	Files     int
	// Changed are the files written or removed, relative to Dir: none
	// when it was up to date.
	Changed []string
	// Committed is the new commit's hash, "" when nothing was committed.
	Committed string
	// Pending are the contact details the operator has still to give.
	Pending []schema.PendingDetail
}

// Handbook writes the operations handbook of the state (handbook.Build)
// into its directory, rewriting only what changed, and commits it when
// asked. It reads the state only: no provider is called.
func (rt *Runtime) Handbook(o HandbookOptions) (*HandbookResult, error) {
	repo := gitrepo.Root(rt.Opts.StateDir)
	dir := o.Out
	if dir == "" {
		if rt.State.Handbook == nil {
			return nil, fmt.Errorf("handbook: %w", handbook.ErrNotDeclared)
		}
		dir = filepath.Join(repo, filepath.FromSlash(handbook.Dir(rt.State)))
	}
	res, err := rt.writeHandbook(repo, dir)
	if err != nil || !o.Commit || len(res.Changed) == 0 {
		return res, err
	}
	root := gitrepo.Root(dir)
	var paths []string
	for _, c := range res.Changed {
		rel, err := filepath.Rel(root, filepath.Join(dir, filepath.FromSlash(c)))
		if err != nil {
			return res, fmt.Errorf("handbook --commit: %w", err)
		}
		paths = append(paths, filepath.ToSlash(rel))
	}
	hash, did, err := gitrepo.Commit(root, paths, fmt.Sprintf("handbook: %d file(s) regenerated from the state", len(res.Changed)), gitrepo.Signature{})
	if err != nil {
		return res, fmt.Errorf("handbook --commit: %w", err)
	}
	if did {
		res.Committed = hash
	}
	return res, nil
}

// writeHandbook builds the handbook, its commands naming the state
// directory as seen from the repository repo, and writes it into dir.
func (rt *Runtime) writeHandbook(repo, dir string) (*HandbookResult, error) {
	files, err := handbook.Build(rt.State, handbook.Options{StateDir: relStateDir(repo, rt.Opts.StateDir)})
	if err != nil {
		return nil, err
	}
	changed, err := handbook.Write(dir, files)
	if err != nil {
		return nil, fmt.Errorf("handbook: %w", err)
	}
	return &HandbookResult{Dir: dir, Lang: rt.State.Handbook.Language, Files: len(files), Changed: changed,
		Pending: rt.State.Contacts.PendingDetails()}, nil
}

// relStateDir is the state directory relative to the repository's root
// (slashes), or as given when it lies outside.
func relStateDir(repo, stateDir string) string {
	abs, err := filepath.Abs(stateDir)
	if err != nil {
		return filepath.ToSlash(stateDir)
	}
	if r, err := filepath.EvalSymlinks(repo); err == nil {
		repo = r
	}
	if a, err := filepath.EvalSymlinks(abs); err == nil {
		abs = a
	}
	rel, err := filepath.Rel(repo, abs)
	if err != nil || !filepath.IsLocal(rel) && rel != "." {
		return filepath.ToSlash(stateDir)
	}
	return path.Clean(filepath.ToSlash(rel))
}

// driftHandbook regenerates the handbook in the repository out when the
// state declares one; it returns the paths changed, relative to out, and
// the handbook's own files (what a run without --commit left to commit).
func (rt *Runtime) driftHandbook(out string) (changed, owned []string, err error) {
	if rt.State.Handbook == nil {
		return nil, nil, nil
	}
	rel := handbook.Dir(rt.State)
	res, err := rt.writeHandbook(out, filepath.Join(out, filepath.FromSlash(rel)))
	if err != nil {
		return nil, nil, err
	}
	names, err := handbook.Owned(filepath.Join(out, filepath.FromSlash(rel)))
	if err != nil {
		return nil, nil, err
	}
	for _, c := range res.Changed {
		changed = append(changed, path.Join(rel, c))
	}
	for _, n := range append(names, handbook.Manifest) {
		if _, err := os.Lstat(filepath.Join(out, filepath.FromSlash(rel), n)); err == nil {
			owned = append(owned, path.Join(rel, n))
		}
	}
	return changed, owned, nil
}
