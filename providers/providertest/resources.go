package providertest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lagrieta/itlag/providers"
)

// ResourceHarness gives RunResources what it needs from a resource
// provider.
type ResourceHarness struct {
	// New returns a fresh provider, a target on it and the desired
	// resources of that target. At least one of them must differ from
	// what is live (or be missing), none may be held, and the provider
	// must be able to bring every one of them to its wanted content. Each
	// subtest calls it.
	New func(t *testing.T) (p providers.ResourceProvider, target string, want []providers.Resource)
}

// RunResources runs the resource conformance suite against h: observing
// is read-only and stable; applying the updates an engine would plan
// brings every resource to its wanted content (Want when the provider sets
// it, else the desired Content), after which nothing is left to change.
func RunResources(t *testing.T, h ResourceHarness) {
	t.Run("ReadOnly", func(t *testing.T) { testReadOnly(t, h) })
	t.Run("Converge", func(t *testing.T) { testConverge(t, h) })
}

func testReadOnly(t *testing.T, h ResourceHarness) {
	p, target, want := h.New(t)
	first := observeResources(t, p, target, want)
	second := observeResources(t, p, target, want)
	for i := range want {
		a, b := describeState(first.States[i]), describeState(second.States[i])
		if a != b {
			t.Errorf("%s: observing twice differs:\n  %s\n  %s", want[i].Name, a, b)
		}
	}
}

func testConverge(t *testing.T, h ResourceHarness) {
	p, target, want := h.New(t)
	changes := resourceChanges(t, p, target, want, observeResources(t, p, target, want))
	if len(changes) == 0 {
		t.Fatal("the harness gave no resource to change: the suite would prove nothing")
	}
	NoErrors(t, p.ApplyResources(resourceCtx(t), target, changes))

	obs := observeResources(t, p, target, want)
	if left := resourceChanges(t, p, target, want, obs); len(left) > 0 {
		var b strings.Builder
		for _, c := range left {
			fmt.Fprintf(&b, "\n  %s %s: %s", c.Action, c.Address, c.Reason)
		}
		t.Fatalf("after apply, %d change(s) left:%s", len(left), b.String())
	}
	// nothing more to apply, and applying nothing changes nothing
	if errs := p.ApplyResources(resourceCtx(t), target, nil); len(errs) != 0 {
		t.Fatalf("applying no change returned %d errors", len(errs))
	}
	if left := resourceChanges(t, p, target, want, observeResources(t, p, target, want)); len(left) > 0 {
		t.Fatalf("an empty apply left %d change(s)", len(left))
	}
}

func resourceCtx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return c
}

// observeResources observes want and checks the answer's shape.
func observeResources(t *testing.T, p providers.ResourceProvider, target string, want []providers.Resource) providers.ResourceObservation {
	t.Helper()
	obs, err := p.ObserveResources(resourceCtx(t), target, want)
	if err != nil {
		t.Fatalf("observe: %v", err)
	}
	if len(obs.States) != len(want) {
		t.Fatalf("observe: %d states for %d resources", len(obs.States), len(want))
	}
	for i, st := range obs.States {
		if st.Live.Kind != want[i].Kind || st.Live.Name != want[i].Name {
			t.Fatalf("state %d is %s %q, want %s %q (in order)", i, st.Live.Kind, st.Live.Name, want[i].Kind, want[i].Name)
		}
		if st.Missing && st.Live.Content != "" {
			t.Errorf("%s: missing, yet its content is %q", want[i].Name, st.Live.Content)
		}
		if st.Held != "" {
			t.Fatalf("%s is held: %s (findings: %v)", want[i].Name, st.Held, obs.Findings)
		}
	}
	return obs
}

// resourceChanges is what an engine would plan: an update (a create when
// missing) for each resource whose live state is not its wanted one.
func resourceChanges(t *testing.T, p providers.ResourceProvider, target string, want []providers.Resource, obs providers.ResourceObservation) []providers.Change {
	t.Helper()
	name := "resource"
	if n, ok := p.(interface{ Name() string }); ok {
		name = n.Name()
	}
	var out []providers.Change
	for i, st := range obs.States {
		after := want[i].Clone()
		if st.Want != nil {
			after.Content = *st.Want
		}
		if !st.Missing && after.Same(st.Live) {
			continue
		}
		c := providers.Change{
			Address:  fmt.Sprintf("%s:%s/%s/%s", name, target, after.Kind, after.Name),
			Action:   providers.Update,
			Provider: name,
			Zone:     target,
			Resource: &providers.ResourceChange{Target: target, After: &after},
			Reason:   fmt.Sprintf("%q → %q", st.Live.Content, after.Content),
		}
		if st.Missing {
			c.Action = providers.Create
		} else {
			before := st.Live.Clone()
			c.Resource.Before = &before
		}
		out = append(out, c)
	}
	return out
}

func describeState(st providers.ResourceState) string {
	w := "<nil>"
	if st.Want != nil {
		w = *st.Want
	}
	return fmt.Sprintf("live %q %v missing=%v want=%s held=%q", st.Live.Content, st.Live.Attrs, st.Missing, w, st.Held)
}
