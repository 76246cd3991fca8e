package diagram

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestGolden compares the diagrams of the examples with testdata/*.svg;
// -update rewrites them.
func TestGolden(t *testing.T) {
	for _, ex := range []string{"office", "godaddy"} {
		st := load(t, filepath.Join("examples", ex))
		for _, lang := range []string{"es", "en"} {
			name := ex + "." + lang + ".svg"
			t.Run(name, func(t *testing.T) {
				got := draw(t, st, lang)
				parse(t, got)
				path := filepath.Join("testdata", name)
				if *update {
					if err := os.MkdirAll("testdata", 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, got, 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test -update to write it)", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s differs from the output (run go test -update and review the diff):\n%s", path, got)
				}
			})
		}
	}
}
