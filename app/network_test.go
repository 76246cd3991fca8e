package app

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/lagrieta/itlag/ops/monitor"
)

// TestNetworkOutlivesClosedProviders: watch closes the providers after
// every tick, and the sandbox's network (its website fake) with them; the
// next tick's Network is a new one that answers, not the closed one.
func TestNetworkOutlivesClosedProviders(t *testing.T) {
	state := t.TempDir()
	yaml := "monitors:\n  website:\n    kind: http\n    target: https://www.example.org/\n"
	if err := os.WriteFile(filepath.Join(state, "monitors.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	rt, err := Load(Options{StateDir: state, Sandbox: t.TempDir(), DataDir: t.TempDir(), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	ms, err := rt.Monitors()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for tick := range 2 {
		nw, err := rt.Network(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if r := monitor.Probe(ctx, nw, ms[0]); r.Status == 0 {
			t.Fatalf("tick %d: the website fake did not answer: %+v", tick, r)
		}
		if err := rt.CloseProviders(); err != nil {
			t.Fatal(err)
		}
	}
}
