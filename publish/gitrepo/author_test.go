package gitrepo

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestChanged(t *testing.T) {
	f := newFixture(t)
	dir := f.clone(t, "work")
	writeFile(t, dir, "README.md", "hello\n")        // as committed
	writeFile(t, dir, "reports/old.md", "edited\n")  // modified
	writeFile(t, dir, "audit/2026-12.jsonl", "{}\n") // new
	got, err := Changed(dir, []string{"README.md", "reports/old.md", "audit/2026-12.jsonl", "gone.md"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"reports/old.md", "audit/2026-12.jsonl"}; !slices.Equal(got, want) {
		t.Errorf("Changed = %v, want %v", got, want)
	}
	if err := os.Remove(filepath.Join(dir, "README.md")); err != nil {
		t.Fatal(err)
	}
	if got, err := Changed(dir, []string{"README.md"}); err != nil || !slices.Equal(got, []string{"README.md"}) {
		t.Errorf("a deleted tracked file: Changed = %v, %v; want it changed", got, err)
	}
	if _, err := Changed(dir, []string{"../outside"}); err == nil {
		t.Error("a path leaving the repository was accepted")
	}
}
