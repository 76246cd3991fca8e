package restic

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestIntegrationVersion(t *testing.T) {
	r := &Runner{Bin: realRestic(t)}
	v, err := r.Version(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if v == "" || v[0] < '0' || v[0] > '9' {
		t.Errorf("version %q", v)
	}
	t.Logf("restic %s", v)
}

// TestIntegrationInit runs the real init, twice, then with another
// password.
func TestIntegrationInit(t *testing.T) {
	t.Parallel()
	bin := realRestic(t)
	dir := filepath.Join(t.TempDir(), "repo")
	r := &Runner{Bin: bin, CacheDir: t.TempDir()}
	repo := Repo{URL: dir, Password: itPassword}
	ctx := context.Background()
	if err := r.Init(ctx, repo); err != nil {
		t.Fatalf("init: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "config")); err != nil {
		t.Fatalf("no repository config: %v", err)
	}
	fastKey(t, bin, dir, itPassword)

	before := r.Calls.Load()
	if err := r.Init(ctx, repo); err != nil {
		t.Errorf("second Init of the same repository: %v", err)
	}
	if n := r.Calls.Load() - before; n != 2 {
		t.Errorf("second Init made %d invocations, want 2 (init, then cat config)", n)
	}
	// An existing repository that does not open with the password is no
	// success.
	repo.Password = "another-password"
	if err := r.Init(ctx, repo); !errors.Is(err, ErrWrongPassword) {
		t.Errorf("Init of an existing repository with another password: %v, want ErrWrongPassword", err)
	}
}

// TestIntegrationBackupCycle runs one repository through backup, backup
// again, snapshots, a forced backup, check, ls, restore and stats.
func TestIntegrationBackupCycle(t *testing.T) {
	t.Parallel()
	r, repo := newRepo(t)
	ctx := context.Background()
	src := sourceTree(t)
	opts := BackupOptions{Tags: []string{"itlag", "job:docs"}, Host: "nas01"}

	first, err := r.Backup(ctx, repo, []string{src}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if first.SnapshotID == "" || first.FilesNew != 3 || first.TotalFilesProcessed != 3 || first.DataAdded == 0 || len(first.Warnings) != 0 {
		t.Errorf("first backup %+v", first)
	}
	second, err := r.Backup(ctx, repo, []string{src}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if second.FilesNew != 0 || second.FilesChanged != 0 || second.FilesUnmodified != 3 || second.DataAdded > 1024 {
		t.Errorf("second backup of unchanged files %+v: want 3 unmodified and ~0 bytes added", second)
	}

	before := r.Calls.Load()
	snaps, err := r.Snapshots(ctx, repo, "itlag")
	if err != nil {
		t.Fatal(err)
	}
	if n := r.Calls.Load() - before; n != 1 {
		t.Errorf("Snapshots made %d invocations, want 1", n)
	}
	if len(snaps) != 2 {
		t.Fatalf("%d snapshots, want 2", len(snaps))
	}
	for i, want := range []string{first.SnapshotID, second.SnapshotID} {
		s := snaps[i]
		if !strings.HasPrefix(s.ID, want) || len(s.ID) != 64 || s.Hostname != "nas01" ||
			!reflect.DeepEqual(s.Tags, []string{"itlag", "job:docs"}) || !reflect.DeepEqual(s.Paths, []string{src}) {
			t.Errorf("snapshot %d: %+v, want id %s…, host nas01, tags, paths [%s]", i, s, want, src)
		}
	}
	if other, err := r.Snapshots(ctx, repo, "itlag", "job:other"); err != nil || len(other) != 0 {
		t.Errorf("snapshots with tags itlag AND job:other: %d, %v; want none", len(other), err)
	}

	forced, err := r.Backup(ctx, repo, []string{src}, BackupOptions{Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if forced.FilesUnmodified != 0 || forced.TotalFilesProcessed != 3 || forced.DataAdded > 1024 {
		t.Errorf("forced backup %+v: want every file re-read, nothing new stored", forced)
	}

	chk, err := r.Check(ctx, repo, "")
	if err != nil || !chk.OK || len(chk.Errors) != 0 {
		t.Errorf("check of a healthy repository: %+v, %v", chk, err)
	}

	nodes, err := r.Ls(ctx, repo, forced.SnapshotID)
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]Node{}
	for _, n := range nodes {
		byPath[n.Path] = n
	}
	cPath := filepath.ToSlash(filepath.Join(src, "sub", "c.txt"))
	if n, ok := byPath[cPath]; !ok || n.Type != "file" || n.Size != int64(len("charlie, in a subdirectory\n")) {
		t.Errorf("ls: %s is %+v (found %v) in %v", cPath, n, ok, nodes)
	}
	if n := byPath[filepath.ToSlash(filepath.Join(src, "sub"))]; n.Type != "dir" {
		t.Errorf("ls: sub is %+v", n)
	}

	target := t.TempDir()
	if err := r.Restore(ctx, repo, forced.SnapshotID, target, []string{cPath}); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(target, cPath))
	want, _ := os.ReadFile(filepath.Join(src, "sub", "c.txt"))
	if err != nil || string(got) != string(want) {
		t.Errorf("restored c.txt %q, %v; want %q", got, err, want)
	}
	if _, err := os.Stat(filepath.Join(target, src, "a.txt")); !os.IsNotExist(err) {
		t.Errorf("a.txt was restored though not included: %v", err)
	}

	st, err := r.Stats(ctx, repo)
	if err != nil || st.TotalSize <= 0 || st.SnapshotsCount != 3 {
		t.Errorf("stats %+v, %v; want a size and 3 snapshots", st, err)
	}
	if _, err := r.Ls(ctx, repo, "deadbeef"); !errors.Is(err, ErrNoSnapshot) {
		t.Errorf("ls of an unknown snapshot: %v, want ErrNoSnapshot", err)
	}
}

func TestIntegrationForgetKeepDaily(t *testing.T) {
	t.Parallel()
	r, repo := newRepo(t)
	ctx := context.Background()
	src := sourceTree(t)
	day := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, time.Local) }
	times := []time.Time{day(1, 10), day(1, 15), day(2, 10), day(3, 10), day(5, 10)}
	for i, when := range times {
		// A change each time, so that prune has data to drop.
		if err := os.WriteFile(filepath.Join(src, "a.txt"), []byte(strings.Repeat("x", i+1)), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := r.Backup(ctx, repo, []string{src}, BackupOptions{Time: when, Tags: []string{"itlag"}}); err != nil {
			t.Fatal(err)
		}
	}
	res, err := r.Forget(ctx, repo, Keep{Daily: 3}, true, "itlag")
	if err != nil {
		t.Fatal(err)
	}
	gotKept, gotRemoved := snapTimes(res.Kept), snapTimes(res.Removed)
	wantKept := snapTimes([]Snapshot{{Time: day(5, 10)}, {Time: day(3, 10)}, {Time: day(2, 10)}})
	wantRemoved := snapTimes([]Snapshot{{Time: day(1, 15)}, {Time: day(1, 10)}})
	if !reflect.DeepEqual(gotKept, wantKept) || !reflect.DeepEqual(gotRemoved, wantRemoved) {
		t.Errorf("keep-daily 3: kept %v removed %v; want %v, %v", gotKept, gotRemoved, wantKept, wantRemoved)
	}
	snaps, err := r.Snapshots(ctx, repo)
	if err != nil || len(snaps) != 3 {
		t.Errorf("after forget: %d snapshots, %v; want 3", len(snaps), err)
	}
	if chk, err := r.Check(ctx, repo, ""); err != nil || !chk.OK {
		t.Errorf("check after prune: %+v, %v", chk, err)
	}
}

func snapTimes(snaps []Snapshot) []string {
	var out []string
	for _, s := range snaps {
		out = append(out, s.Time.Local().Format("01-02 15:04"))
	}
	return out
}

// TestIntegrationCheckDetectsCorruption damages the pack holding the
// files' contents: check without reading data does not see it, check
// --read-data-subset=100% does.
func TestIntegrationCheckDetectsCorruption(t *testing.T) {
	t.Parallel()
	r, repo := newRepo(t)
	ctx := context.Background()
	if _, err := r.Backup(ctx, repo, []string{sourceTree(t)}, BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	// restic caches the packs of tree blobs: the others hold file data.
	cached := map[string]bool{}
	filepath.WalkDir(r.CacheDir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			cached[d.Name()] = true
		}
		return nil
	})
	var dataPacks []string
	filepath.WalkDir(filepath.Join(repo.URL, "data"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !cached[d.Name()] {
			dataPacks = append(dataPacks, p)
		}
		return nil
	})
	if len(dataPacks) == 0 || len(cached) == 0 {
		t.Fatalf("no data pack to damage (%d cached tree packs)", len(cached))
	}
	for _, p := range dataPacks {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for i := 10; i < 20 && i < len(b); i++ {
			b[i] ^= 0xff
		}
		os.Chmod(p, 0o600)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if chk, err := r.Check(ctx, repo, ""); err != nil || !chk.OK {
		t.Errorf("check without reading data: %+v, %v; want OK (the pack index is intact)", chk, err)
	}
	chk, err := r.Check(ctx, repo, "100%")
	if err != nil {
		t.Fatalf("check of a damaged repository is a verdict, not an error: %v", err)
	}
	if chk.OK || len(chk.Errors) == 0 || chk.Output == "" {
		t.Errorf("check --read-data-subset=100%% of a damaged pack: %+v", chk)
	}
	t.Logf("check errors: %q", chk.Errors)
}

func TestIntegrationErrors(t *testing.T) {
	t.Parallel()
	r, repo := newRepo(t)
	ctx := context.Background()

	wrong := repo
	wrong.Password = "wrong-password-canary"
	wrong.Env = map[string]string{"AWS_SECRET_ACCESS_KEY": "env-canary-value"}
	_, err := r.Snapshots(ctx, wrong)
	if !errors.Is(err, ErrWrongPassword) {
		t.Errorf("wrong password: %v, want ErrWrongPassword", err)
	}
	if err != nil && (strings.Contains(err.Error(), "wrong-password-canary") || strings.Contains(err.Error(), "env-canary-value")) {
		t.Errorf("error %q leaks a secret", err)
	}

	missing := Repo{URL: filepath.Join(t.TempDir(), "none"), Password: itPassword}
	if _, err := r.Snapshots(ctx, missing); !errors.Is(err, ErrNoRepository) || errors.Is(err, ErrWrongPassword) {
		t.Errorf("missing repository: %v, want ErrNoRepository", err)
	}
	if _, err := r.Check(ctx, missing, ""); !errors.Is(err, ErrNoRepository) {
		t.Errorf("check of a missing repository: %v, want ErrNoRepository", err)
	}
}

// TestIntegrationLocked holds a lock with a backup reading stdin, then
// asks for check's exclusive lock, and lists snapshots.
//
// It waits for an event, not for a time: restic reads stdin only once it
// holds its lock, so a write larger than a pipe's buffer returns only when
// the holder is past locking. (Seeing a file in locks/ is not enough: restic
// writes the lock as "<id>-tmp-…" then renames it, and check ignores a lock
// it cannot load; under load check then ran unlocked.)
func TestIntegrationLocked(t *testing.T) {
	t.Parallel()
	r, repo := newRepo(t)
	env, err := r.environ(&repo)
	if err != nil {
		t.Fatal(err)
	}
	holder := exec.Command(r.Bin, "backup", "--stdin", "--stdin-filename=held")
	holder.Env = env
	var holderOut strings.Builder
	holder.Stdout, holder.Stderr = &holderOut, &holderOut
	stdin, err := holder.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		stdin.Close()
		holder.Wait()
	}()
	// Twice a pipe's 64 KiB buffer: at least 64 KiB must have been read.
	if _, err := stdin.Write(make([]byte, 128<<10)); err != nil {
		holder.Wait()
		t.Fatalf("the holder read no stdin (%v): %s", err, holderOut.String())
	}
	if _, err := r.Check(context.Background(), repo, ""); !errors.Is(err, ErrLocked) {
		t.Errorf("check of a locked repository: %v, want ErrLocked", err)
	}
	// Listing takes no lock: it works meanwhile.
	if _, err := r.Snapshots(context.Background(), repo); err != nil {
		t.Errorf("snapshots while a backup holds a lock: %v", err)
	}
}
