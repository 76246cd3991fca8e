package providertest_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/providertest"
)

// files is a minimal resource provider: files by path, and one "ddns"
// resource whose wanted content only the provider knows.
type files struct {
	mu      sync.Mutex
	content map[string]string
	public  string
	applied int
}

func (f *files) Name() string { return "files" }

func (f *files) ObserveResources(_ context.Context, _ string, want []providers.Resource) (providers.ResourceObservation, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	obs := providers.ResourceObservation{States: make([]providers.ResourceState, len(want))}
	for i, w := range want {
		c, ok := f.content[w.Name]
		st := providers.ResourceState{Live: providers.Resource{Kind: w.Kind, Name: w.Name, Content: c}, Missing: !ok}
		if w.Kind == providers.KindDDNSHost && w.Content == "" {
			pub := f.public
			st.Want = &pub
		}
		obs.States[i] = st
	}
	return obs, nil
}

func (f *files) ApplyResources(_ context.Context, _ string, changes []providers.Change) []error {
	f.mu.Lock()
	defer f.mu.Unlock()
	errs := make([]error, len(changes))
	for i, c := range changes {
		if c.Resource == nil || c.Resource.After == nil {
			errs[i] = errors.New("no resource")
			continue
		}
		f.content[c.Resource.After.Name] = c.Resource.After.Content
		f.applied++
	}
	return errs
}

func TestResourcesSuite(t *testing.T) {
	providertest.RunResources(t, providertest.ResourceHarness{
		New: func(t *testing.T) (providers.ResourceProvider, string, []providers.Resource) {
			f := &files{content: map[string]string{"/etc/a": "old", "/etc/same": "x"}, public: "203.0.113.7"}
			t.Cleanup(func() {
				if !t.Failed() && t.Name() == "TestResourcesSuite/Converge" && f.applied != 3 {
					t.Errorf("applied %d changes, want 3 (changed, missing, provider-wanted)", f.applied)
				}
			})
			return f, "box", []providers.Resource{
				{Kind: providers.KindFile, Name: "/etc/a", Content: "new"},
				{Kind: providers.KindFile, Name: "/etc/missing", Content: "hello"},
				{Kind: providers.KindFile, Name: "/etc/same", Content: "x"},
				{Kind: providers.KindDDNSHost, Name: "home.example", Content: ""},
			}
		},
	})
}
