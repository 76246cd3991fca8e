package nas_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/ops/security"
	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/nas"
	"github.com/lagrieta/itlag/providers/nas/metrics"
	"github.com/lagrieta/itlag/providers/nas/remote/sshtest"
)

func TestInspectHostFakeRoot(t *testing.T) {
	b := newBox(t, metrics.Thresholds{}, metrics.FakeOptions{})
	if err := nas.WriteFakeHost(b.root, nas.FakeHostOptions{SecurityUpdates: 2, OtherUpdates: 1}); err != nil {
		t.Fatal(err)
	}
	facts, err := b.p.InspectHost(ctx(t), target)
	if err != nil {
		t.Fatal(err)
	}
	if facts.SSHDEffective != nas.FakeSSHDEffective {
		t.Errorf("sshd -T:\n%s\nwant\n%s", facts.SSHDEffective, nas.FakeSSHDEffective)
	}
	if facts.Listening != nas.FakeListening {
		t.Errorf("ss:\n%s\nwant\n%s", facts.Listening, nas.FakeListening)
	}
	if len(facts.SSHDFiles) != 1 || facts.SSHDFiles[0].Path != "/etc/ssh/sshd_config" {
		t.Errorf("files %+v", facts.SSHDFiles)
	}
	if u := security.ParseUpdates(facts.Updates); facts.UpdatesTool != "apt" || u.Security != 2 || u.Other != 1 || facts.UpdatesErr != "" {
		t.Errorf("updates: tool %q err %q %+v", facts.UpdatesTool, facts.UpdatesErr, u)
	}
}

// TestFakeSSHDReadsDropIns: the fake NAS's sshd -T gives what a managed
// drop-in sets, the first file's value winning as in sshd, so that an
// applied sshd_config.d file shows in the next audit.
func TestFakeSSHDReadsDropIns(t *testing.T) {
	for name, tt := range map[string]struct {
		dropIns map[string]string
		want    []string // findings, severity and summary prefixes, sorted
	}{
		"none": {want: []string{"low sshd lets root log in with a key", "medium sshd accepts passwords",
			"medium sshd offers weak ciphers", "medium sshd offers weak macs"}},
		"hardened": {dropIns: map[string]string{"50-itlag.conf": "PasswordAuthentication no\nPermitRootLogin no\n" +
			"Ciphers chacha20-poly1305@openssh.com,aes256-ctr\nMACs hmac-sha2-256-etm@openssh.com\n"}},
		"first wins": {dropIns: map[string]string{
			"10-a.conf": "# keys only\n  PasswordAuthentication no\n",
			"20-b.conf": "PasswordAuthentication yes\nPermitRootLogin no\n",
		}, want: []string{"medium sshd offers weak ciphers", "medium sshd offers weak macs"}},
	} {
		t.Run(name, func(t *testing.T) {
			b := newBox(t, metrics.Thresholds{}, metrics.FakeOptions{})
			if err := nas.WriteFakeHost(b.root, nas.FakeHostOptions{}); err != nil {
				t.Fatal(err)
			}
			for f, content := range tt.dropIns {
				b.write(t, "/etc/ssh/sshd_config.d/"+f, content, 0o644)
			}
			facts, err := b.p.InspectHost(ctx(t), target)
			if err != nil {
				t.Fatal(err)
			}
			checkSSHDFindings(t, facts, tt.want)
		})
	}
}

// TestInspectHostBusyBox: no sshd -T, no ss, no apt-get: the files with
// their Includes in order, /proc/net/tcp, and updates unknown.
func TestInspectHostBusyBox(t *testing.T) {
	b := newBox(t, metrics.Thresholds{}, metrics.FakeOptions{})
	b.write(t, "/etc/ssh/sshd_config", "Include sshd_config.d/*.conf\nPermitRootLogin no\n", 0o644)
	b.write(t, "/etc/ssh/sshd_config.d/20-b.conf", "PasswordAuthentication yes", 0o644)
	b.write(t, "/etc/ssh/sshd_config.d/10-a.conf", "PasswordAuthentication no\n", 0o644)
	b.write(t, "/proc/net/tcp", "  sl  local_address rem_address   st\n   0: 00000000:0016 00000000:0000 0A 0\n", 0o644)
	facts, err := b.p.InspectHost(ctx(t), target)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range facts.SSHDFiles {
		files = append(files, f.Path+" <"+f.Include+"> "+strings.TrimSpace(f.Content))
	}
	want := []string{
		"/etc/ssh/sshd_config <> Include sshd_config.d/*.conf\nPermitRootLogin no",
		"/etc/ssh/sshd_config.d/10-a.conf </etc/ssh/sshd_config.d/*.conf> PasswordAuthentication no",
		"/etc/ssh/sshd_config.d/20-b.conf </etc/ssh/sshd_config.d/*.conf> PasswordAuthentication yes",
	}
	if !slices.Equal(files, want) {
		t.Errorf("files:\n%q\nwant\n%q", files, want)
	}
	if facts.SSHDEffective != "" || facts.Listening != "" || facts.UpdatesTool != "" {
		t.Errorf("facts %+v: want no sshd -T, no ss, no apt", facts)
	}
	ls, ok := security.ParseListeners(facts)
	if !ok || len(ls) != 1 || ls[0].Port != 22 {
		t.Errorf("listeners %v %v, want port 22 from /proc/net/tcp", ls, ok)
	}
	r := security.AuditHost("security:nas/office", facts, security.HostPolicy{AllowedPorts: []int{22}})
	var got []string
	for _, f := range r.Findings {
		got = append(got, string(f.Severity)+" "+f.Summary)
	}
	slices.Sort(got)
	if len(got) != 1 || !strings.HasPrefix(got[0], "low pending updates are unknown") {
		t.Errorf("findings %q, want only updates unknown (10-a.conf's PasswordAuthentication no wins)", got)
	}
}

// realSSHD is OpenSSH's sshd (skipped when missing, unless CI is set).
func realSSHD(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/sbin/sshd", "/usr/local/sbin/sshd"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("sshd"); err == nil {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatal("sshd not installed (openssh-server)")
	}
	t.Skip("sshd not installed (openssh-server)")
	return ""
}

// TestInspectHostRealSSHDConfigs runs OpenSSH's own sshd -T, through the
// script, on a weak and a strict sshd_config.
func TestInspectHostRealSSHDConfigs(t *testing.T) {
	sshd := realSSHD(t)
	tests := map[string]struct {
		config string
		want   []string
	}{
		"weak": {config: "PermitRootLogin yes\nPasswordAuthentication yes\nCiphers aes256-cbc,aes256-ctr\nMACs hmac-md5,hmac-sha2-256-etm@openssh.com\n" +
			"KexAlgorithms diffie-hellman-group1-sha1,curve25519-sha256\nHostKeyAlgorithms ssh-rsa,ssh-ed25519\n",
			want: []string{
				"high sshd lets root log in with a password (PermitRootLogin yes)",
				"medium sshd accepts passwords (PasswordAuthentication yes)",
				"medium sshd offers weak ciphers: aes256-cbc",
				"medium sshd offers weak hostkeyalgorithms: ssh-rsa",
				"medium sshd offers weak kexalgorithms: diffie-hellman-group1-sha1",
				"medium sshd offers weak macs: hmac-md5",
			}},
		"strict": {config: "PermitRootLogin no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n" +
			"Ciphers chacha20-poly1305@openssh.com,aes256-gcm@openssh.com\nMACs hmac-sha2-512-etm@openssh.com\n" +
			"KexAlgorithms curve25519-sha256\nHostKeyAlgorithms ssh-ed25519\n"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			b := newBox(t, metrics.Thresholds{}, metrics.FakeOptions{})
			b.write(t, "/etc/ssh/sshd_config", tt.config, 0o644)
			wrapper := "#!/bin/sh\nexec " + sshd + " \"$@\"\n"
			if err := os.WriteFile(filepath.Join(b.root, "bin", "sshd"), []byte(wrapper), 0o755); err != nil {
				t.Fatal(err)
			}
			facts, err := b.p.InspectHost(ctx(t), target)
			if err != nil {
				t.Fatal(err)
			}
			if facts.SSHDEffective == "" {
				t.Fatal("sshd -T printed nothing")
			}
			checkSSHDFindings(t, facts, tt.want)
		})
	}
}

// TestInspectHostSSH runs the script over SSH on a real sshd on
// 127.0.0.1: this machine's listening sockets include the test sshd's.
func TestInspectHostSSH(t *testing.T) {
	srv := sshtest.Start(t)
	facts, err := sshNAS(srv.Config()).InspectHost(ctx(t), target)
	if err != nil {
		t.Fatal(err)
	}
	ls, ok := security.ParseListeners(facts)
	if !ok || !slices.ContainsFunc(ls, func(l security.Listener) bool { return l.Port == srv.Port }) {
		t.Fatalf("listeners %v (ok %v), want the test sshd's port %d", ls, ok, srv.Port)
	}
	if _, ok := security.ParseSSHD(facts); !ok {
		t.Errorf("no sshd configuration read: %+v", facts)
	}
}

// checkSSHDFindings audits facts' sshd configuration and compares the
// findings, "severity summary" sorted, with want's prefixes.
func checkSSHDFindings(t *testing.T, facts providers.HostFacts, want []string) {
	t.Helper()
	var got []string
	for _, f := range security.AuditSSHD("security:nas/office", facts).Findings {
		got = append(got, string(f.Severity)+" "+f.Summary)
	}
	slices.Sort(got)
	if len(got) != len(want) {
		t.Fatalf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for i := range got {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("finding %q, want prefix %q", got[i], want[i])
		}
	}
}
