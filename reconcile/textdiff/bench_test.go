package textdiff

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// BenchmarkUnified diffs a 2000-line config file with 1% of its lines edited.
func BenchmarkUnified(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	lines := make([]string, 2000)
	for i := range lines {
		lines[i] = "option_" + itoa(i) + " value_" + itoa(rng.IntN(1000)) + "\n"
	}
	old := strings.Join(lines, "")
	for range 20 {
		lines[rng.IntN(len(lines))] = "changed " + itoa(rng.IntN(1000)) + "\n"
	}
	new := strings.Join(lines, "")
	b.ResetTimer()
	for b.Loop() {
		Unified("a", "b", old, new, 3)
	}
	b.ReportMetric(float64(2*len(lines))*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}
