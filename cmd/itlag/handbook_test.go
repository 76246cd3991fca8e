package main

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/lagrieta/itlag/publish/handbook"
	"github.com/lagrieta/itlag/schema"
)

// TestShippedHandbook: LaGrieta's handbook in docs/ops is the one its
// state gives (run "go run ./cmd/itlag handbook" after changing either),
// and it is in Spanish.
func TestShippedHandbook(t *testing.T) {
	root := filepath.Join("..", "..")
	st, err := schema.Load(filepath.Join(root, "infra-state"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Handbook == nil || st.Handbook.Language != "es" || handbook.Dir(st) != "docs/ops" {
		t.Fatalf("infra-state's handbook = %+v, want Spanish, in docs/ops", st.Handbook)
	}
	files, err := handbook.Build(st, handbook.Options{StateDir: "infra-state"})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "docs", "ops")
	owned, err := handbook.Owned(dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := slices.Sorted(maps.Keys(files)); !slices.Equal(owned, want) {
		t.Fatalf("docs/ops holds %v, the state gives %v: run go run ./cmd/itlag handbook", owned, want)
	}
	for name, b := range files {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil || !bytes.Equal(got, b) {
			t.Errorf("docs/ops/%s is not what infra-state gives (%v): run go run ./cmd/itlag handbook", name, err)
		}
	}
}
