package app

import (
	"context"
	"path/filepath"
	"slices"
	"strings"

	"github.com/lagrieta/itlag/publish/audit"
	"github.com/lagrieta/itlag/publish/gitrepo"
)

// auditDriftCommit decides what a drift commit commits: the files drift
// changed and the audit trail's month files when they lie in the
// repository repoDir (always, except for a sandbox kept outside it). When
// any of them differs from HEAD, a drift-commit entry is appended first,
// so that the commit holds its own record; when none does, nothing is
// committed (nil) and nothing recorded.
func (rt *Runtime) auditDriftCommit(ctx context.Context, repoDir string, changed []string, summary string) ([]string, error) {
	t := &audit.Trail{Dir: rt.AuditDir()}
	rel, inRepo := relInside(repoDir, t.Dir)
	auditFiles := func() ([]string, error) {
		if !inRepo {
			return nil, nil
		}
		names, err := t.Files()
		var out []string
		for _, n := range names {
			out = append(out, filepath.ToSlash(filepath.Join(rel, n)))
		}
		return out, err
	}
	files, err := auditFiles()
	if err != nil {
		return nil, err
	}
	paths := append(slices.Clone(changed), files...)
	if len(paths) == 0 {
		return nil, nil
	}
	pending, err := gitrepo.Changed(repoDir, paths)
	if err != nil || len(pending) == 0 {
		return nil, err
	}
	target := "git:" + gitrepo.CurrentBranch(repoDir)
	if target == "git:" {
		target = "git:HEAD"
	}
	// the files of the commit, not those that are as committed already
	var committing []string
	for _, p := range changed {
		if slices.Contains(pending, p) {
			committing = append(committing, p)
		}
	}
	if _, err := rt.Audit(ctx, audit.Entry{Action: audit.ActionDriftCommit, Target: target,
		Detail: audit.Detail{Files: committing, Note: summary}}); err != nil {
		return nil, err
	}
	if files, err = auditFiles(); err != nil { // a new month's file
		return nil, err
	}
	return slices.Compact(slices.Sorted(slices.Values(append(committing, files...)))), nil
}

// relInside is dir relative to root, and whether it lies inside root.
func relInside(root, dir string) (string, bool) {
	ar, err1 := filepath.Abs(root)
	ad, err2 := filepath.Abs(dir)
	if err1 != nil || err2 != nil {
		return "", false
	}
	rel, err := filepath.Rel(ar, ad)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return rel, true
}

// auditRebuild is drift --push's rebuild after a lost race: the reports
// written again on top of the remote's head, and the audit entries the
// reset took away appended again on top of the remote's trail (see
// audit.Trail.Rebase), all committed together.
func (rt *Runtime) auditRebuild(ctx context.Context, repoDir string, res *DriftResult) (gitrepo.RebuildFunc, error) {
	t, err := rt.auditTrail(false)
	if err != nil {
		return nil, err
	}
	rel, inRepo := relInside(repoDir, t.Dir)
	var snap audit.Snapshot
	if inRepo {
		if snap, err = t.Snapshot(); err != nil {
			return nil, err
		}
	}
	return func(dir string) ([]string, string, error) {
		ch, sum, err := writeDrift(dir, res, declaredAreas(rt.State), res.Status.Headline, NoProgress{})
		if err != nil || !inRepo {
			return ch, "drift: " + sum, err
		}
		if _, err := t.Rebase(ctx, snap); err != nil {
			return nil, "", err
		}
		names, err := t.Files()
		for _, n := range names {
			ch = append(ch, filepath.ToSlash(filepath.Join(rel, n)))
		}
		return ch, "drift: " + sum, err
	}, nil
}
