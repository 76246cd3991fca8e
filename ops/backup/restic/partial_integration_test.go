package restic

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestIntegrationUnreadableFile backs up a tree with a file restic cannot
// read: exit code 3, ErrPartial, a Summary with the warning. Root reads
// every file, so as root restic runs as "nobody" through setpriv; without
// setpriv the test is skipped.
func TestIntegrationUnreadableFile(t *testing.T) {
	t.Parallel()
	bin := realRestic(t)
	var (
		r    *Runner
		repo Repo
		src  string
	)
	if os.Geteuid() != 0 {
		r, repo = newRepo(t)
		src = sourceTree(t)
		secret := filepath.Join(src, "secret.txt")
		if err := os.WriteFile(secret, []byte("no one reads this\n"), 0o000); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(secret, 0o600) })
	} else {
		r, repo, src = asNobody(t, bin)
	}

	sum, err := r.Backup(context.Background(), repo, []string{src}, BackupOptions{})
	if !errors.Is(err, ErrPartial) {
		t.Fatalf("backup with an unreadable file: %v, want ErrPartial", err)
	}
	var ee *ExitError
	if !errors.As(err, &ee) || ee.Code != 3 {
		t.Errorf("error %v: want exit status 3", err)
	}
	if sum.SnapshotID == "" || sum.TotalFilesProcessed != 3 {
		t.Errorf("summary %+v: want a snapshot of the 3 readable files", sum)
	}
	if len(sum.Warnings) != 1 || !strings.Contains(sum.Warnings[0], "secret.txt") || !strings.Contains(sum.Warnings[0], "permission denied") {
		t.Errorf("warnings %q: want secret.txt: permission denied", sum.Warnings)
	}
}

// asNobody prepares a repository, a cache and a source tree that the
// user nobody owns or reads, except secret.txt (root's, mode 0600), and a
// Runner whose restic runs as nobody.
func asNobody(t *testing.T, bin string) (*Runner, Repo, string) {
	setpriv, err := exec.LookPath("setpriv")
	if err != nil {
		t.Skip("running as root and setpriv (util-linux) is missing: root reads every file")
	}
	nobody, err := user.Lookup("nobody")
	if err != nil {
		t.Skipf("running as root and no user nobody: %v", err)
	}
	uid, _ := strconv.Atoi(nobody.Uid)
	gid, _ := strconv.Atoi(nobody.Gid)
	// t.TempDir is root's alone (0700): nobody needs a tree of its own.
	base, err := os.MkdirTemp("", "itlag-restic-nobody-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	if err := os.Chmod(base, 0o755); err != nil {
		t.Fatal(err)
	}
	repoDir := filepath.Join(base, "repo")
	copyTree(t, templateRepo(t), repoDir)
	for _, d := range []string{"cache", "tmp"} {
		if err := os.Mkdir(filepath.Join(base, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{repoDir, filepath.Join(base, "cache"), filepath.Join(base, "tmp")} {
		err := filepath.WalkDir(d, func(p string, _ fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			return os.Lchown(p, uid, gid)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	src := filepath.Join(base, "src")
	for name, mode := range map[string]os.FileMode{"a.txt": 0o644, "b.txt": 0o644, "c.txt": 0o644, "secret.txt": 0o600} {
		if err := os.MkdirAll(src, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(src, name), []byte(name+"\n"), mode); err != nil {
			t.Fatal(err)
		}
	}
	wrapper := filepath.Join(base, "restic-as-nobody")
	script := fmt.Sprintf("#!/bin/sh\nTMPDIR='%s' exec '%s' --reuid=%d --regid=%d --clear-groups -- '%s' \"$@\"\n",
		filepath.Join(base, "tmp"), setpriv, uid, gid, bin)
	if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	r := &Runner{Bin: wrapper, CacheDir: filepath.Join(base, "cache")}
	return r, Repo{URL: repoDir, Password: itPassword}, src
}
