package gitrepo

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/transport"

	ittransport "github.com/lagrieta/itlag/providers/transport"
)

// DefaultMaxAttempts bounds the push attempts when Push is given 0.
const DefaultMaxAttempts = 3

// ErrPushRejected reports that the remote branch kept moving: every push
// attempt was rejected as non-fast-forward.
var ErrPushRejected = errors.New("push rejected as non-fast-forward")

// RebuildFunc regenerates the write in repoDir from scratch, on top of the
// checkout Push has just reset to the new remote head. It returns the paths
// it wrote (as for Commit) and the commit message. It must be safe to call
// more than once.
type RebuildFunc func(repoDir string) (paths []string, msg string, err error)

// Push pushes branch of the repository at repoDir to remote ("origin" when
// empty), never forcing. HEAD must be on branch.
//
// When the push is rejected because another writer pushed first, Push
// fetches the remote branch, hard-resets the local branch onto it, calls
// rebuild to regenerate the write there, commits the result (with the author
// of the rejected commit, and only if it changes the tree) and pushes again;
// at most maxAttempts pushes in all (DefaultMaxAttempts when <= 0). The other
// writer's commits stay; ours is redone on top. If rebuild or the new commit
// fails, the local branch is put back on the rejected commit, so nothing is
// lost. The hard reset discards nothing: Push refuses to reset a worktree
// with uncommitted changes to tracked files.
//
// When every attempt is rejected the error wraps ErrPushRejected. Errors
// never contain the token of auth.
func Push(ctx context.Context, repoDir, remote, branch string, auth Auth, rebuild RebuildFunc, maxAttempts int) error {
	if remote == "" {
		remote = "origin"
	}
	if maxAttempts <= 0 {
		maxAttempts = DefaultMaxAttempts
	}
	fail := func(err error) error {
		return fmt.Errorf("git: push %s to %s: %w", branch, remote, err)
	}
	if branch == "" {
		return fail(errors.New("branch is not set"))
	}
	am, secrets, err := authMethod(auth)
	if err != nil {
		return fail(redact(err, secrets))
	}
	repo, err := git.PlainOpen(repoDir)
	if err != nil {
		return fail(fmt.Errorf("open repository %s: %w", repoDir, err))
	}
	secrets = append(secrets, urlPasswords(repo, remote)...)
	if err := requireTLS(repo, remote, auth); err != nil {
		return fail(err)
	}
	p := &pusher{repo: repo, repoDir: repoDir, remote: remote, branch: branch, auth: am, secrets: secrets}
	if err := p.checkHead(); err != nil {
		return fail(err)
	}
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return fail(err)
		}
		err := p.push(ctx)
		if err == nil {
			return nil
		}
		if !isRejected(err) {
			return fail(err)
		}
		if attempt >= maxAttempts {
			return fail(fmt.Errorf("%w %d times (another writer pushed first each time); giving up after %d attempts: %v",
				ErrPushRejected, attempt, maxAttempts, err))
		}
		if rebuild == nil {
			return fail(fmt.Errorf("%w and no rebuild function was given: %v", ErrPushRejected, err))
		}
		done, err := p.redo(ctx, rebuild)
		if err != nil {
			return fail(fmt.Errorf("after rejected attempt %d: %w", attempt, err))
		}
		if done {
			return nil // the remote already holds what we would write
		}
	}
}

// pusher holds what one Push call works on.
type pusher struct {
	repo    *git.Repository
	repoDir string
	remote  string
	branch  string
	auth    transport.AuthMethod
	secrets []string
}

func (p *pusher) local() plumbing.ReferenceName { return plumbing.NewBranchReferenceName(p.branch) }

func (p *pusher) checkHead() error {
	head, err := p.repo.Storer.Reference(plumbing.HEAD)
	if err != nil {
		return fmt.Errorf("read HEAD: %w", err)
	}
	if head.Type() != plumbing.SymbolicReference || head.Target() != p.local() {
		return fmt.Errorf("HEAD is not on branch %s", p.branch)
	}
	if _, err := p.repo.Reference(p.local(), true); err != nil {
		return fmt.Errorf("branch %s: %w", p.branch, err)
	}
	return nil
}

// push pushes the branch without force; nil when the remote is up to date.
func (p *pusher) push(ctx context.Context) error {
	spec := config.RefSpec(p.local().String() + ":" + p.local().String())
	ctx, cancel := context.WithTimeout(ctx, NetTimeout)
	defer cancel()
	err := p.repo.PushContext(ctx, &git.PushOptions{
		RemoteName: p.remote,
		RefSpecs:   []config.RefSpec{spec},
		Auth:       p.auth,
	})
	if err == nil || errors.Is(err, git.NoErrAlreadyUpToDate) {
		return nil
	}
	return redact(err, p.secrets)
}

// NetTimeout bounds each push and each fetch; the caller's context bounds
// the whole Push.
const NetTimeout = 2 * time.Minute

// requireTLS refuses to send credentials (a Token, or a password in the
// remote's URL) to a remote that is plain http off loopback, or git://.
// File paths and ssh remotes are not checked (an SSHKey pins host keys).
func requireTLS(repo *git.Repository, remote string, auth Auth) error {
	r, err := repo.Remote(remote)
	if err != nil {
		return nil // Push reports an unknown remote itself
	}
	_, token := auth.(Token)
	for _, raw := range r.Config().URLs {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "git") {
			continue
		}
		if !token && u.User == nil {
			continue
		}
		if u.Scheme == "git" || !ittransport.IsLoopback(u.Hostname()) {
			return fmt.Errorf("remote %s (%s://%s): %w", remote, u.Scheme, u.Hostname(), ittransport.ErrPlainText)
		}
	}
	return nil
}

// urlPasswords returns the passwords embedded in the remote's URLs
// (https://user:token@host/...), so that errors never show them either.
func urlPasswords(repo *git.Repository, remote string) []string {
	r, err := repo.Remote(remote)
	if err != nil {
		return nil
	}
	var out []string
	for _, raw := range r.Config().URLs {
		if u, err := url.Parse(raw); err == nil && u.User != nil {
			if pw, ok := u.User.Password(); ok && pw != "" {
				out = append(out, pw)
			}
		}
	}
	return out
}

// isRejected tells a non-fast-forward rejection (client- or server-side)
// from other push failures.
func isRejected(err error) bool {
	msg := err.Error()
	for _, s := range []string{"non-fast-forward", "fetch first", "cannot lock ref"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// redo fetches the remote branch, resets onto it, rebuilds and commits.
// done is true when the rebuild changes nothing on top of the remote head.
func (p *pusher) redo(ctx context.Context, rebuild RebuildFunc) (done bool, err error) {
	tracking := plumbing.NewRemoteReferenceName(p.remote, p.branch)
	spec := config.RefSpec("+" + p.local().String() + ":" + tracking.String())
	fctx, cancel := context.WithTimeout(ctx, NetTimeout)
	defer cancel()
	err = p.repo.FetchContext(fctx, &git.FetchOptions{RemoteName: p.remote, RefSpecs: []config.RefSpec{spec}, Auth: p.auth})
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
		return false, fmt.Errorf("fetch: %w", redact(err, p.secrets))
	}
	remoteHead, err := p.repo.Reference(tracking, true)
	if err != nil {
		return false, fmt.Errorf("remote branch %s: %w", tracking.Short(), err)
	}
	head, err := p.repo.Head()
	if err != nil {
		return false, fmt.Errorf("read HEAD: %w", err)
	}
	ours, err := p.repo.CommitObject(head.Hash())
	if err != nil {
		return false, fmt.Errorf("read local commit %s: %w", head.Hash(), err)
	}
	wt, err := p.repo.Worktree()
	if err != nil {
		return false, fmt.Errorf("worktree: %w", err)
	}
	if err := refuseDirty(wt); err != nil {
		return false, err
	}
	if err := resetHard(p.repo, wt, remoteHead.Hash()); err != nil {
		return false, fmt.Errorf("reset to %s: %w", remoteHead.Hash(), err)
	}
	// From here on, a failure puts the branch back on our commit.
	restore := func(cause error) error {
		if rerr := resetHard(p.repo, wt, ours.Hash); rerr != nil {
			return fmt.Errorf("%w; restoring local commit %s also failed: %v", cause, ours.Hash, rerr)
		}
		return fmt.Errorf("%w (local commit %s restored)", cause, ours.Hash)
	}
	paths, msg, err := rebuild(p.repoDir)
	if err != nil {
		return false, restore(fmt.Errorf("rebuild on top of %s: %w", remoteHead.Hash(), err))
	}
	sig := Signature{Name: ours.Author.Name, Email: ours.Author.Email}
	_, changed, err := commitPaths(p.repo, paths, msg, sig.object(time.Now()))
	if err != nil {
		return false, restore(fmt.Errorf("commit rebuild on top of %s: %w", remoteHead.Hash(), err))
	}
	return !changed, nil
}

// refuseDirty fails when tracked files have uncommitted changes, which a
// hard reset would throw away.
func refuseDirty(wt *git.Worktree) error {
	st, err := wt.Status()
	if err != nil {
		return fmt.Errorf("status: %w", err)
	}
	var dirty []string
	for name, fs := range st {
		if fs.Worktree == git.Untracked {
			continue
		}
		if fs.Worktree != git.Unmodified || fs.Staging != git.Unmodified {
			dirty = append(dirty, name)
		}
	}
	if len(dirty) > 0 {
		sort.Strings(dirty)
		return fmt.Errorf("worktree has uncommitted changes (%s); not resetting over them", strings.Join(dirty, ", "))
	}
	return nil
}
