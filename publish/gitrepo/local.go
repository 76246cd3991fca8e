package gitrepo

import (
	"errors"
	"fmt"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/transport"

	ittransport "github.com/lagrieta/itlag/providers/transport"
)

// ErrNotLocal says a remote is neither on this machine nor on loopback.
var ErrNotLocal = errors.New("only a repository on this machine (a path, file://) or on loopback is reached under --sandbox")

// RequireLocalRemote checks, without connecting, that every URL of
// remote in the repository at repoDir is a path on this machine, a
// file:// URL, or a URL whose host is a loopback address: under
// --sandbox a push or fetch must not leave the machine. The error names
// the remote by scheme and host only (a URL may hold a token) and wraps
// ErrNotLocal.
func RequireLocalRemote(repoDir, remote string) error {
	repo, err := git.PlainOpen(repoDir)
	if err != nil {
		return fmt.Errorf("open repository %s: %w", repoDir, err)
	}
	r, err := repo.Remote(remote)
	if err != nil {
		return fmt.Errorf("remote %s: %w", remote, err)
	}
	for _, raw := range r.Config().URLs {
		ep, err := transport.NewEndpoint(raw)
		if err != nil {
			return fmt.Errorf("remote %s: not a URL: %w", remote, ErrNotLocal)
		}
		if ep.Protocol == "file" || ittransport.IsLoopback(ep.Host) {
			continue
		}
		return fmt.Errorf("remote %s (%s://%s): sandbox: refusing to push: %w", remote, ep.Protocol, ep.Host, ErrNotLocal)
	}
	return nil
}
