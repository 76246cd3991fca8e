package metrics

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/providers/nas/remote"
)

// TestSecurityMetrics: failed SSH logins from the auth log are a metric
// and, past the threshold, a medium finding. The metrics script leaves the
// package manager alone: pending updates are the security checks' (the
// NAS provider's InspectHost), read once per observation.
func TestSecurityMetrics(t *testing.T) {
	dir := t.TempDir()
	if err := WriteFakeRoot(dir, FakeOptions{FailedLogins: 25}); err != nil {
		t.Fatal(err)
	}
	ran := filepath.Join(dir, "apt-ran")
	for _, tool := range []string{"apt", "apt-get"} {
		sh := "#!/bin/sh\necho " + tool + " >> " + remote.ShellQuote(ran) + "\n"
		if err := os.WriteFile(filepath.Join(dir, "bin", tool), []byte(sh), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	res, err := remote.Local{Root: dir}.Run(context.Background(), Script(), nil)
	if err != nil || res.ExitCode != 0 {
		t.Fatalf("script: %v, exit %d: %s", err, res.ExitCode, res.Stderr)
	}
	s, err := Parse(res.Stdout)
	if err != nil {
		t.Fatal(err)
	}
	if s.FailedLogins != 25 || s.AuthLog != "/var/log/auth.log" {
		t.Fatalf("sample: failed logins %d in %q; want 25 in /var/log/auth.log", s.FailedLogins, s.AuthLog)
	}
	if b, err := os.ReadFile(ran); err == nil {
		t.Errorf("the metrics script ran the package manager: %q", b)
	}
	fs := Evaluate("nas:office", s, Thresholds{})
	if !slices.ContainsFunc(fs, func(f finding.Finding) bool {
		return f.Severity == finding.Medium && strings.Contains(f.Summary, "25 failed SSH login(s)")
	}) {
		t.Errorf("findings %v, want a medium one for 25 failed logins", fs)
	}
	if m := Metrics(s); m["failed_logins"] != 25 {
		t.Errorf("metrics %v", m)
	}
	if fs := Evaluate("nas:office", s, Thresholds{FailedLogins: 30}); slices.ContainsFunc(fs, func(f finding.Finding) bool { return f.Severity == finding.Medium }) {
		t.Errorf("under the threshold: %v", fs)
	}
}
