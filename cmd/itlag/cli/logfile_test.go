package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRotatingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "itlag.log")
	r, err := openRotating(path, 100, 2)
	if err != nil {
		t.Fatal(err)
	}
	line := strings.Repeat("x", 39) + "\n" // 40 bytes: two lines fit, a third rotates
	for range 7 {
		if _, err := r.Write([]byte(line)); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	sizes := map[string]int{}
	for _, name := range []string{"itlag.log", "itlag.log.1", "itlag.log.2", "itlag.log.3"} {
		b, err := os.ReadFile(filepath.Join(filepath.Dir(path), name))
		if err == nil {
			sizes[name] = len(b)
		}
	}
	// 7 lines: 2 + 2 + 2 rotated out (the oldest pair dropped: keep 2), 1 current
	want := map[string]int{"itlag.log": 40, "itlag.log.1": 80, "itlag.log.2": 80}
	if len(sizes) != len(want) {
		t.Fatalf("files %v, want %v", sizes, want)
	}
	for k, v := range want {
		if sizes[k] != v {
			t.Errorf("%s: %d bytes, want %d", k, sizes[k], v)
		}
	}
}

// The log file is private (0600) and never written through a symlink.
func TestRotatingFileSafe(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "itlag.log")
	r, err := openRotating(path, 100, 2)
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("log file mode %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	target := filepath.Join(dir, "authorized_keys")
	if err := os.WriteFile(target, []byte("keep\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "linked.log")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if r, err := openRotating(link, 100, 2); err == nil {
		r.Write([]byte("log line\n"))
		r.Close()
		t.Error("a symlinked log file was opened")
	}
	if b, _ := os.ReadFile(target); string(b) != "keep\n" {
		t.Errorf("the target was written: %q", b)
	}
}
