package restictest_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/lagrieta/itlag/ops/backup/restic"
	"github.com/lagrieta/itlag/ops/backup/restic/restictest"
)

// keyCost is the scrypt N of the repository's only key.
func keyCost(t *testing.T, dir string) int {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, "keys"))
	if err != nil || len(entries) != 1 {
		t.Fatalf("keys of %s: %v (%d), want one", dir, err, len(entries))
	}
	raw, err := os.ReadFile(filepath.Join(dir, "keys", entries[0].Name()))
	if err != nil {
		t.Fatal(err)
	}
	var k struct{ N int }
	if err := json.Unmarshal(raw, &k); err != nil {
		t.Fatal(err)
	}
	return k.N
}

// The real restic opens what NewRepo writes with its password only, and
// its init leaves it alone.
func TestNewRepo(t *testing.T) {
	t.Parallel()
	r := &restic.Runner{Bin: restictest.Bin(t), CacheDir: t.TempDir()}
	dir := filepath.Join(t.TempDir(), "repo")
	if err := restictest.NewRepo(dir, "pw"); err != nil {
		t.Fatal(err)
	}
	if n := keyCost(t, dir); n != restictest.KDF.N {
		t.Errorf("key N = %d, want %d", n, restictest.KDF.N)
	}
	ctx := t.Context()
	repo := restic.Repo{URL: dir, Password: "pw"}
	if snaps, err := r.Snapshots(ctx, repo); err != nil || len(snaps) != 0 {
		t.Fatalf("Snapshots of a new repository = %v, %v", snaps, err)
	}
	if err := r.Init(ctx, repo); err != nil {
		t.Errorf("Init of an existing repository: %v", err)
	}
	if _, err := r.Snapshots(ctx, restic.Repo{URL: dir, Password: "other"}); err == nil {
		t.Error("the repository opened with another password")
	}
}

// FastKey rewraps a repository's key: the same repository (its snapshot
// kept) opens with the same password, and no other. (The repository here
// is NewRepo's, cheap to open; restic's TestIntegrationInit and the CLI's
// backup script rewrap what a real restic init made.)
func TestFastKey(t *testing.T) {
	t.Parallel()
	bin := restictest.Bin(t)
	r := &restic.Runner{Bin: bin, CacheDir: t.TempDir()}
	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "repo")
	repo := restic.Repo{URL: dir, Password: "pw with spaces"}
	if err := restictest.NewRepo(dir, repo.Password); err != nil {
		t.Fatal(err)
	}
	src := t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "a.txt"), []byte("alpha"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Backup(ctx, repo, []string{src}, restic.BackupOptions{Host: "h"}); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadDir(filepath.Join(dir, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	if err := restictest.FastKey(ctx, bin, dir, repo.Password); err != nil {
		t.Fatal(err)
	}
	after, err := os.ReadDir(filepath.Join(dir, "keys"))
	if err != nil || len(after) != 1 || after[0].Name() == before[0].Name() {
		t.Fatalf("keys after FastKey: %v, %v; want one new key", after, err)
	}
	if n := keyCost(t, dir); n != restictest.KDF.N {
		t.Errorf("key N after FastKey = %d, want %d", n, restictest.KDF.N)
	}
	snaps, err := r.Snapshots(ctx, repo)
	if err != nil || len(snaps) != 1 {
		t.Fatalf("Snapshots after FastKey = %v, %v; want the one snapshot", snaps, err)
	}
	if _, err := r.Snapshots(ctx, restic.Repo{URL: dir, Password: "other"}); err == nil {
		t.Error("the rewrapped repository opened with another password")
	}
	if err := restictest.FastKey(ctx, bin, dir, "wrong"); err == nil {
		t.Error("FastKey with a wrong password succeeded")
	}
}
