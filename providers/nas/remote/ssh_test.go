package remote_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"

	"github.com/lagrieta/itlag/providers/nas/remote"
	"github.com/lagrieta/itlag/providers/nas/remote/sshtest"
)

func dial(t *testing.T, cfg remote.SSHConfig) *remote.SSH {
	t.Helper()
	c, err := remote.DialSSH(context.Background(), cfg)
	if err != nil {
		t.Fatalf("DialSSH: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestSSHRun(t *testing.T) {
	srv := sshtest.Start(t)
	c := dial(t, srv.Config())
	tests := []struct {
		name, cmd   string
		stdin       []byte
		out, errOut string
		code        int
	}{
		{"echo", "echo hello", nil, "hello\n", "", 0},
		{"exit code and stderr", "echo oops >&2; exit 3", nil, "", "oops\n", 3},
		{"stdin", "tr a-z A-Z", []byte("over ssh"), "OVER SSH", "", 0},
		{"empty stdin", "wc -c < /dev/stdin | tr -d ' '", []byte{}, "0\n", "", 0},
		{"quotes survive", `printf '%s|' "it's" 'a "b"'`, nil, `it's|a "b"|`, "", 0},
		{"sh semantics", `x=1; [ "$x" = 1 ] && echo "$0"`, nil, "sh\n", "", 0},
		{"ITLAG_ROOT empty", `echo "[${ITLAG_ROOT}]"`, nil, "[]\n", "", 0},
		{"killed by signal", "kill -TERM $$", nil, "", "", 128 + 15},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := c.Run(context.Background(), tt.cmd, tt.stdin)
			if err != nil {
				t.Fatal(err)
			}
			if string(res.Stdout) != tt.out || string(res.Stderr) != tt.errOut || res.ExitCode != tt.code {
				t.Errorf("got out %q err %q code %d, want %q %q %d",
					res.Stdout, res.Stderr, res.ExitCode, tt.out, tt.errOut, tt.code)
			}
		})
	}
	// Logged by now (the pipe from sshd is read asynchronously).
	if !strings.Contains(srv.Logs(), "Accepted publickey for "+srv.User) {
		t.Errorf("sshd did not log the key login:\n%s", srv.Logs())
	}
}

// More concurrent commands than sshd's MaxSessions (10) on one connection:
// the session limit queues them instead of failing.
func TestSSHRunConcurrent(t *testing.T) {
	srv := sshtest.Start(t)
	c := dial(t, srv.Config())
	var wg sync.WaitGroup
	errs := make([]error, 12)
	for i := range errs {
		wg.Go(func() {
			res, err := c.Run(context.Background(), fmt.Sprintf("sleep 0.05; echo %d", i), nil)
			if err == nil && string(res.Stdout) != fmt.Sprintf("%d\n", i) {
				err = fmt.Errorf("run %d printed %q", i, res.Stdout)
			}
			errs[i] = err
		})
	}
	wg.Go(func() { // files on the same connection meanwhile
		_, _, err := c.ReadFile(context.Background(), srv.Dir+"/authorized_keys")
		if err != nil {
			errs[0] = errors.Join(errs[0], err)
		}
	})
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
}

func TestSSHRunCancelled(t *testing.T) {
	srv := sshtest.Start(t)
	c := dial(t, srv.Config())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Cancel once the command runs (it says so with a file), not after a
	// time: under load a sleep cancelled before the session even started.
	started := filepath.Join(t.TempDir(), "started")
	ran := make(chan struct{})
	go func() {
		for {
			select {
			case <-ran:
				return
			default:
			}
			if _, err := os.Stat(started); err == nil {
				cancel()
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	_, err := c.Run(ctx, "touch '"+started+"' && sleep 30", nil)
	close(ran)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	// The connection still works.
	if res, err := c.Run(context.Background(), "echo ok", nil); err != nil || string(res.Stdout) != "ok\n" {
		t.Errorf("after cancel: %q %v", res.Stdout, err)
	}
}

func TestSSHFiles(t *testing.T) {
	srv := sshtest.Start(t)
	c := dial(t, srv.Config())
	ctx := context.Background()
	dir := t.TempDir()
	p := filepath.Join(dir, "crontab")

	if _, _, err := c.ReadFile(ctx, p); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing file: err = %v, want fs.ErrNotExist", err)
	}
	if err := c.WriteFile(ctx, p, []byte("v1\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p + remote.PrevSuffix); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a previous version was kept for a new file: %v", err)
	}
	st1, _ := os.Stat(p)
	if err := c.WriteFile(ctx, p, []byte("v2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	data, mode, err := c.ReadFile(ctx, p)
	if err != nil || string(data) != "v2\n" || mode != 0o600 {
		t.Errorf("ReadFile = %q %v %v, want v2 0600", data, mode, err)
	}
	prev, pmode, err := c.ReadFile(ctx, p+remote.PrevSuffix)
	if err != nil || string(prev) != "v1\n" || pmode != 0o640 {
		t.Errorf("previous = %q %v %v, want v1 0640", prev, pmode, err)
	}
	// Replaced by a rename: a new inode, not the old file rewritten.
	if st2, _ := os.Stat(p); os.SameFile(st1, st2) {
		t.Error("file rewritten in place, not renamed over")
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got := strings.Join(names, " "); got != "crontab crontab"+remote.PrevSuffix {
		t.Errorf("dir holds %q: temporary files left behind?", got)
	}
	// A third write keeps only the latest previous version.
	if err := c.WriteFile(ctx, p, []byte("v3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if prev, _, _ := c.ReadFile(ctx, p+remote.PrevSuffix); string(prev) != "v2\n" {
		t.Errorf("previous after third write = %q, want v2", prev)
	}
	if err := c.WriteFile(ctx, "relative/path", []byte("x"), 0o644); err == nil {
		t.Error("relative path accepted")
	}
}

// Keys from an agent at SSH_AUTH_SOCK (an in-process one here).
func TestSSHAgent(t *testing.T) {
	srv := sshtest.Start(t)
	pemBytes, err := os.ReadFile(srv.UserKeyFile)
	if err != nil {
		t.Fatal(err)
	}
	priv, err := ssh.ParseRawPrivateKey(pemBytes)
	if err != nil {
		t.Fatal(err)
	}
	keyring := agent.NewKeyring()
	if err := keyring.Add(agent.AddedKey{PrivateKey: priv}); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(t.TempDir(), "agent.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			go func() { _ = agent.ServeAgent(keyring, conn); conn.Close() }()
		}
	}()
	t.Setenv("SSH_AUTH_SOCK", sock)
	cfg := srv.Config()
	cfg.KeyFile, cfg.UseAgent = "", true
	c := dial(t, cfg)
	if res, err := c.Run(context.Background(), "echo agent", nil); err != nil || string(res.Stdout) != "agent\n" {
		t.Errorf("run: %q %v", res.Stdout, err)
	}
}

func TestSSHFingerprintPin(t *testing.T) {
	srv := sshtest.Start(t)
	cfg := srv.Config()
	cfg.HostKey = srv.HostKeyFingerprint
	c := dial(t, cfg)
	if res, err := c.Run(context.Background(), "echo pinned", nil); err != nil || string(res.Stdout) != "pinned\n" {
		t.Errorf("run: %q %v", res.Stdout, err)
	}
}

func TestSSHHostKeyMismatch(t *testing.T) {
	srv := sshtest.Start(t)
	other := sshtest.GenerateKey(t, filepath.Join(t.TempDir(), "other"))
	marker := filepath.Join(t.TempDir(), "ran")
	for name, pin := range map[string]string{
		"key line":    "[127.0.0.1]:1 " + strings.TrimSpace(string(ssh.MarshalAuthorizedKey(other))),
		"fingerprint": ssh.FingerprintSHA256(other),
	} {
		t.Run(name, func(t *testing.T) {
			cfg := srv.Config()
			cfg.HostKey = pin
			c, err := remote.DialSSH(context.Background(), cfg)
			if err == nil {
				c.Run(context.Background(), "touch "+marker, nil)
				c.Close()
				t.Fatal("connected despite a different pinned key")
			}
			if !errors.Is(err, remote.ErrHostKeyMismatch) || errors.Is(err, remote.ErrUnreachable) {
				t.Fatalf("err = %v, want ErrHostKeyMismatch only", err)
			}
			for _, want := range []string{srv.HostKeyFingerprint, ssh.FingerprintSHA256(other)} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not show %s", err, want)
				}
			}
		})
	}
	if strings.Contains(srv.Logs(), "Accepted publickey") {
		t.Errorf("the client authenticated to a mismatched host:\n%s", srv.Logs())
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("a command ran on the mismatched host")
	}
}

func TestSSHConfigErrors(t *testing.T) {
	srv := sshtest.Start(t)
	wrongKey := filepath.Join(t.TempDir(), "wrong")
	sshtest.GenerateKey(t, wrongKey)
	tests := []struct {
		name   string
		edit   func(*remote.SSHConfig)
		is     error
		wants  []string
		notIs  []error
		absent string
	}{
		{"wrong user key", func(c *remote.SSHConfig) { c.KeyFile = wrongKey },
			remote.ErrAuthRefused, []string{srv.User, wrongKey}, []error{remote.ErrUnreachable}, ""},
		{"malformed pin", func(c *remote.SSHConfig) { c.HostKey = "SHA256:nope" },
			nil, []string{"host key pin"}, []error{remote.ErrUnreachable, remote.ErrHostKeyMismatch}, ""},
		{"no pin", func(c *remote.SSHConfig) { c.HostKey = "" },
			nil, []string{"no host key pinned"}, []error{remote.ErrUnreachable}, ""},
		{"missing key file", func(c *remote.SSHConfig) { c.KeyFile = wrongKey + ".missing" },
			fs.ErrNotExist, []string{"key file"}, []error{remote.ErrUnreachable}, ""},
		{"no key at all", func(c *remote.SSHConfig) { c.KeyFile = "" },
			nil, []string{"no key"}, []error{remote.ErrUnreachable}, ""},
		{"agent without socket", func(c *remote.SSHConfig) { c.KeyFile = ""; c.UseAgent = true },
			nil, []string{"SSH_AUTH_SOCK"}, []error{remote.ErrUnreachable}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "agent without socket" {
				t.Setenv("SSH_AUTH_SOCK", "")
			}
			cfg := srv.Config()
			tt.edit(&cfg)
			c, err := remote.DialSSH(context.Background(), cfg)
			if err == nil {
				c.Close()
				t.Fatal("DialSSH succeeded")
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("err = %v, want it to wrap %v", err, tt.is)
			}
			for _, n := range tt.notIs {
				if errors.Is(err, n) {
					t.Errorf("err = %v wraps %v", err, n)
				}
			}
			for _, w := range tt.wants {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

func TestSSHUnreachable(t *testing.T) {
	// A port nobody listens on: refused at once.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedPort := l.Addr().(*net.TCPAddr).Port
	l.Close()
	// A port that accepts but never speaks SSH: the handshake times out.
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	go func() {
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	key := filepath.Join(t.TempDir(), "key")
	pub := sshtest.GenerateKey(t, key)
	for name, port := range map[string]int{"closed port": closedPort, "silent port": silent.Addr().(*net.TCPAddr).Port} {
		t.Run(name, func(t *testing.T) {
			cfg := remote.SSHConfig{Host: "127.0.0.1", Port: port, User: "nobody", KeyFile: key,
				HostKey: ssh.FingerprintSHA256(pub), Timeout: 300 * time.Millisecond}
			_, err := remote.DialSSH(context.Background(), cfg)
			if !errors.Is(err, remote.ErrUnreachable) {
				t.Fatalf("err = %v, want ErrUnreachable", err)
			}
		})
	}
}

// The provider may stop a host mid-way: commands then fail as unreachable.
func TestSSHServerGone(t *testing.T) {
	srv := sshtest.Start(t)
	c := dial(t, srv.Config())
	srv.Stop()
	if _, err := c.Run(context.Background(), "true", nil); !errors.Is(err, remote.ErrUnreachable) {
		t.Errorf("Run after the server stopped: err = %v, want ErrUnreachable", err)
	}
}
