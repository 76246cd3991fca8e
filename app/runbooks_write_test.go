package app

import (
	"os"
	"path/filepath"
	"testing"
)

// A runbook file that is a symlink is refused, not followed.
func TestWriteRunbooksRefusesSymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "keep.txt")
	if err := os.WriteFile(target, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "runbooks")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(out, "documents.md")); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteRunbooks(out, []Runbook{{Job: "documents", Markdown: "# runbook\n"}}); err == nil {
		t.Fatal("WriteRunbooks through a symlink succeeded")
	}
	if b, _ := os.ReadFile(target); string(b) != "keep" {
		t.Errorf("the target was written: %q", b)
	}
}
