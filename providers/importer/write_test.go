package importer

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// files lists every file under dir, relative, sorted.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "dns", "example.com.yaml")

	// creates parent directories
	if err := Write(dir, "dns/example.com.yaml", []byte("first\n"), false); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", fi.Mode().Perm())
	}
	if di, err := os.Stat(filepath.Dir(path)); err != nil || !di.IsDir() {
		t.Fatalf("dns/ not created: %v", err)
	}

	// refuses to overwrite without force
	err = Write(dir, "dns/example.com.yaml", []byte("second\n"), false)
	if !errors.Is(err, fs.ErrExist) {
		t.Fatalf("Write over an existing file: %v, want fs.ErrExist", err)
	}
	if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "use --force") {
		t.Errorf("error %q should name %s and say use --force", err, path)
	}
	if b, _ := os.ReadFile(path); string(b) != "first\n" {
		t.Errorf("file changed to %q without force", b)
	}

	// overwrites with force
	if err := Write(dir, "dns/example.com.yaml", []byte("third\n"), true); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "third\n" {
		t.Errorf("file is %q after a forced write", b)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode after force %v, want 0644", fi.Mode().Perm())
	}

	// a new directory tree, then no temporary file anywhere
	if err := Write(dir, "domains/deep/godaddy.yaml", []byte("x"), false); err != nil {
		t.Fatal(err)
	}
	if got := files(t, dir); !slices.Equal(got, []string{"dns/example.com.yaml", "domains/deep/godaddy.yaml"}) {
		t.Errorf("files %v, want only the two written", got)
	}
}

func TestWriteErrors(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "dns", "taken.yaml"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, rel string
		force     bool
		want      string
	}{
		{"outside the directory", "../x.yaml", false, "not a path inside"},
		{"absolute", "/etc/x.yaml", true, "not a path inside"},
		{"a directory is in the way", "dns/taken.yaml", true, "taken.yaml"},
		{"a directory exists there", "dns/taken.yaml", false, "use --force"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Write(dir, tt.rel, []byte("x"), tt.force)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Write(%q) error %v, want one containing %q", tt.rel, err, tt.want)
			}
		})
	}
	if got := files(t, dir); len(got) != 0 {
		t.Errorf("files left behind: %v", got)
	}
}

// A directory of the state that is a symlink leading elsewhere is refused.
func TestWriteRefusesSymlinkedDir(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "state")
	outside := filepath.Join(root, "outside")
	for _, d := range []string{dir, outside} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(outside, filepath.Join(dir, "zones")); err != nil {
		t.Fatal(err)
	}
	if err := Write(dir, filepath.Join("zones", "x.yaml"), []byte("zones: []\n"), true); err == nil {
		t.Fatal("Write through a symlinked directory succeeded")
	}
	if ents, _ := os.ReadDir(outside); len(ents) != 0 {
		t.Errorf("written outside: %v", ents)
	}
}
