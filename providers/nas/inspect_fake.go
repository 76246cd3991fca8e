package nas

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/lagrieta/itlag/providers/nas/remote"
)

// FakeSSHDEffective is what a fake NAS's sshd -T prints: a DSM-like sshd
// that still accepts passwords and offers a CBC cipher and an SHA-1 MAC.
const FakeSSHDEffective = `port 22
permitrootlogin prohibit-password
passwordauthentication yes
kbdinteractiveauthentication no
usepam yes
ciphers chacha20-poly1305@openssh.com,aes128-ctr,aes256-gcm@openssh.com,aes128-cbc
macs hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha1
kexalgorithms sntrup761x25519-sha512@openssh.com,curve25519-sha256
hostkeyalgorithms ssh-ed25519,rsa-sha2-512,rsa-sha2-256
`

// fakeSSHD is a fake NAS's bin/sshd: "sshd -T -f CONFIG" prints
// FakeSSHDEffective with what the drop-ins beside CONFIG
// (sshd_config.d/*.conf, read in order, the first value of a keyword
// winning as in sshd) set instead, so that a managed drop-in applied by
// itlag shows in the next audit as it would on a real NAS.
var fakeSSHD = "#!/bin/sh\n# itlag fake NAS: sshd -T prints its effective configuration.\n" +
	"[ \"$1\" = -T ] || exit 1\n" +
	"d=$(dirname \"${3:-/etc/ssh/sshd_config}\")/sshd_config.d\n" +
	"cat \"$d\"/*.conf 2>/dev/null | awk -v canned=" + remote.ShellQuote(FakeSSHDEffective) + ` '
{ sub(/^[ \t]+/, ""); if ($0 == "" || $0 ~ /^#/) next
  n = split($0, f, /[ \t=]+/); k = tolower(f[1]); if (n < 2 || k in set) next
  v = f[2]; for (i = 3; i <= n; i++) v = v " " f[i]; set[k] = v; order[++m] = k }
END { n = split(canned, line, "\n")
  for (i = 1; i <= n; i++) { if (line[i] == "") continue; split(line[i], f, " ")
    if (f[1] in set) { print f[1] " " set[f[1]]; done[f[1]] = 1 } else print line[i] }
  for (i = 1; i <= m; i++) if (!(order[i] in done)) print order[i] " " set[order[i]] }'
`

// FakeListening is what a fake NAS's ss -ltn prints: ssh, SMB, DSM's
// web ports, rsync, and PostgreSQL on loopback.
const FakeListening = `State  Recv-Q Send-Q Local Address:Port  Peer Address:Port Process
LISTEN 0      128          0.0.0.0:22        0.0.0.0:*
LISTEN 0      50           0.0.0.0:445       0.0.0.0:*
LISTEN 0      128          0.0.0.0:5000      0.0.0.0:*
LISTEN 0      128          0.0.0.0:5001      0.0.0.0:*
LISTEN 0      64           0.0.0.0:873       0.0.0.0:*
LISTEN 0      128        127.0.0.1:5432      0.0.0.0:*
`

// FakeHostOptions shape the facts WriteFakeHost's NAS reports.
type FakeHostOptions struct {
	// SecurityUpdates and OtherUpdates are the pending updates its
	// apt-get offers (from Debian-Security, and from the stable suite).
	SecurityUpdates, OtherUpdates int
}

// WriteFakeHost adds to a fake NAS root (metrics.WriteFakeRoot) what
// inspectScript reads: bin/sshd printing FakeSSHDEffective for -T,
// etc/ssh/sshd_config saying the same, bin/ss printing FakeListening,
// and bin/apt-get simulating an upgrade with o's pending updates ("Inst"
// lines). A root that has bin/ss already is left alone.
func WriteFakeHost(root string, o FakeHostOptions) error {
	if _, err := os.Lstat(filepath.Join(root, "bin", "ss")); err == nil {
		return nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("nas: fake host: %w", err)
	}
	files := map[string]string{
		"bin/sshd": fakeSSHD,
		"bin/ss":   "#!/bin/sh\n# itlag fake NAS: canned output.\nprintf '%s' " + remote.ShellQuote(FakeListening) + "\n",
		"bin/apt-get": "#!/bin/sh\n# itlag fake NAS: apt-get -s upgrade's canned output.\nprintf '%s' " + remote.ShellQuote(
			strings.Repeat("Inst libssl3 [3.0.11] (3.0.15 Debian-Security:12/stable-security [amd64])\n", o.SecurityUpdates)+
				strings.Repeat("Inst tzdata [2024a-0+deb12u1] (2025b-0+deb12u1 Debian:12.11/stable [all])\n", o.OtherUpdates)) + "\n",
		"etc/ssh/sshd_config": "# DSM-like sshd_config (itlag fake NAS)\nPermitRootLogin prohibit-password\nPasswordAuthentication yes\n" +
			"KbdInteractiveAuthentication no\nUsePAM yes\nCiphers chacha20-poly1305@openssh.com,aes128-ctr,aes256-gcm@openssh.com,aes128-cbc\n",
	}
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("nas: fake host: %w", err)
		}
		mode := os.FileMode(0o644)
		if filepath.Dir(name) == "bin" {
			mode = 0o755
		}
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			return fmt.Errorf("nas: fake host: %w", err)
		}
	}
	return nil
}
