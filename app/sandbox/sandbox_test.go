package sandbox_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/lagrieta/itlag/app/sandbox"
	"github.com/lagrieta/itlag/providers/registry"
	"github.com/lagrieta/itlag/providers/transport"
	"github.com/lagrieta/itlag/reconcile"
	"github.com/lagrieta/itlag/schema"
)

// TestShippedStates runs the whole loop on the states the repository ships
// (LaGrieta.es's own and every example): they validate, the seeded sandbox
// differs from them in every way the sandbox promises, the first plan passes
// the safety rules, apply converges, and the world persists across runs.
func TestShippedStates(t *testing.T) {
	// the examples that are states (examples/ci holds CI workflows and
	// systemd units, examples/container a compose file)
	files, err := filepath.Glob("../../examples/*/state.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var states []string
	for _, f := range files {
		states = append(states, filepath.Dir(f))
	}
	if len(states) < 3 {
		t.Fatalf("examples: %v, want the shipped states", states)
	}
	states = append(states, "../../infra-state")
	for _, dir := range states {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			st, d, pol := loadState(t, dir)
			world := t.TempDir()

			p := plan(t, world, d, st, pol)
			s := p.Summary
			// Each seeded zone differs by one changed record, one legacy
			// record to delete and one unmanaged record; each NoIP host
			// points at the old address (one update); NAS files are missing.
			zones := len(d.Zones)
			hosts := 0
			for _, set := range d.Resources {
				if set.Provider == "noip" {
					hosts += len(set.Resources)
				}
			}
			if s.Create == 0 || s.Update != zones+hosts || s.Delete != zones || s.Unmanaged != zones {
				t.Fatalf("first plan summary = %+v, want creates, %d update(s), %d delete(s), %d unmanaged", s, zones+hosts, zones, zones)
			}
			if p.Blocked() {
				t.Fatalf("first plan is refused: %+v", p.Refusals)
			}
			sb := open(t, world, d, st)
			outs, err := reconcile.Apply(ctx(t), p, sb.Providers)
			if err != nil {
				t.Fatalf("apply: %v (%+v)", err, outs)
			}
			if err := sb.Close(); err != nil {
				t.Fatal(err)
			}
			// a new run, from the saved world: nothing left to do, and the
			// unmanaged record is still there
			p = plan(t, world, d, st, pol)
			if !p.Empty() || p.Summary.Unmanaged != zones {
				t.Fatalf("plan after apply: %+v, want empty with %d unmanaged", p.Summary, zones)
			}
		})
	}
}

// loadState loads the state in dir and what it desires, and its policy.
func loadState(t *testing.T, dir string) (*schema.State, reconcile.Desired, reconcile.Policy) {
	t.Helper()
	st, err := schema.Load(dir)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	d, err := reconcile.DesiredFromState(st, registry.Capabilities())
	if err != nil {
		t.Fatalf("desired: %v", err)
	}
	return st, d, reconcile.PolicyFromState(st.Policy)
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

func open(t *testing.T, dir string, d reconcile.Desired, st *schema.State) *sandbox.Sandbox {
	t.Helper()
	sb, err := sandbox.Open(ctx(t), dir, d, st, transport.New(transport.Options{}), nil)
	if err != nil {
		t.Fatalf("open sandbox: %v", err)
	}
	return sb
}

func plan(t *testing.T, dir string, d reconcile.Desired, st *schema.State, pol reconcile.Policy) *reconcile.Planned {
	t.Helper()
	sb := open(t, dir, d, st)
	defer func() {
		if err := sb.Close(); err != nil {
			t.Fatal(err)
		}
	}()
	obs, err := reconcile.Observe(ctx(t), d, sb.Providers)
	if err != nil {
		t.Fatalf("observe: %v", err)
	}
	return reconcile.Plan(d, obs, pol)
}
