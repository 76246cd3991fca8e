package cli

import (
	"github.com/go-git/go-git/v5"
)

// desiredCommit returns the commit at HEAD of the Git repository holding
// dir, or "" when dir is not in a repository (or the repository has no
// commit yet).
func desiredCommit(dir string) string {
	repo, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true})
	if err != nil {
		return ""
	}
	head, err := repo.Head()
	if err != nil {
		return ""
	}
	return head.Hash().String()
}
