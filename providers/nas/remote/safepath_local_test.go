package remote

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The same refusals as over SSH, with Root standing for "/": a managed
// file or a parent that is a symbolic link (even one staying inside Root),
// or a parent writable by others.
func TestLocalRefusesUnsafePaths(t *testing.T) {
	secret := func(t *testing.T, root string) string {
		p := filepath.Join(root, "shadow")
		if err := os.WriteFile(p, []byte("root-only-s3cret\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	mkdir := func(t *testing.T, p string, mode fs.FileMode) {
		if err := os.Mkdir(p, mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name  string
		setup func(t *testing.T, root string)
		want  string
	}{
		{"file is a link inside the root", func(t *testing.T, root string) {
			mkdir(t, filepath.Join(root, "etc"), 0o755)
			if err := os.Symlink("../shadow", filepath.Join(root, "etc/noip2.conf")); err != nil {
				t.Fatal(err)
			}
			secret(t, root)
		}, "/etc/noip2.conf is a symbolic link"},
		{"parent is a link inside the root", func(t *testing.T, root string) {
			mkdir(t, filepath.Join(root, "real"), 0o755)
			if err := os.Rename(secret(t, root), filepath.Join(root, "real/noip2.conf")); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink("real", filepath.Join(root, "etc")); err != nil {
				t.Fatal(err)
			}
		}, "/etc is a symbolic link"},
		{"parent writable by others", func(t *testing.T, root string) {
			mkdir(t, filepath.Join(root, "etc"), 0o777)
			if err := os.WriteFile(filepath.Join(root, "etc/noip2.conf"), []byte("root-only-s3cret\n"), 0o600); err != nil {
				t.Fatal(err)
			}
		}, "/etc is writable by others"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			tc.setup(t, root)
			l := Local{Root: root}
			ctx := context.Background()
			data, _, err := l.ReadFile(ctx, "/etc/noip2.conf")
			if !errors.Is(err, ErrUnsafePath) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ReadFile = %q, %v; want ErrUnsafePath naming %q", data, err, tc.want)
			}
			err = l.WriteFile(ctx, "/etc/noip2.conf", []byte("overwritten\n"), 0o600)
			if !errors.Is(err, ErrUnsafePath) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("WriteFile: %v; want ErrUnsafePath naming %q", err, tc.want)
			}
			filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					if b, _ := os.ReadFile(p); string(b) == "overwritten\n" {
						t.Errorf("%s was overwritten", p)
					}
				}
				return nil
			})
		})
	}
}

// The temporary file is 0600 from its creation while it holds the data,
// whatever mode it gets afterwards.
func TestLocalTemporaryFileIsPrivate(t *testing.T) {
	root := t.TempDir()
	var modes []fs.FileMode
	l := Local{Root: root, afterTempWrite: func(tmp string) {
		fi, err := os.Lstat(filepath.Join(root, tmp))
		if err != nil {
			t.Errorf("temporary file: %v", err)
			return
		}
		modes = append(modes, fi.Mode().Perm())
	}}
	for _, mode := range []fs.FileMode{0o644, 0o640, 0o600} {
		if err := l.WriteFile(context.Background(), "/noip2.conf", []byte("password=s3cret\n"), mode); err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Stat(filepath.Join(root, "noip2.conf")); err != nil || fi.Mode().Perm() != mode {
			t.Errorf("written with mode %v, want %v (%v)", fi.Mode(), mode, err)
		}
	}
	if len(modes) == 0 {
		t.Fatal("no temporary file seen")
	}
	for _, m := range modes {
		if m != 0o600 {
			t.Errorf("a temporary file held the data with mode %v, want 0600", m)
		}
	}
}
