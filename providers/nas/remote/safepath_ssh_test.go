package remote_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/providers/nas/remote"
	"github.com/lagrieta/itlag/providers/nas/remote/sshtest"
)

// unsafeCase is a tree where reading or writing path must be refused.
type unsafeCase struct {
	name string
	// setup builds the tree in dir and returns the path to use.
	setup func(t *testing.T, dir string) string
	// want is in the error: the component refused.
	want string
}

// secretFile is a root-only file holding a secret, outside what itlag
// manages.
func secretFile(t *testing.T, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "shadow")
	if err := os.WriteFile(p, []byte("root-only-s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func mkdir(t *testing.T, p string, mode fs.FileMode) {
	t.Helper()
	if err := os.Mkdir(p, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil { // past the umask
		t.Fatal(err)
	}
}

func unsafeCases() []unsafeCase {
	return []unsafeCase{
		{"file is a link to a root-only file", func(t *testing.T, dir string) string {
			mkdir(t, filepath.Join(dir, "etc"), 0o755)
			if err := os.Symlink(secretFile(t, dir), filepath.Join(dir, "etc/noip2.conf")); err != nil {
				t.Fatal(err)
			}
			return filepath.Join(dir, "etc/noip2.conf")
		}, "etc/noip2.conf is a symbolic link"},
		{"dangling link", func(t *testing.T, dir string) string {
			mkdir(t, filepath.Join(dir, "etc"), 0o755)
			if err := os.Symlink(filepath.Join(dir, "nowhere"), filepath.Join(dir, "etc/noip2.conf")); err != nil {
				t.Fatal(err)
			}
			return filepath.Join(dir, "etc/noip2.conf")
		}, "etc/noip2.conf is a symbolic link"},
		{"parent is a link", func(t *testing.T, dir string) string {
			mkdir(t, filepath.Join(dir, "real"), 0o755)
			secret := secretFile(t, dir)
			if err := os.Rename(secret, filepath.Join(dir, "real/noip2.conf")); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(filepath.Join(dir, "real"), filepath.Join(dir, "etc")); err != nil {
				t.Fatal(err)
			}
			return filepath.Join(dir, "etc/noip2.conf")
		}, "etc is a symbolic link"},
		{"parent writable by others", func(t *testing.T, dir string) string {
			mkdir(t, filepath.Join(dir, "etc"), 0o777)
			if err := os.WriteFile(filepath.Join(dir, "etc/noip2.conf"), []byte("root-only-s3cret\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			return filepath.Join(dir, "etc/noip2.conf")
		}, "etc is writable by others"},
	}
}

// A path through a symbolic link, or under a directory others may write,
// is neither read nor written: the plan never shows what a link points
// at, and apply never overwrites it.
func TestSSHRefusesUnsafePaths(t *testing.T) {
	srv := sshtest.Start(t)
	c := dial(t, srv.Config())
	ctx := context.Background()
	for _, tc := range unsafeCases() {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			p := tc.setup(t, dir)
			data, _, err := c.ReadFile(ctx, p)
			if !errors.Is(err, remote.ErrUnsafePath) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ReadFile = %q, %v; want ErrUnsafePath naming %q", data, err, tc.want)
			}
			if err != nil && strings.Contains(err.Error(), "s3cret") {
				t.Errorf("the error holds the file's content: %v", err)
			}
			err = c.WriteFile(ctx, p, []byte("overwritten\n"), 0o600)
			if !errors.Is(err, remote.ErrUnsafePath) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("WriteFile: %v; want ErrUnsafePath naming %q", err, tc.want)
			}
			assertNotOverwritten(t, dir)
		})
	}
}

// assertNotOverwritten fails when any file under dir holds what a refused
// write would have written, or a temporary file is left.
func assertNotOverwritten(t *testing.T, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Type()&fs.ModeSymlink != 0 {
			return nil
		}
		if strings.Contains(d.Name(), "itlag-tmp") {
			t.Errorf("temporary file left: %s", p)
		}
		if b, _ := os.ReadFile(p); string(b) == "overwritten\n" {
			t.Errorf("%s was overwritten", p)
		}
		return nil
	})
}

// A root-owned directory with the sticky bit (like /tmp) may be writable by
// others: they cannot rename or remove what another user put there.
func TestSSHStickyRootDirectory(t *testing.T) {
	srv := sshtest.Start(t)
	c := dial(t, srv.Config())
	dir := filepath.Join(t.TempDir(), "shared")
	mkdir(t, dir, 0o777|fs.ModeSticky)
	if err := os.Chmod(dir, 0o777|fs.ModeSticky); err != nil {
		t.Fatal(err)
	}
	err := c.WriteFile(context.Background(), filepath.Join(dir, "f"), []byte("x\n"), 0o644)
	if os.Getuid() == 0 {
		if err != nil {
			t.Errorf("write under a root-owned sticky directory: %v", err)
		}
		return
	}
	if !errors.Is(err, remote.ErrUnsafePath) {
		t.Errorf("write under a sticky directory owned by uid %d: %v, want refused (only root's is trusted)", os.Getuid(), err)
	}
}

// While the temporary file holds the data, no one else can open it: it
// sits in a directory only its owner may enter (SFTP creates files with
// the server's default mode, 0666 less the umask). Then it gets the mode
// asked for, before the rename.
func TestSSHTemporaryFileIsPrivate(t *testing.T) {
	srv := sshtest.Start(t)
	c := dial(t, srv.Config())
	dir := t.TempDir()
	p := filepath.Join(dir, "noip2.conf")
	var seen []string
	remote.SetAfterTempWrite(c, func(tmp string) {
		parent, err := os.Lstat(filepath.Dir(tmp))
		if err != nil {
			t.Errorf("temporary directory: %v", err)
			return
		}
		if !parent.IsDir() || parent.Mode().Perm() != 0o700 {
			t.Errorf("temporary file %s is in %s with mode %v, want a 0700 directory", tmp, filepath.Dir(tmp), parent.Mode())
		}
		if filepath.Dir(filepath.Dir(tmp)) != dir {
			t.Errorf("temporary directory %s is not beside %s", filepath.Dir(tmp), p)
		}
		if b, _ := os.ReadFile(tmp); len(b) == 0 {
			t.Errorf("hook called before the data was written")
		}
		seen = append(seen, tmp)
	})
	for _, mode := range []fs.FileMode{0o600, 0o640, 0o644} {
		if err := c.WriteFile(context.Background(), p, []byte("password=s3cret\n"), mode); err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != mode {
			t.Errorf("written with mode %v, want %v (%v)", fi.Mode(), mode, err)
		}
	}
	if len(seen) < 3 {
		t.Errorf("hook saw %d temporary files, want one per write at least", len(seen))
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), "itlag-tmp") {
			t.Errorf("temporary directory left: %s", e.Name())
		}
	}
}
