package restic

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/lagrieta/itlag/providers/nas/remote/sshtest"
)

// TestIntegrationSFTP uses a repository on a real OpenSSH sshd over SFTP,
// through the ssh command SFTPCommand builds, with the host key pinned in
// a known_hosts file. The key sits in a directory whose name holds a space
// and a quote, the known_hosts file in one with a space, so restic and ssh
// must split the command as quoted.
func TestIntegrationSFTP(t *testing.T) {
	t.Parallel()
	bin := realRestic(t)
	srv := sshtest.Start(t)

	keys := filepath.Join(t.TempDir(), "ssh keys it's")
	hosts := filepath.Join(t.TempDir(), "known hosts")
	for _, d := range []string{keys, hosts} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	key := filepath.Join(keys, "id_ed25519")
	b, err := os.ReadFile(srv.UserKeyFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(key, b, 0o600); err != nil {
		t.Fatal(err)
	}
	knownHosts := filepath.Join(hosts, "known_hosts")
	if err := os.WriteFile(knownHosts, []byte(srv.HostKeyLine+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd, err := NewSFTPCommand(srv.User, "127.0.0.1", srv.Port, key, knownHosts)
	if err != nil {
		t.Fatal(err)
	}
	repoDir := filepath.Join(t.TempDir(), "sftp-repo")
	repo := Repo{
		URL:         fmt.Sprintf("sftp:%s@127.0.0.1:%s", srv.User, repoDir),
		Password:    itPassword,
		SFTPCommand: cmd,
	}
	r := &Runner{Bin: bin, CacheDir: t.TempDir()}
	ctx := context.Background()

	if err := r.Init(ctx, repo); err != nil {
		t.Fatalf("init over sftp: %v", err)
	}
	if _, err := os.Stat(filepath.Join(repoDir, "config")); err != nil {
		t.Fatalf("init over sftp wrote no config: %v", err)
	}
	fastKey(t, bin, repoDir, itPassword) // the sshd is local: the files are too

	src := sourceTree(t)
	sum, err := r.Backup(ctx, repo, []string{src}, BackupOptions{Tags: []string{"offsite"}})
	if err != nil {
		t.Fatalf("backup over sftp: %v", err)
	}
	snaps, err := r.Snapshots(ctx, repo, "offsite")
	if err != nil {
		t.Fatalf("snapshots over sftp: %v", err)
	}
	if len(snaps) != 1 || !strings.HasPrefix(snaps[0].ID, sum.SnapshotID) {
		t.Errorf("snapshots over sftp: %+v, want the one of %s", snaps, sum.SnapshotID)
	}
	if !strings.Contains(srv.Logs(), "Accepted publickey for "+srv.User) {
		t.Errorf("sshd logged no key login:\n%s", srv.Logs())
	}

	// Another host key pinned: ssh refuses the server before logging in,
	// restic fails. (restic 0.14 passes on ssh's "Host key verification
	// failed." only when it reads it before exiting: not asserted.)
	accepted := strings.Count(srv.Logs(), "Accepted publickey")
	other := sshtest.GenerateKey(t, filepath.Join(keys, "other_host_key"))
	line := fmt.Sprintf("[127.0.0.1]:%d %s", srv.Port, strings.TrimSpace(string(ssh.MarshalAuthorizedKey(other))))
	if err := os.WriteFile(knownHosts, []byte(line+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = r.Snapshots(ctx, repo)
	if err == nil {
		t.Fatal("snapshots with another host key pinned succeeded")
	}
	if errors.Is(err, ErrWrongPassword) || errors.Is(err, ErrNoRepository) {
		t.Errorf("host key mismatch reported as %v", err)
	}
	if n := strings.Count(srv.Logs(), "Accepted publickey"); n != accepted {
		t.Errorf("ssh logged in despite the host key mismatch:\n%s", srv.Logs())
	}
	t.Logf("with another host key pinned: %v", err)
}
