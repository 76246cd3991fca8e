package app

import (
	"path/filepath"
	"testing"

	"github.com/lagrieta/itlag/providers/transport"
	"github.com/lagrieta/itlag/schema/statetest"
)

// TestSandboxPlanRequests checks that a sandbox plan asks the Cloudflare
// fake for what it needs once: one page of the zone list, one record list
// per zone; seeding a world that exists asks nothing.
func TestSandboxPlanRequests(t *testing.T) {
	const zones = 3
	tmp := t.TempDir()
	opts := Options{StateDir: statetest.WriteZones(t, filepath.Join(tmp, "state"), zones, 10),
		Sandbox: filepath.Join(tmp, "sb"), DataDir: filepath.Join(tmp, "data")}
	plan := func() (requests int64, changes int) {
		t.Helper()
		rt, err := Load(opts)
		if err != nil {
			t.Fatal(err)
		}
		counter := &countingRT{}
		hc := transport.New(transport.Options{Dial: transport.LoopbackOnly(nil)})
		counter.next, hc.Transport = hc.Transport, counter
		rt.hc = hc
		p, _, err := rt.Plan(t.Context(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := rt.Close(); err != nil {
			t.Fatal(err)
		}
		return counter.n.Load(), len(p.Changes)
	}
	_, first := plan() // seeds the world
	requests, again := plan()
	if again != first || first == 0 {
		t.Errorf("second plan has %d changes, want the first's %d (not 0)", again, first)
	}
	if want := int64(1 + zones); requests != want {
		t.Errorf("second plan sent %d requests, want %d (one zone-list page, one record list per zone)", requests, want)
	}
}
