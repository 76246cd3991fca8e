package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCommandEditorNeedsMemory(t *testing.T) {
	disk := t.TempDir()
	if inMemory(disk) {
		t.Skipf("%s is memory-backed here; the refusal cannot be shown", disk)
	}
	log := filepath.Join(disk, "ran")
	ed := CommandEditor{Command: "touch " + log + " #", Dirs: []string{disk}}
	_, err := ed.Edit(context.Background(), "secrets/office.age", []byte("A: s3cr3t\n"))
	if !errors.Is(err, ErrNoMemoryDir) {
		t.Fatalf("err = %v, want ErrNoMemoryDir", err)
	}
	if _, err := os.Stat(log); err == nil {
		t.Fatal("the editor ran although no memory-backed directory exists")
	}
	ents, _ := os.ReadDir(disk)
	if len(ents) != 0 {
		t.Fatalf("something was written to disk: %v", ents)
	}
}

func TestCommandEditorCleansUp(t *testing.T) {
	if _, err := memoryDir(nil); err != nil {
		t.Skipf("no memory-backed directory here: %v", err)
	}
	rec := filepath.Join(t.TempDir(), "path")
	ed := CommandEditor{Command: `sh -c 'echo "$1" > ` + rec + `; echo "B: two" >> "$1"' sh`}
	out, err := ed.Edit(context.Background(), "secrets/office.age", []byte("A: one\n"))
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != "A: one\nB: two\n" {
		t.Fatalf("got %q", out)
	}
	p, _ := os.ReadFile(rec)
	path := strings.TrimSpace(string(p))
	if !strings.HasSuffix(path, "/office.yaml") {
		t.Fatalf("edited %q", path)
	}
	if _, err := os.Stat(filepath.Dir(path)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("private directory %s left behind: %v", filepath.Dir(path), err)
	}
	// an interrupted edit leaves nothing either
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ed.Edit(ctx, "secrets/office.age", []byte("A: one\n")); err == nil {
		t.Fatal("a cancelled edit succeeded")
	}
	p, _ = os.ReadFile(rec)
	if path := strings.TrimSpace(string(p)); path != "" {
		if _, err := os.Stat(filepath.Dir(path)); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("private directory %s left behind after cancel", filepath.Dir(path))
		}
	}
}
