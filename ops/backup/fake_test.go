package backup

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/lagrieta/itlag/ops/backup/restic"
)

// fake is an in-memory Restic: each repository (by URL) holds snapshots
// with the content of the files backed up, read from the real source
// paths.
type fake struct {
	mu    sync.Mutex
	now   func() time.Time
	repos map[string]*fakeRepo
	// fail makes a method fail on a repository: fail["Backup /usb"].
	fail map[string]error
	// check is what Check answers, by URL (OK when absent).
	check map[string]restic.CheckResult
	calls []string // "Method URL", in order
	// forgets records every Forget call.
	forgets []fakeForget
	// restoreCorrupt, when set, changes the content restored for a path.
	restoreCorrupt map[string][]byte
	seq            int
}

type fakeForget struct {
	URL   string
	Keep  restic.Keep
	Prune bool
	Tags  []string
}

type fakeRepo struct {
	inited bool
	snaps  []fakeSnap
}

type fakeSnap struct {
	restic.Snapshot
	files map[string][]byte
}

func newFake(now func() time.Time) *fake {
	return &fake{now: now, repos: map[string]*fakeRepo{}, fail: map[string]error{}, check: map[string]restic.CheckResult{}}
}

var _ Restic = (*fake)(nil)

func (f *fake) enter(method string, r restic.Repo) (*fakeRepo, error) {
	f.calls = append(f.calls, method+" "+r.URL)
	if err := f.fail[method+" "+r.URL]; err != nil {
		return nil, err
	}
	repo := f.repos[r.URL]
	if method != "Init" && (repo == nil || !repo.inited) {
		return nil, fmt.Errorf("no repository at %s", r.URL)
	}
	return repo, nil
}

func (f *fake) count(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if len(c) > len(method) && c[:len(method)+1] == method+" " {
			n++
		}
	}
	return n
}

func (f *fake) Init(ctx context.Context, r restic.Repo) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, err := f.enter("Init", r); err != nil {
		return err
	}
	if f.repos[r.URL] == nil {
		f.repos[r.URL] = &fakeRepo{}
	}
	f.repos[r.URL].inited = true
	return nil
}

func (f *fake) Backup(ctx context.Context, r restic.Repo, paths []string, o restic.BackupOptions) (restic.Summary, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	repo, err := f.enter("Backup", r)
	if err != nil {
		return restic.Summary{}, err
	}
	at := o.Time
	if at.IsZero() {
		at = f.now()
	}
	files := map[string][]byte{}
	for _, p := range paths {
		_ = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() {
				if b, err := os.ReadFile(path); err == nil {
					files[path] = b
				}
			}
			return nil
		})
	}
	f.seq++
	sum := sha256.Sum256(fmt.Appendf(nil, "%s %d", r.URL, f.seq))
	id := hex.EncodeToString(sum[:])
	repo.snaps = append(repo.snaps, fakeSnap{
		Snapshot: restic.Snapshot{ID: id, ShortID: id[:8], Time: at, Paths: slices.Clone(paths), Tags: slices.Clone(o.Tags), Hostname: o.Host},
		files:    files,
	})
	if o.Progress != nil {
		o.Progress(restic.Progress{PercentDone: 1, FilesDone: int64(len(files)), TotalFiles: int64(len(files))})
	}
	s := restic.Summary{SnapshotID: id[:8], FilesNew: int64(len(files)), DataAdded: 100, TotalBytesProcessed: 1000, Duration: time.Second}
	if err := f.fail["Warn "+r.URL]; err != nil {
		s.Warnings = []string{err.Error()}
	}
	if err := f.fail["Partial "+r.URL]; err != nil {
		return s, fmt.Errorf("backup: %w", restic.ErrPartial)
	}
	return s, nil
}

func (f *fake) Snapshots(ctx context.Context, r restic.Repo, tags ...string) ([]restic.Snapshot, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	repo, err := f.enter("Snapshots", r)
	if err != nil {
		return nil, err
	}
	var out []restic.Snapshot
	for _, s := range repo.snaps {
		if !slices.ContainsFunc(tags, func(t string) bool { return !slices.Contains(s.Tags, t) }) {
			out = append(out, s.Snapshot)
		}
	}
	return out, nil
}

func (f *fake) Forget(ctx context.Context, r restic.Repo, k restic.Keep, prune bool, tags ...string) (restic.ForgetResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, err := f.enter("Forget", r); err != nil {
		return restic.ForgetResult{}, err
	}
	f.forgets = append(f.forgets, fakeForget{URL: r.URL, Keep: k, Prune: prune, Tags: slices.Clone(tags)})
	return restic.ForgetResult{}, nil
}

func (f *fake) Check(ctx context.Context, r restic.Repo, subset string) (restic.CheckResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, err := f.enter("Check", r); err != nil {
		return restic.CheckResult{}, err
	}
	if c, ok := f.check[r.URL]; ok {
		return c, nil
	}
	return restic.CheckResult{OK: true}, nil
}

func (f *fake) snap(repo *fakeRepo, id string) (fakeSnap, error) {
	for _, s := range repo.snaps {
		if s.ID == id {
			return s, nil
		}
	}
	return fakeSnap{}, fmt.Errorf("no snapshot %s", id)
}

func (f *fake) Ls(ctx context.Context, r restic.Repo, id string) ([]restic.Node, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	repo, err := f.enter("Ls", r)
	if err != nil {
		return nil, err
	}
	s, err := f.snap(repo, id)
	if err != nil {
		return nil, err
	}
	var out []restic.Node
	for _, p := range s.Paths {
		out = append(out, restic.Node{Path: p, Type: "dir"})
	}
	for p, b := range s.files {
		out = append(out, restic.Node{Path: p, Type: "file", Size: int64(len(b))})
	}
	return out, nil
}

func (f *fake) Restore(ctx context.Context, r restic.Repo, id, target string, include []string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	repo, err := f.enter("Restore", r)
	if err != nil {
		return err
	}
	s, err := f.snap(repo, id)
	if err != nil {
		return err
	}
	for p, b := range s.files {
		if len(include) > 0 && !slices.Contains(include, p) {
			continue
		}
		if c, ok := f.restoreCorrupt[p]; ok {
			b = c
		}
		dst := filepath.Join(target, p)
		if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
			return err
		}
		if err := os.WriteFile(dst, b, 0o600); err != nil {
			return err
		}
	}
	return nil
}

var errDown = errors.New("connection refused")
