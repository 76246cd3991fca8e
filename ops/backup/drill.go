package backup

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/lagrieta/itlag/ops/backup/restic"
)

// Drill is the restore drill of one destination: it picks
// job.Verify.DrillFiles regular files of the job's latest snapshot (the
// same ones for the same snapshot: the choice is seeded by the snapshot
// ID), restores them into a temporary directory (removed afterwards) and
// compares each with the file at its source path now. A file modified at
// the source after the snapshot (or gone since) is skipped and counted,
// not failed. A restore that fails, a restored file missing or differing
// from the source in size or SHA-256, fails the drill. It records nothing:
// Verify does.
func Drill(ctx context.Context, deps Deps, job Job, d Destination) DrillRecord {
	r := DrillRecord{Job: job.Name, Destination: d.Name, At: deps.now()}
	snaps, err := deps.Restic.Snapshots(ctx, d.Repo, JobTag(job.Name))
	if err != nil {
		r.Errors = []string{"list snapshots: " + err.Error()}
		return r
	}
	latest, ok := latestSnapshot(snaps, job.Name)
	if !ok {
		r.Errors = []string{"no snapshot of the job to restore"}
		return r
	}
	r.SnapshotID = latest.ID
	nodes, err := deps.Restic.Ls(ctx, d.Repo, latest.ID)
	if err != nil {
		r.Errors = []string{fmt.Sprintf("list snapshot %s: %s", latest.ShortID, err)}
		return r
	}
	picked := pickFiles(nodes, job.Verify.DrillFiles, latest.ID)
	if len(picked) == 0 {
		r.Errors = []string{fmt.Sprintf("snapshot %s holds no regular file to restore", latest.ShortID)}
		return r
	}
	tmp, err := os.MkdirTemp("", "itlag-drill-")
	if err != nil {
		r.Errors = []string{"restore: " + err.Error()}
		return r
	}
	defer os.RemoveAll(tmp)
	include := make([]string, len(picked))
	for i, n := range picked {
		include[i] = n.Path
	}
	if err := deps.Restic.Restore(ctx, d.Repo, latest.ID, tmp, include); err != nil {
		r.Errors = []string{fmt.Sprintf("restore %d files of snapshot %s: %s", len(picked), latest.ShortID, err)}
		return r
	}
	for _, n := range picked {
		skipped, err := compareRestored(filepath.Join(tmp, filepath.FromSlash(n.Path)), n, latest)
		switch {
		case err != nil:
			r.Errors = append(r.Errors, fmt.Sprintf("%s: %s", n.Path, err))
		case skipped:
			r.FilesSkipped++
		default:
			r.FilesChecked++
		}
	}
	r.OK = len(r.Errors) == 0
	return r
}

// latestSnapshot is the newest snapshot carrying the job's tag.
func latestSnapshot(snaps []restic.Snapshot, job string) (restic.Snapshot, bool) {
	var best restic.Snapshot
	found := false
	for _, s := range snaps {
		if !slices.Contains(s.Tags, JobTag(job)) {
			continue
		}
		if !found || s.Time.After(best.Time) {
			best, found = s, true
		}
	}
	return best, found
}

// pickFiles picks n regular files of nodes, pseudo-randomly but the same
// for the same seed, in path order.
func pickFiles(nodes []restic.Node, n int, seed string) []restic.Node {
	var files []restic.Node
	for _, nd := range nodes {
		if nd.Type == "file" && restorable(nd.Path) {
			files = append(files, nd)
		}
	}
	slices.SortFunc(files, func(a, b restic.Node) int { return strings.Compare(a.Path, b.Path) })
	files = slices.CompactFunc(files, func(a, b restic.Node) bool { return a.Path == b.Path })
	if n >= len(files) {
		return files
	}
	sum := sha256.Sum256([]byte(seed))
	rng := rand.New(rand.NewPCG(binary.LittleEndian.Uint64(sum[:8]), binary.LittleEndian.Uint64(sum[8:16])))
	// a partial Fisher-Yates shuffle: the first n are the pick
	for i := range n {
		j := i + rng.IntN(len(files)-i)
		files[i], files[j] = files[j], files[i]
	}
	picked := files[:n]
	slices.SortFunc(picked, func(a, b restic.Node) int { return strings.Compare(a.Path, b.Path) })
	return picked
}

// restorable leaves out paths restic's --include would read as a pattern
// rather than a name.
func restorable(path string) bool {
	return strings.HasPrefix(path, "/") && !strings.ContainsAny(path, "*?[\\")
}

// compareRestored compares the restored file with the source file now. It
// reports skipped when the source changed since the snapshot.
func compareRestored(restored string, n restic.Node, snap restic.Snapshot) (skipped bool, err error) {
	rst, err := os.Lstat(restored)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return false, errors.New("not restored")
		}
		return false, fmt.Errorf("restored file: %w", err)
	}
	if !rst.Mode().IsRegular() {
		return false, fmt.Errorf("restored as %s, not a regular file", rst.Mode().Type())
	}
	if rst.Size() != n.Size {
		return false, fmt.Errorf("restored %d bytes, the snapshot lists %d", rst.Size(), n.Size)
	}
	src, err := os.Stat(n.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return true, nil // deleted at the source since
	}
	if err != nil {
		return false, fmt.Errorf("source: %w", err)
	}
	if src.ModTime().After(snap.Time) {
		return true, nil // changed at the source since
	}
	want, err := fileSHA256(n.Path)
	if err != nil {
		return false, fmt.Errorf("source: %w", err)
	}
	got, err := fileSHA256(restored)
	if err != nil {
		return false, fmt.Errorf("restored file: %w", err)
	}
	if got != want {
		return false, fmt.Errorf("restored content (sha256 %.12s) differs from the source (sha256 %.12s)", got, want)
	}
	return false, nil
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
