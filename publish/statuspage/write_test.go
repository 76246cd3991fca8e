package statuspage

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// An index.html committed or planted as a symlink is refused, not followed.
func TestWriteRefusesSymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "keep.txt")
	if err := os.WriteFile(target, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "page")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(out, "index.html")); err != nil {
		t.Fatal(err)
	}
	if err := Write(out, Page{GeneratedAt: time.Unix(0, 0).UTC(), Overall: "ok"}); err == nil {
		t.Fatal("Write through a symlinked index.html succeeded")
	}
	if b, _ := os.ReadFile(target); string(b) != "keep" {
		t.Errorf("the target was written: %.20q", b)
	}
}
