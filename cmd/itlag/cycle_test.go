package main

import (
	"bytes"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/cmd/itlag/cli"
	"github.com/lagrieta/itlag/schema"
)

// TestShippedStatesCycle runs the operating cycle of scripts/sandbox.sh on
// every state the repository ships (every example and infra-state) in a
// sandbox, through the command line: validate, plan, apply, a backup job
// (where restic is installed), check, drift, status-page, and a last
// plan with no changes. A shipped state that a new user cannot run through
// the sandbox fails here.
func TestShippedStatesCycle(t *testing.T) {
	states, err := filepath.Glob("../../examples/*/state.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dirs := []string{"../../infra-state"}
	for _, s := range states {
		dirs = append(dirs, filepath.Dir(s))
	}
	if len(dirs) < 4 {
		t.Fatalf("shipped states: %v, want infra-state and the examples", dirs)
	}
	_, noRestic := exec.LookPath("restic")
	if noRestic != nil && os.Getenv("CI") != "" {
		t.Fatal("restic is not installed; required when CI is set")
	}
	t.Parallel()
	for _, dir := range dirs {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			st, err := schema.Load(dir)
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			sb, out, data := t.TempDir(), t.TempDir(), t.TempDir()
			itlag := func(want []int, args ...string) string {
				t.Helper()
				var stdout, stderr bytes.Buffer
				args = append([]string{"--state", dir, "--sandbox", sb, "--data-dir", data}, args...)
				code := cli.Main(args, strings.NewReader(""), &stdout, &stderr)
				if !slices.Contains(want, code) {
					t.Fatalf("itlag %s: exit %d, want %v\n%s%s", strings.Join(args, " "), code, want, stdout.String(), stderr.String())
				}
				return stdout.String()
			}
			ok, findings := []int{cli.ExitOK}, []int{cli.ExitOK, cli.ExitChanges}
			itlag(ok, "validate")
			itlag([]int{cli.ExitChanges}, "plan", "--detailed-exitcode")
			itlag(ok, "apply", "--auto-approve")
			// one job each: the others run the same way; the repositories
			// open in milliseconds (sandboxFastRepos), not restic init's
			// half second a command
			if jobs := slices.Sorted(maps.Keys(st.Backups)); noRestic == nil && len(jobs) > 0 {
				if err := sandboxFastRepos(t.Context(), dir, sb); err != nil {
					t.Fatal(err)
				}
				itlag(ok, "backup", "run", jobs[0])
			}
			itlag(findings, "check")
			itlag(findings, "drift", "--out", out)
			itlag(ok, "status-page", "--out", filepath.Join(out, "status"))
			if got := itlag(ok, "plan", "--detailed-exitcode"); !strings.Contains(got, "No changes") {
				t.Errorf("last plan:\n%s\nwant no changes", got)
			}
			for _, f := range []string{"reports/drift.md", "reports/status.json", "status/index.html"} {
				if _, err := os.Stat(filepath.Join(out, f)); err != nil {
					t.Errorf("the cycle wrote no %s: %v", f, err)
				}
			}
		})
	}
}
