package safefile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// setup makes base (the state directory) and, beside it, a secret file
// that a symlink committed in the state could point at.
func setup(t *testing.T) (base, secret string) {
	t.Helper()
	root := t.TempDir()
	base = filepath.Join(root, "state")
	secret = filepath.Join(root, "secret")
	for _, d := range []string{base, filepath.Join(root, "elsewhere")} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(secret, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	return base, secret
}

func assertSecret(t *testing.T, secret string) {
	t.Helper()
	b, err := os.ReadFile(secret)
	if err != nil || string(b) != "keep me" {
		t.Fatalf("the file outside was touched: %q, %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(secret), "elsewhere", "drift.md")); err == nil {
		t.Fatal("a file was written through the symlinked directory")
	}
}

func TestWriteFileRefuses(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(t *testing.T, base, secret string)
		rel     string
		want    error
	}{
		{"symlinked directory", func(t *testing.T, base, secret string) {
			must(t, os.Symlink(filepath.Join(filepath.Dir(secret), "elsewhere"), filepath.Join(base, "reports")))
		}, "reports/drift.md", ErrSymlink},
		{"symlinked directory deeper", func(t *testing.T, base, secret string) {
			must(t, os.Mkdir(filepath.Join(base, "a"), 0o755))
			must(t, os.Symlink(filepath.Join(filepath.Dir(secret), "elsewhere"), filepath.Join(base, "a", "reports")))
		}, "a/reports/drift.md", ErrSymlink},
		{"symlinked directory inside base", func(t *testing.T, base, secret string) {
			must(t, os.Mkdir(filepath.Join(base, "real"), 0o755))
			must(t, os.Symlink("real", filepath.Join(base, "reports")))
		}, "reports/drift.md", ErrSymlink},
		{"symlinked file", func(t *testing.T, base, secret string) {
			must(t, os.Symlink(secret, filepath.Join(base, "plan.json")))
		}, "plan.json", ErrSymlink},
		{"directory writable by others", func(t *testing.T, base, secret string) {
			must(t, os.Mkdir(filepath.Join(base, "reports"), 0o755))
			must(t, os.Chmod(filepath.Join(base, "reports"), 0o777))
		}, "reports/drift.md", ErrWritable},
		{"base writable by others", func(t *testing.T, base, secret string) {
			must(t, os.Chmod(base, 0o777))
		}, "drift.md", ErrWritable},
		{"a directory in place of the file", func(t *testing.T, base, secret string) {
			must(t, os.Mkdir(filepath.Join(base, "drift.md"), 0o755))
		}, "drift.md", ErrNotRegular},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, secret := setup(t)
			tt.prepare(t, base, secret)
			err := WriteFile(base, tt.rel, []byte("new"), 0o600)
			if !errors.Is(err, tt.want) {
				t.Fatalf("WriteFile() = %v, want %v", err, tt.want)
			}
			if _, err := Append(base, tt.rel, 0o600); !errors.Is(err, tt.want) {
				t.Fatalf("Append() = %v, want %v", err, tt.want)
			}
			assertSecret(t, secret)
		})
	}
}

func TestWriteFile(t *testing.T) {
	base, _ := setup(t)
	if err := WriteFile(base, "reports/drift.md", []byte("one"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(base, "reports/drift.md", []byte("two"), 0o600); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(base, "reports", "drift.md")
	b, err := os.ReadFile(p)
	if err != nil || string(b) != "two" {
		t.Fatalf("content %q, %v", b, err)
	}
	fi, err := os.Stat(p)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	ents, _ := os.ReadDir(filepath.Dir(p))
	if len(ents) != 1 {
		t.Errorf("temporary files left: %v", ents)
	}
	if err := WriteFile(base, "../x", nil, 0o600); err == nil {
		t.Error("a path out of base was accepted")
	}
	// a world-writable directory with the sticky bit (/tmp) is fine
	sticky := filepath.Join(base, "tmp")
	must(t, os.Mkdir(sticky, 0o755))
	must(t, os.Chmod(sticky, 0o777|os.ModeSticky))
	if err := WriteFile(base, "tmp/plan.json", []byte("{}"), 0o600); err != nil {
		t.Errorf("sticky directory: %v", err)
	}
}

func TestOpenFile(t *testing.T) {
	base, secret := setup(t)
	// never truncated on open
	must(t, os.WriteFile(filepath.Join(base, ".itlag.lock"), []byte("held"), 0o600))
	f, err := OpenFile(base, ".itlag.lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if b, _ := os.ReadFile(filepath.Join(base, ".itlag.lock")); string(b) != "held" {
		t.Errorf("opening emptied the file: %q", b)
	}
	if _, err := OpenFile(base, ".itlag.lock", os.O_RDWR|os.O_TRUNC, 0o600); err == nil {
		t.Error("O_TRUNC accepted")
	}
	// a hard link to a file outside is refused
	must(t, os.Link(secret, filepath.Join(base, "linked")))
	if _, err := OpenFile(base, "linked", os.O_RDWR|os.O_CREATE, 0o600); err == nil {
		t.Error("a file with two links was opened")
	}
	// appends, creating with the mode
	for _, s := range []string{"a\n", "b\n"} {
		f, err := Append(base, "audit/2026-12.jsonl", 0o600)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString(s)
		f.Close()
	}
	if b, _ := os.ReadFile(filepath.Join(base, "audit", "2026-12.jsonl")); string(b) != "a\nb\n" {
		t.Errorf("appended %q", b)
	}
	assertSecret(t, secret)
}

func TestRemove(t *testing.T) {
	base, secret := setup(t)
	must(t, os.Symlink(secret, filepath.Join(base, "plan.json")))
	if err := Remove(base, "plan.json"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(filepath.Join(base, "plan.json")); err == nil {
		t.Error("symlink still there")
	}
	if err := Remove(base, "missing/plan.json"); err != nil {
		t.Errorf("missing: %v", err)
	}
	must(t, os.Symlink(filepath.Dir(secret), filepath.Join(base, "reports")))
	if err := Remove(base, "reports/secret"); !errors.Is(err, ErrSymlink) {
		t.Errorf("Remove through a symlink = %v", err)
	}
	assertSecret(t, secret)
}

func TestCheckDir(t *testing.T) {
	base, _ := setup(t)
	if err := CheckDir(base); err != nil {
		t.Fatal(err)
	}
	must(t, os.Chmod(base, 0o777|os.ModeSticky))
	if err := CheckDir(base); !errors.Is(err, ErrWritable) {
		t.Fatalf("CheckDir(0777) = %v", err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// A base directory that does not exist yet (drift --out DIR) is created.
func TestWriteFileCreatesBase(t *testing.T) {
	base := filepath.Join(t.TempDir(), "repo")
	if err := WriteFile(base, "reports/drift.md", []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(base, "reports", "drift.md")); err != nil || string(b) != "x" {
		t.Fatalf("read back %q, %v", b, err)
	}
}
