// Package sshtest starts a real OpenSSH sshd on 127.0.0.1 for tests: fresh
// host and user keys in a temporary directory, key authentication only, the
// internal SFTP server, logging in as the current user.
//
// When /usr/sbin/sshd (or sshd on PATH) is missing the test is skipped, or
// fails when the environment variable CI is set: CI must run these tests.
// Run as root, sshd needs its privilege separation directory /run/sshd,
// which Start creates when missing.
package sshtest

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/lagrieta/itlag/providers/nas/remote"
)

// Server is a running sshd. It is stopped when the test ends.
type Server struct {
	// Addr is "127.0.0.1:port".
	Addr string
	Port int
	// HostKeyLine is the host key as a known_hosts line
	// ("[127.0.0.1]:port ssh-ed25519 AAAA…").
	HostKeyLine string
	// HostKeyFingerprint is "SHA256:…".
	HostKeyFingerprint string
	// UserKeyFile is an authorized private key (OpenSSH format, ed25519,
	// no passphrase).
	UserKeyFile string
	// User is the account to log in as: the current user.
	User string
	// Dir is the server's temporary directory (keys, config, pid file).
	Dir string

	cmd  *exec.Cmd
	done chan struct{}
	logs *syncBuffer
	stop sync.Once
}

// Config is a remote.SSHConfig that logs in to s with its user key and the
// host key pinned.
func (s *Server) Config() remote.SSHConfig {
	return remote.SSHConfig{
		Host:    "127.0.0.1",
		Port:    s.Port,
		User:    s.User,
		KeyFile: s.UserKeyFile,
		HostKey: s.HostKeyLine,
		Timeout: 10 * time.Second,
	}
}

// Logs is what sshd has logged so far ("Accepted publickey for …").
func (s *Server) Logs() string { return s.logs.String() }

// Stop kills sshd and its per-connection children (by process id) and waits for it; the port then
// refuses connections. Stop is called when the test ends.
func (s *Server) Stop() {
	s.stop.Do(func() {
		// The per-connection sshd processes leave sshd's session (setsid):
		// find them by parent id, before their parent dies.
		for _, pid := range descendants(s.cmd.Process.Pid) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		_ = s.cmd.Process.Kill()
		<-s.done
	})
}

// Start starts sshd on a free port of 127.0.0.1.
func Start(t testing.TB) *Server {
	t.Helper()
	sshd := findSSHD()
	if sshd == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("sshtest: sshd not found (install openssh-server); required when CI is set")
		}
		t.Skip("sshtest: sshd not found (install openssh-server)")
	}
	if os.Geteuid() == 0 {
		// sshd run by root insists on its privilege separation directory.
		if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
			t.Fatalf("sshtest: sshd needs /run/sshd: %v", err)
		}
	}
	u, err := user.Current()
	if err != nil {
		t.Fatalf("sshtest: current user: %v", err)
	}
	dir := t.TempDir()
	hostPub := GenerateKey(t, filepath.Join(dir, "host_ed25519"))
	userPub := GenerateKey(t, filepath.Join(dir, "user_ed25519"))
	if err := os.WriteFile(filepath.Join(dir, "authorized_keys"), ssh.MarshalAuthorizedKey(userPub), 0o600); err != nil {
		t.Fatal(err)
	}

	writeFakeApt(t, filepath.Join(dir, "bin"))
	if err := os.MkdirAll(filepath.Join(dir, "home"), 0o700); err != nil {
		t.Fatal(err)
	}

	var lastLogs string
	for attempt := 0; attempt < 5; attempt++ {
		port := freePort(t)
		s := &Server{
			Addr:               net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
			Port:               port,
			HostKeyLine:        fmt.Sprintf("[127.0.0.1]:%d %s", port, strings.TrimSpace(string(ssh.MarshalAuthorizedKey(hostPub)))),
			HostKeyFingerprint: ssh.FingerprintSHA256(hostPub),
			UserKeyFile:        filepath.Join(dir, "user_ed25519"),
			User:               u.Username,
			Dir:                dir,
			done:               make(chan struct{}),
			logs:               &syncBuffer{},
		}
		cfg := filepath.Join(dir, "sshd_config")
		if err := os.WriteFile(cfg, []byte(config(sshd, dir, port)), 0o600); err != nil {
			t.Fatal(err)
		}
		s.cmd = exec.Command(sshd, "-D", "-e", "-f", cfg)
		s.cmd.Stdout, s.cmd.Stderr = s.logs, s.logs
		s.cmd.WaitDelay = time.Second
		if err := s.cmd.Start(); err != nil {
			t.Fatalf("sshtest: start %s: %v", sshd, err)
		}
		go func() { _ = s.cmd.Wait(); close(s.done) }()
		if s.waitListening() {
			t.Cleanup(func() {
				s.Stop()
				if t.Failed() {
					t.Logf("sshd logs:\n%s", s.Logs())
				}
			})
			return s
		}
		s.Stop()
		lastLogs = s.Logs()
		if !strings.Contains(lastLogs, "in use") {
			break
		}
	}
	t.Fatalf("sshtest: sshd did not start:\n%s", lastLogs)
	return nil
}

// waitListening waits for sshd's "Server listening" line; false when it
// exited (a port taken meanwhile, a bad config) or took over 10 s.
func (s *Server) waitListening() bool {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(s.logs.String(), "Server listening on") {
			return true
		}
		select {
		case <-s.done:
			return false
		case <-time.After(10 * time.Millisecond):
		}
	}
	return false
}

func config(sshd, dir string, port int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Port %d\nListenAddress 127.0.0.1\n", port)
	fmt.Fprintf(&b, "HostKey %s\n", filepath.Join(dir, "host_ed25519"))
	fmt.Fprintf(&b, "PidFile %s\n", filepath.Join(dir, "sshd.pid"))
	fmt.Fprintf(&b, "AuthorizedKeysFile %s\n", filepath.Join(dir, "authorized_keys"))
	// The sessions find a stand-in apt first on PATH: the real one takes
	// 4 to 12 s a call on a Debian machine and answers what this machine
	// needs, not what a test declares (the pending-updates parsing has
	// its own table tests in ops/security).
	fmt.Fprintf(&b, "SetEnv PATH=%s:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=%s\n", filepath.Join(dir, "bin"), filepath.Join(dir, "home"))
	b.WriteString(`PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
UsePAM no
StrictModes no
MaxSessions 10
LogLevel INFO
Subsystem sftp internal-sftp
`)
	if supportsPenalties(sshd, dir) {
		// OpenSSH 9.8+ would otherwise penalise 127.0.0.1 after the tests'
		// refused logins.
		b.WriteString("PerSourcePenalties no\n")
	}
	return b.String()
}

var penalties struct {
	once sync.Once
	ok   bool
}

// supportsPenalties asks sshd -t whether it knows PerSourcePenalties.
func supportsPenalties(sshd, dir string) bool {
	penalties.once.Do(func() {
		probe := filepath.Join(dir, "probe_config")
		cfg := fmt.Sprintf("HostKey %s\nPerSourcePenalties no\n", filepath.Join(dir, "host_ed25519"))
		if os.WriteFile(probe, []byte(cfg), 0o600) != nil {
			return
		}
		defer os.Remove(probe)
		penalties.ok = exec.Command(sshd, "-t", "-f", probe).Run() == nil
	})
	return penalties.ok
}

// descendants lists the process ids below pid, read from /proc (Linux).
func descendants(pid int) []int {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	children := map[int][]int{}
	for _, st := range stats {
		data, err := os.ReadFile(st)
		if err != nil {
			continue
		}
		// "pid (comm) state ppid …"; comm may hold spaces and parentheses.
		i := bytes.LastIndexByte(data, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(data[i+1:]))
		if len(f) < 2 {
			continue
		}
		child, _ := strconv.Atoi(filepath.Base(filepath.Dir(st)))
		ppid, _ := strconv.Atoi(f[1])
		children[ppid] = append(children[ppid], child)
	}
	var out []int
	queue := []int{pid}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, c := range children[p] {
			out = append(out, c)
			queue = append(queue, c)
		}
	}
	return out
}

func findSSHD() string {
	if _, err := os.Stat("/usr/sbin/sshd"); err == nil {
		return "/usr/sbin/sshd"
	}
	if p, err := exec.LookPath("sshd"); err == nil {
		return p
	}
	return ""
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("sshtest: free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// GenerateKey writes a new ed25519 private key (OpenSSH format, no
// passphrase, mode 0600) to path and returns its public key.
func GenerateKey(t testing.TB, path string) ssh.PublicKey {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKey(priv, "itlag-test")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	sp, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Available reports whether an sshd binary is installed, for callers that
// run some tests without it (testscript conditions).
func Available() bool { return findSSHD() != "" }

// writeFakeApt writes apt and apt-get stand-ins into dir that answer at
// once with no pending update.
func writeFakeApt(t testing.TB, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{
		"apt":     "#!/bin/sh\n[ \"$1\" = list ] && echo 'Listing... Done'\nexit 0\n",
		"apt-get": "#!/bin/sh\nexit 0\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}
