package schema

import (
	"errors"
	"testing"
	"testing/fstest"
)

// FuzzLoad: any bytes as a state file load to a state or to problems,
// never to a panic. Seeds are in testdata/fuzz/FuzzLoad.
func FuzzLoad(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		st, err := LoadFS(fstest.MapFS{"state.yaml": {Data: data}})
		if err != nil {
			var probs Errors
			if !errors.As(err, &probs) || len(probs) == 0 {
				t.Fatalf("LoadFS() error %T %v, want Errors", err, err)
			}
			if st != nil {
				t.Fatalf("LoadFS() returned a state and problems")
			}
			return
		}
		if st == nil {
			t.Fatalf("LoadFS() returned neither state nor problems")
		}
	})
}
