package metrics

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/providers/nas/remote"
)

// TestSecurityMetrics: failed SSH logins from the auth log are a metric
// and, past the threshold, a medium finding; pending updates are counted
// only when asked for (ITLAG_UPDATES=1), then a low finding.
func TestSecurityMetrics(t *testing.T) {
	dir := t.TempDir()
	if err := WriteFakeRoot(dir, FakeOptions{FailedLogins: 25, PendingUpdates: 3}); err != nil {
		t.Fatal(err)
	}
	run := func(prefix string) Sample {
		res, err := remote.Local{Root: dir}.Run(context.Background(), prefix+Script(), nil)
		if err != nil || res.ExitCode != 0 {
			t.Fatalf("script: %v, exit %d: %s", err, res.ExitCode, res.Stderr)
		}
		s, err := Parse(res.Stdout)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := run("")
	if s.FailedLogins != 25 || s.AuthLog != "/var/log/auth.log" || s.PendingUpdates != -1 {
		t.Fatalf("sample: failed logins %d in %q, updates %d; want 25 in /var/log/auth.log, -1 (not asked)", s.FailedLogins, s.AuthLog, s.PendingUpdates)
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
	if _, err := os.Stat(dir + "/bin/apt-get"); err != nil {
		t.Fatal(err)
	}
	s = run("ITLAG_UPDATES=1; export ITLAG_UPDATES; ")
	if s.PendingUpdates != 3 {
		t.Fatalf("pending updates %d, want 3", s.PendingUpdates)
	}
	if fs := Evaluate("nas:office", s, Thresholds{}); !slices.ContainsFunc(fs, func(f finding.Finding) bool {
		return f.Severity == finding.Low && f.Summary == "3 OS update(s) pending"
	}) {
		t.Errorf("findings %v, want a low one for 3 pending updates", fs)
	}
}
