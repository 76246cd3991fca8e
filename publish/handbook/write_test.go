package handbook

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "docs", "ops")
	files := Files{"README.md": []byte("# a\n"), "recovery/docs.md": []byte("# r\n")}
	changed, err := Write(dir, files)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{Manifest, "README.md", "recovery/docs.md"}; !slices.Equal(changed, want) {
		t.Errorf("first Write changed %v, want %v", changed, want)
	}
	if changed, err := Write(dir, files); err != nil || len(changed) != 0 {
		t.Errorf("second Write changed %v (%v), want nothing", changed, err)
	}
	// a file of the operator's beside the handbook is never touched; a page
	// no longer written is removed
	mine := filepath.Join(dir, "notes.md")
	if err := os.WriteFile(mine, []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	changed, err = Write(dir, Files{"README.md": []byte("# b\n")})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{Manifest, "README.md", "recovery/docs.md"}; !slices.Equal(changed, want) {
		t.Errorf("third Write changed %v, want %v", changed, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "recovery", "docs.md")); !os.IsNotExist(err) {
		t.Errorf("the page no longer written is still there: %v", err)
	}
	if b, err := os.ReadFile(mine); err != nil || string(b) != "mine\n" {
		t.Errorf("the operator's file was touched: %q %v", b, err)
	}
}

// A page that is a symlink is refused, not written through; a manifest
// naming a path outside the handbook removes nothing there.
func TestWriteSymlinkAndManifest(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "ops")
	outside := filepath.Join(root, "outside.md")
	if err := os.WriteFile(outside, []byte("keep\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "README.md")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, Manifest), []byte("../outside.md\n/etc/passwd\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Write(dir, Files{"README.md": []byte("# x\n")}); err == nil {
		t.Fatal("Write through a symlink succeeded")
	}
	if b, err := os.ReadFile(outside); err != nil || string(b) != "keep\n" {
		t.Errorf("the symlink's target changed: %q %v", b, err)
	}
	if err := os.Remove(filepath.Join(dir, "README.md")); err != nil {
		t.Fatal(err)
	}
	if _, err := Write(dir, Files{"README.md": []byte("# x\n")}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(outside); err != nil {
		t.Errorf("a manifest entry outside the handbook removed a file: %v", err)
	}
}

// A file of the same name that itlag did not write is never replaced.
func TestWriteKeepsForeignFile(t *testing.T) {
	dir := t.TempDir()
	mine := filepath.Join(dir, "README.md")
	if err := os.WriteFile(mine, []byte("the team's own notes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Write(dir, Files{"README.md": []byte("# handbook\n"), "faq.md": []byte("# faq\n")})
	if err == nil || !strings.Contains(err.Error(), "was not written by itlag handbook") {
		t.Fatalf("Write over a foreign file: %v, want a refusal", err)
	}
	if b, _ := os.ReadFile(mine); string(b) != "the team's own notes\n" {
		t.Errorf("the foreign file changed: %q", b)
	}
	// the same bytes are no conflict
	if _, err := Write(dir, Files{"README.md": []byte("the team's own notes\n")}); err != nil {
		t.Errorf("Write of identical content: %v", err)
	}
}
