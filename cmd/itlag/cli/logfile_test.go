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
