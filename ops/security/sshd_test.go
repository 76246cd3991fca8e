package security

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/providers"
)

func TestAuditSSHD(t *testing.T) {
	const strictT = "permitrootlogin no\npasswordauthentication no\nkbdinteractiveauthentication no\nusepam yes\n" +
		"ciphers chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes256-ctr\n" +
		"macs hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com\n" +
		"kexalgorithms sntrup761x25519-sha512@openssh.com,curve25519-sha256\n" +
		"hostkeyalgorithms ssh-ed25519,rsa-sha2-512\n"
	tests := []struct {
		name  string
		facts providers.HostFacts
		want  []string
	}{
		{name: "strict, from sshd -T", facts: providers.HostFacts{SSHDEffective: strictT}},
		{name: "weak, from sshd -T", facts: providers.HostFacts{SSHDEffective: "permitrootlogin yes\npasswordauthentication yes\n" +
			"kbdinteractiveauthentication yes\nusepam yes\nciphers aes128-cbc,aes256-ctr,3des-cbc\nmacs hmac-sha1,hmac-sha2-256-etm@openssh.com,umac-64@openssh.com\n" +
			"kexalgorithms diffie-hellman-group14-sha1,curve25519-sha256\nhostkeyalgorithms ssh-ed25519,ssh-rsa\n"},
			want: []string{
				"high sshd lets root log in with a password (PermitRootLogin yes)",
				"medium sshd accepts passwords (PasswordAuthentication yes, KbdInteractiveAuthentication yes with UsePAM yes)",
				"medium sshd offers weak ciphers: aes128-cbc, 3des-cbc",
				"medium sshd offers weak hostkeyalgorithms: ssh-rsa",
				"medium sshd offers weak kexalgorithms: diffie-hellman-group14-sha1",
				"medium sshd offers weak macs: hmac-sha1, umac-64@openssh.com",
			}},
		{name: "root with a key only is low", facts: providers.HostFacts{SSHDEffective: strings.Replace(strictT, "permitrootlogin no", "permitrootlogin without-password", 1)},
			want: []string{"low sshd lets root log in with a key (PermitRootLogin without-password)"}},
		{name: "files: defaults where unset, first value wins, Include spliced in place, Match ignored",
			facts: providers.HostFacts{SSHDFiles: []providers.ConfigFile{
				{Path: "/etc/ssh/sshd_config", Content: "# Debian\nInclude /etc/ssh/sshd_config.d/*.conf\nPasswordAuthentication yes\nUsePAM yes\nMatch User backup\n  PermitRootLogin yes\n"},
				{Path: "/etc/ssh/sshd_config.d/50-itlag.conf", Include: "/etc/ssh/sshd_config.d/*.conf", Content: "PasswordAuthentication no\nKbdInteractiveAuthentication=no\n"},
			}},
			want: []string{"low sshd lets root log in with a key (PermitRootLogin prohibit-password)"}},
		{name: "files: a relative Include is under /etc/ssh",
			facts: providers.HostFacts{SSHDFiles: []providers.ConfigFile{
				{Path: "/etc/ssh/sshd_config", Content: "Include extra.conf\nPermitRootLogin no\n"},
				{Path: "/etc/ssh/extra.conf", Include: "/etc/ssh/extra.conf", Content: "PermitRootLogin yes\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"},
			}},
			want: []string{"high sshd lets root log in with a password (PermitRootLogin yes)"}},
		{name: "nothing readable is unknown", facts: providers.HostFacts{},
			want: []string{"low the sshd configuration could not be read"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := AuditSSHD("security:nas/office", tt.facts)
			checkPrefixes(t, keys(r), tt.want)
		})
	}
}

// checkPrefixes compares sorted findings with the sorted prefixes wanted.
func checkPrefixes(t *testing.T, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("findings:\n%s\nwant %d like:\n%s", strings.Join(got, "\n"), len(want), strings.Join(want, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("finding %d = %q, want prefix %q", i, got[i], want[i])
		}
	}
}

// TestAuditSSHDRealSSHD parses what OpenSSH's own sshd -T prints for a
// weak and a strict configuration file.
func TestAuditSSHDRealSSHD(t *testing.T) {
	sshd, err := exec.LookPath("sshd")
	if err != nil {
		sshd = "/usr/sbin/sshd"
	}
	if _, err := os.Stat(sshd); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("sshd not installed (openssh-server)")
		}
		t.Skip("sshd not installed (openssh-server)")
	}
	dir := t.TempDir()
	configs := map[string]string{
		"weak.conf": "PermitRootLogin yes\nPasswordAuthentication yes\nCiphers aes128-cbc,aes256-ctr\n" +
			"MACs hmac-sha1,hmac-sha2-256-etm@openssh.com\nKexAlgorithms diffie-hellman-group14-sha1,curve25519-sha256\n",
		"strict.conf": "PermitRootLogin no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n" +
			"Ciphers chacha20-poly1305@openssh.com,aes256-gcm@openssh.com\nMACs hmac-sha2-256-etm@openssh.com\n" +
			"KexAlgorithms curve25519-sha256\nHostKeyAlgorithms ssh-ed25519,rsa-sha2-512\n",
	}
	want := map[string][]string{
		"weak.conf": {
			"high sshd lets root log in with a password (PermitRootLogin yes)",
			"medium sshd accepts passwords (PasswordAuthentication yes)",
			"medium sshd offers weak ciphers: aes128-cbc",
			"medium sshd offers weak kexalgorithms: diffie-hellman-group14-sha1",
			"medium sshd offers weak macs: hmac-sha1",
		},
		"strict.conf": nil,
	}
	for name, conf := range configs {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(dir, name)
			if err := os.WriteFile(p, []byte(conf), 0o600); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(sshd, "-T", "-f", p).Output()
			if err != nil {
				t.Fatalf("sshd -T -f %s: %v", p, err)
			}
			checkPrefixes(t, keys(AuditSSHD("security:nas/office", providers.HostFacts{SSHDEffective: string(out)})), want[name])
		})
	}
}
