package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lagrieta/itlag/app/sandbox"
	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/ops/security"
	"github.com/lagrieta/itlag/providers/nas"
)

// TestMaintainAgreesWithCheck: maintain reports each NAS's pending
// updates and findings from the one observation, so for the same sandbox
// world it names exactly the NAS findings check does (same severities,
// summaries and fingerprints), and counts the updates check judges.
func TestMaintainAgreesWithCheck(t *testing.T) {
	tests := []struct {
		name string
		// apt rewrites the sandbox NAS's apt-get (nil: as seeded).
		apt         func(t *testing.T, root string)
		wantUpdates string // "security/other" or "unknown"
		wantFinding string // the update finding both must name
	}{
		{name: "as seeded", wantUpdates: fmt.Sprintf("%d/0", sandbox.FakePendingUpdates),
			wantFinding: fmt.Sprintf("medium security:nas/office %d security update(s) pending: install them", sandbox.FakePendingUpdates)},
		{name: "security and other", apt: fakeAPT(1, 3), wantUpdates: "1/3",
			wantFinding: "low security:nas/office 3 other update(s) pending"},
		{name: "none pending", apt: fakeAPT(0, 0), wantUpdates: "0/0"},
		{name: "no apt", apt: func(t *testing.T, root string) {
			if err := os.Remove(filepath.Join(root, "bin", "apt-get")); err != nil {
				t.Fatal(err)
			}
		}, wantUpdates: "unknown", wantFinding: "low security:nas/office pending updates are unknown (no apt on this NAS)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			state := filepath.Join(dir, "state")
			sb := filepath.Join(dir, "sb")
			if err := os.MkdirAll(state, 0o755); err != nil {
				t.Fatal(err)
			}
			yaml := `nas:
  office:
    host: office.example.org
    user: itlag
    key: {file: /etc/itlag/nas_ed25519}
    host_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
    listening_ports: [22, 445, 873, 5000, 5001]
`
			if err := os.WriteFile(filepath.Join(state, "state.yaml"), []byte(yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			open := func() *Runtime {
				rt, err := Load(Options{StateDir: state, Sandbox: sb, Version: "test"})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { rt.Close() })
				return rt
			}
			ctx := context.Background()

			// The first check seeds the sandbox NAS; the world is then set.
			if _, err := open().Check(ctx, CheckOptions{NoAlerts: true}); err != nil {
				t.Fatal(err)
			}
			if tt.apt != nil {
				tt.apt(t, filepath.Join(sb, "nas", "office"))
			}
			chk, err := open().Check(ctx, CheckOptions{NoAlerts: true})
			if err != nil {
				t.Fatal(err)
			}
			var fromCheck []string
			for _, f := range chk.Observation.Findings {
				if f.Source == "nas:office" || f.Source == "security:nas/office" {
					fromCheck = append(fromCheck, describe(f))
				}
			}
			m, err := open().Maintain(ctx, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if len(m.NAS) != 1 || m.NAS[0].Name != "office" || m.NAS[0].NotObserved != "" {
				t.Fatalf("maintain NAS %+v, want office, observed", m.NAS)
			}
			var fromMaintain []string
			for _, f := range m.NAS[0].Findings {
				fromMaintain = append(fromMaintain, describe(f))
			}
			if !slices.Equal(fromMaintain, fromCheck) {
				t.Errorf("maintain's NAS findings:\n%s\ncheck's:\n%s", strings.Join(fromMaintain, "\n"), strings.Join(fromCheck, "\n"))
			}
			if tt.wantFinding != "" && !slices.ContainsFunc(fromMaintain, func(s string) bool { return strings.HasPrefix(s, tt.wantFinding) }) {
				t.Errorf("findings:\n%s\nwant one starting %q", strings.Join(fromMaintain, "\n"), tt.wantFinding)
			}
			if tt.wantFinding == "" && slices.ContainsFunc(fromMaintain, func(s string) bool { return strings.Contains(s, "update") }) {
				t.Errorf("findings:\n%s\nwant no update finding", strings.Join(fromMaintain, "\n"))
			}
			if got, want := countUpdates(m.NAS[0].Updates), countUpdates(chk.Observation.Updates["office"]); got != want || got != tt.wantUpdates {
				t.Errorf("updates: maintain %s, check %s, want %s", got, want, tt.wantUpdates)
			}
		})
	}
}

func describe(f finding.Finding) string {
	return string(f.Severity) + " " + f.Source + " " + f.Summary + " [" + f.Fingerprint + "]"
}

func countUpdates(u *security.Updates) string {
	if u == nil {
		return "unknown"
	}
	return fmt.Sprintf("%d/%d", u.Security, u.Other)
}

// fakeAPT gives the sandbox NAS at root an apt-get offering sec security
// and other other updates (its other fake facts unchanged).
func fakeAPT(sec, other int) func(t *testing.T, root string) {
	return func(t *testing.T, root string) {
		t.Helper()
		if err := os.Remove(filepath.Join(root, "bin", "ss")); err != nil {
			t.Fatal(err)
		}
		if err := nas.WriteFakeHost(root, nas.FakeHostOptions{SecurityUpdates: sec, OtherUpdates: other}); err != nil {
			t.Fatal(err)
		}
	}
}
