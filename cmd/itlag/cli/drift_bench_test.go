package cli

import (
	"bytes"
	"path/filepath"
	"testing"
)

// BenchmarkDrift is a whole drift of LaGrieta.es's state in the sandbox
// (seeded on the first op): observe every provider, plan, gather the
// findings, update incidents and reports. Goal: under 2 s wall.
func BenchmarkDrift(b *testing.B) {
	tmp := b.TempDir()
	sb, out := filepath.Join(tmp, "sb"), filepath.Join(tmp, "repo")
	b.Setenv("XDG_STATE_HOME", filepath.Join(tmp, "state"))
	args := []string{"drift", "--state", "../../../infra-state", "--sandbox", sb, "--out", out}
	for b.Loop() {
		var stdout, stderr bytes.Buffer
		if code := Main(args, nil, &stdout, &stderr); code != ExitOK && code != ExitChanges {
			b.Fatalf("drift exited %d: %s", code, stderr.String())
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/drift")
}
