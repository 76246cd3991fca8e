package providertest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/providers"
)

// NoErrors fails the test at the first non-nil error of a provider's
// Apply, naming the change's index.
func NoErrors(t testing.TB, errs []error) {
	t.Helper()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("change %d: %v", i, err)
		}
	}
}

// SameSet reports the difference between two record sets, ignoring IDs
// and order; "" when equal.
func SameSet(got, want []providers.Record) string {
	key := func(r providers.Record) string {
		r.ID = ""
		return fmt.Sprintf("%+v", r)
	}
	var g, w []string
	for _, r := range got {
		g = append(g, key(r))
	}
	for _, r := range want {
		w = append(w, key(r))
	}
	slices.Sort(g)
	slices.Sort(w)
	if slices.Equal(g, w) {
		return ""
	}
	var b strings.Builder
	for _, s := range w {
		if !slices.Contains(g, s) {
			fmt.Fprintf(&b, "\n  missing: %s", s)
		}
	}
	for _, s := range g {
		if !slices.Contains(w, s) {
			fmt.Fprintf(&b, "\n  extra:   %s", s)
		}
	}
	if b.Len() == 0 {
		fmt.Fprintf(&b, "\n  duplicates: got %d records, want %d", len(g), len(w))
	}
	return b.String()
}
