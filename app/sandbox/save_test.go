package sandbox_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/lagrieta/itlag/reconcile"
)

// TestWorldSavedOnlyWhenChanged checks that a run which changes nothing (a
// plan) leaves the Cloudflare world file as it found it, byte for byte,
// and that a run which changes the world (an apply) saves it.
func TestWorldSavedOnlyWhenChanged(t *testing.T) {
	st, d, pol := loadState(t, "../../examples/quickstart")
	world := t.TempDir()
	file := filepath.Join(world, "cloudflare.json")
	first := plan(t, world, d, st, pol) // seeds and saves the world
	if first.Empty() {
		t.Fatal("the seeded world plans no change")
	}
	saved, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("first run saved no world: %v", err)
	}
	// the same world, written otherwise: a save would write it compact
	var other bytes.Buffer
	if err := json.Indent(&other, saved, "", "\t"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, other.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}

	if p := plan(t, world, d, st, pol); p.Summary != first.Summary {
		t.Fatalf("second plan = %+v, want %+v", p.Summary, first.Summary)
	}
	if got, _ := os.ReadFile(file); !bytes.Equal(got, other.Bytes()) {
		t.Fatalf("a plan rewrote the world file:\n%.300s", got)
	}

	sb := open(t, world, d, st)
	if _, err := reconcile.Apply(ctx(t), first, sb.Providers); err != nil {
		t.Fatalf("apply: %v", err)
	}
	if err := sb.Close(); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(file); bytes.Equal(got, other.Bytes()) {
		t.Fatal("an apply did not save the world")
	}
	if p := plan(t, world, d, st, pol); !p.Empty() {
		t.Fatalf("plan after apply: %+v, want empty", p.Summary)
	}
}
