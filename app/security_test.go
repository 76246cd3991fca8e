package app

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestObserveSecuritySandbox: under --sandbox the security checks contact
// nothing off loopback (the public monitors are skipped with a note), the
// NAS's sshd audit can be turned off and its declared ports are accepted,
// and an exposure check without a known public address is a pending
// finding, not a silent pass.
func TestObserveSecuritySandbox(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "state")
	if err := os.MkdirAll(state, 0o755); err != nil {
		t.Fatal(err)
	}
	yaml := `monitors:
  web: {kind: http, target: "https://lagrieta.es/"}
  tls: {kind: tls, target: "lagrieta.es:443"}
  plain: {kind: http, target: "http://lagrieta.es/"}
  quiet: {kind: http, target: "https://quiet.lagrieta.es/", tls_audit: false}
exposure:
  closed_ports: [445, 3389]
nas:
  office:
    host: office.example.org
    user: itlag
    key: {file: /etc/itlag/nas_ed25519}
    host_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
    listening_ports: [22, 445, 873, 5000, 5001]
    sshd_audit: false
`
	if err := os.WriteFile(filepath.Join(state, "state.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	rt, err := Load(Options{StateDir: state, Sandbox: filepath.Join(dir, "sb"), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	obs, err := rt.Observe(context.Background(), ObserveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// the TLS audits reach the sandbox's website fake (a leaf from the
	// sandbox CA, TLS 1.2 and 1.3, HSTS): nothing to report, nothing skipped
	if len(obs.SecurityNotes) != 0 {
		t.Errorf("notes: %q, want none", obs.SecurityNotes)
	}
	var got []string
	for _, f := range obs.Findings {
		if strings.HasPrefix(f.Source, "security:") {
			got = append(got, string(f.Severity)+" "+f.Source+" "+f.Summary)
		}
	}
	want := []string{
		"medium security:nas/office 2 security update(s) pending: install them",
		"low security:exposure exposure check pending: the office's public address is unknown (declare a ddns host that follows it, and make its IP sources agree)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("security findings:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	monitors, err := rt.Monitors()
	if err != nil {
		t.Fatal(err)
	}
	var targets []string
	for _, tt := range tlsTargets(rt, monitors) {
		targets = append(targets, tt.Name+" "+tt.Addr+" "+tt.URL+" "+map[bool]string{true: "expiry watched", false: "expiry audited"}[tt.ExpiryWatched])
	}
	wantTargets := []string{"tls lagrieta.es:443  expiry watched", "web lagrieta.es:443 https://lagrieta.es/ expiry audited"}
	if !slices.Equal(targets, wantTargets) {
		t.Errorf("TLS targets %q, want %q", targets, wantTargets)
	}
}
