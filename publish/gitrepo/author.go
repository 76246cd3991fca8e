package gitrepo

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Author is who Git would name as the author of a commit made in the
// repository holding dir: GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL, else
// user.name and user.email from the repository's config merged with the
// user's global one. Both are "" outside a repository with neither set.
func Author(dir string) (name, email string) {
	name, email = os.Getenv("GIT_AUTHOR_NAME"), os.Getenv("GIT_AUTHOR_EMAIL")
	if name != "" || email != "" {
		return name, email
	}
	repo, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true})
	if err != nil {
		return "", ""
	}
	cfg, err := repo.ConfigScoped(config.GlobalScope)
	if err != nil {
		return "", ""
	}
	return cfg.User.Name, cfg.User.Email
}

// Changed are those of paths (relative to the root of the repository at
// repoDir) whose file differs from HEAD's: new, modified or deleted. In a
// repository without commits every existing path is changed. A path that
// is not a regular file (a symlink) is never read, and counts as changed.
func Changed(repoDir string, paths []string) ([]string, error) {
	clean, err := cleanPaths(paths)
	if err != nil {
		return nil, err
	}
	var tree *object.Tree
	if repo, head, err := openHead(repoDir); err == nil {
		c, err := repo.CommitObject(head.Hash())
		if err != nil {
			return nil, err
		}
		if tree, err = c.Tree(); err != nil {
			return nil, err
		}
	}
	var out []string
	for _, p := range clean {
		full := filepath.Join(repoDir, filepath.FromSlash(p))
		fi, derr := os.Lstat(full)
		if derr != nil && !errors.Is(derr, os.ErrNotExist) {
			return nil, derr
		}
		if derr == nil && !fi.Mode().IsRegular() {
			out = append(out, p) // a symlink or other: never read through; Commit decides
			continue
		}
		var disk []byte
		if derr == nil {
			if disk, derr = os.ReadFile(full); derr != nil {
				return nil, derr
			}
		}
		var committed []byte
		inHead := false
		if tree != nil {
			if f, err := tree.File(p); err == nil {
				r, err := f.Reader()
				if err != nil {
					return nil, err
				}
				committed, err = io.ReadAll(r)
				r.Close()
				if err != nil {
					return nil, err
				}
				inHead = true
			}
		}
		onDisk := derr == nil
		if onDisk != inHead || !bytes.Equal(disk, committed) {
			out = append(out, p)
		}
	}
	return out, nil
}
