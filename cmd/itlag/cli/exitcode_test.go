package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExitCodes checks the documented exit codes through Main itself.
func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return filepath.Dir(p)
	}
	good := write("good/dns.yaml", "zones:\n  - name: example.org\n    provider: cloudflare\n    records:\n      - {name: \"@\", type: A, value: 192.0.2.10}\n")
	bad := write("bad/dns.yaml", "zones:\n  - name: example.org\n    provider: cloudflare\n    records:\n      - {name: \"@\", type: A, value: 192.0.2.10, ttl: 5}\n")
	real := write("real/dns.yaml", "providers:\n  cloudflare:\n    api_token: {env: ITLAG_TEST_NO_SUCH_VAR}\n"+
		"zones:\n  - name: example.org\n    provider: cloudflare\n    records: []\n")
	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	sb := filepath.Join(dir, "sandbox")
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))

	tests := []struct {
		name string
		args []string
		want int
		out  string // in stdout or stderr
	}{
		{"no command", nil, ExitError, "Usage:"},
		{"help", []string{"--help"}, ExitOK, "Exit codes"},
		{"help of help", []string{"help", "--help"}, ExitOK, "Exit codes"},
		{"help help", []string{"--help", "help"}, ExitOK, "Exit codes"},
		{"unknown command", []string{"frob"}, ExitError, "unknown command"},
		{"unknown flag", []string{"plan", "--frob"}, ExitError, "flag provided but not defined"},
		{"valid", []string{"validate", "--state", good}, ExitOK, "is valid"},
		{"invalid", []string{"validate", "--state", bad}, ExitInvalid, "dns.yaml:5:"},
		{"invalid plan never observes", []string{"plan", "--state", bad, "--sandbox", sb}, ExitInvalid, "ttl"},
		{"empty state dir", []string{"validate", "--state", empty}, ExitInvalid, "no state files in"},
		{"empty state dir, plan", []string{"plan", "--state", empty, "--sandbox", sb}, ExitInvalid, "no state files in"},
		{"empty state dir, drift", []string{"drift", "--state", empty, "--sandbox", sb, "--out", filepath.Join(dir, "out")}, ExitInvalid, "no state files in"},
		{"missing state dir", []string{"validate", "--state", filepath.Join(dir, "nope")}, ExitError, "does not exist"},
		{"plan with changes, detailed", []string{"plan", "--state", good, "--sandbox", sb, "--detailed-exitcode"}, ExitChanges, "to create"},
		{"plan with changes, not detailed", []string{"plan", "--state", good, "--sandbox", sb}, ExitOK, "to create"},
		{"apply", []string{"apply", "--state", good, "--sandbox", sb, "--auto-approve"}, ExitOK, "done, 0 failed"},
		{"plan without changes, detailed", []string{"plan", "--state", good, "--sandbox", sb, "--detailed-exitcode"}, ExitOK, "No changes"},
		{"missing credential", []string{"plan", "--state", real}, ExitError, "ITLAG_TEST_NO_SUCH_VAR is not set"},
		{"bad --allow", []string{"plan", "--state", good, "--allow", "all"}, ExitError, "unknown rule"},
		{"apply two files", []string{"apply", "a.json", "b.json"}, ExitError, "at most one plan file"},
		{"apply missing plan file", []string{"apply", "--state", good, filepath.Join(dir, "none.json")}, ExitError, "read plan"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			got := Main(tt.args, strings.NewReader(""), &stdout, &stderr)
			if got != tt.want {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", got, tt.want, stdout.String(), stderr.String())
			}
			if !strings.Contains(stdout.String()+stderr.String(), tt.out) {
				t.Fatalf("output lacks %q\nstdout:\n%s\nstderr:\n%s", tt.out, stdout.String(), stderr.String())
			}
		})
	}
}
