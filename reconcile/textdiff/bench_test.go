package textdiff

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// BenchmarkUnified diffs a 2000-line config file with 1% of its lines edited.
func BenchmarkUnified(b *testing.B) {
	old, new := editedFile(2000, 20)
	b.ResetTimer()
	for b.Loop() {
		Unified("a", "b", old, new, 3)
	}
	b.ReportMetric(float64(2*2000)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}

// BenchmarkUnifiedLarge diffs large files: one with scattered edits (more
// than the exhaustive search covers) and one rewritten whole. difflines is
// the length of the diff, to compare with the shortest one (minlines).
func BenchmarkUnifiedLarge(b *testing.B) {
	scatteredOld, scatteredNew := editedFile(10000, 200)
	rewrittenOld, _ := editedFile(5000, 0)
	rewrittenNew := strings.ReplaceAll(rewrittenOld, "option_", "setting_")
	cases := []struct {
		name     string
		old, new string
		minLines int // lines of the shortest diff with 3 lines of context, or 0 if unknown
	}{
		{name: "scattered", old: scatteredOld, new: scatteredNew},
		{name: "rewritten", old: rewrittenOld, new: rewrittenNew, minLines: 2 + 1 + 2*5000},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var d string
			for b.Loop() {
				d = Unified("a", "b", c.old, c.new, 3)
			}
			lines := strings.Count(c.old, "\n") + strings.Count(c.new, "\n")
			b.ReportMetric(float64(lines)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
			b.ReportMetric(float64(strings.Count(d, "\n")), "difflines")
		})
	}
}

// editedFile returns a config file of n lines and a copy with edits
// random lines replaced (fewer when two edits hit the same line).
func editedFile(n, edits int) (old, new string) {
	rng := rand.New(rand.NewPCG(3, 4))
	lines := make([]string, n)
	for i := range lines {
		lines[i] = "option_" + itoa(i) + " value_" + itoa(rng.IntN(1000)) + "\n"
	}
	old = strings.Join(lines, "")
	for range edits {
		lines[rng.IntN(len(lines))] = "changed " + itoa(rng.IntN(1000)) + "\n"
	}
	return old, strings.Join(lines, "")
}
