package dovecottest

import (
	"bufio"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Server is a Dovecot 2.3 IMAP server of its own, for one test: listening
// on 127.0.0.1 only, with a static password for every user name and a
// maildir per user under Dir/mail.
type Server struct {
	// Addr is the implicit-TLS listener ("127.0.0.1:PORT", the 993 role);
	// StartTLSAddr is the plain listener that offers STARTTLS (the 143
	// role).
	Addr, StartTLSAddr string
	// Pool holds the test CA that signed the server's certificate (for
	// 127.0.0.1 and localhost).
	Pool *x509.CertPool
	// CAFile is that CA as a PEM file (for a state's ca_file).
	CAFile string
	// User and Password log in (any user name works with the password;
	// each name has its own mailbox).
	User, Password string
	// Dir holds the configuration, the log (dovecot.log) and the mail.
	Dir string

	conf string
	cmd  *exec.Cmd
	done chan error
}

// Options change the server's configuration.
type Options struct {
	// Capability, when set, replaces the capabilities Dovecot announces
	// after login (imap_capability), e.g. to take away MOVE or IDLE.
	Capability string
}

// Start starts a Dovecot for t and stops it (waiting for it to exit) when
// t ends. It skips t when Dovecot is not installed, unless $CI is set:
// then it fails.
func Start(t testing.TB) *Server { return StartWith(t, Options{}) }

// StartWith is Start with options.
func StartWith(t testing.TB, o Options) *Server {
	t.Helper()
	bin, err := exec.LookPath("dovecot")
	if err != nil {
		bin = "/usr/sbin/dovecot"
	}
	if _, err := os.Stat(bin); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("dovecot not installed (dovecot-imapd)")
		}
		t.Skip("dovecot not installed (dovecot-imapd)")
	}
	dir := t.TempDir()
	// the mail processes run as nobody: they need +x on the way down
	// (t.TempDir and its parent are 0700)
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	ca, err := NewCA("itlag dovecottest CA")
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile, err := ca.WriteServerCert(dir)
	if err != nil {
		t.Fatal(err)
	}
	var pw [8]byte
	if _, err := rand.Read(pw[:]); err != nil {
		t.Fatal(err)
	}
	s := &Server{
		Addr:         "127.0.0.1:" + strconv.Itoa(freePort(t)),
		StartTLSAddr: "127.0.0.1:" + strconv.Itoa(freePort(t)),
		Pool:         ca.Pool,
		CAFile:       filepath.Join(dir, "ca.pem"),
		User:         "itlag",
		Password:     "pw-" + hex.EncodeToString(pw[:]),
		Dir:          dir,
		conf:         filepath.Join(dir, "dovecot.conf"),
	}
	if err := os.WriteFile(s.CAFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Cert.Raw}), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "mail"), 0o755); err != nil {
		t.Fatal(err)
	}
	s.chownMail(t)
	if err := os.WriteFile(s.conf, []byte(s.config(certFile, keyFile, o)), 0o644); err != nil {
		t.Fatal(err)
	}
	s.start(t)
	t.Cleanup(func() { s.stop(t) })
	return s
}

// freePort is a loopback port free a moment ago.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// config is dovecot.conf: as root, the mail runs as nobody; as another
// user, everything runs as that user (Dovecot's HowTo/Rootless).
func (s *Server) config(certFile, keyFile string, o Options) string {
	_, tlsPort, _ := net.SplitHostPort(s.Addr)
	_, plainPort, _ := net.SplitHostPort(s.StartTLSAddr)
	var b strings.Builder
	fmt.Fprintf(&b, `protocols = imap
listen = 127.0.0.1
base_dir = %[1]s/run
state_dir = %[1]s/state
log_path = %[1]s/dovecot.log
ssl = yes
ssl_cert = <%[2]s
ssl_key = <%[3]s
auth_mechanisms = plain login
mail_location = maildir:%[1]s/mail/%%u/Maildir
passdb {
  driver = static
  args = password=%[4]s
}
service imap-login {
  inet_listener imap {
    port = %[5]s
  }
  inet_listener imaps {
    port = %[6]s
    ssl = yes
  }
%[7]s}
protocol imap {
  mail_max_userip_connections = 100
}
`, s.Dir, certFile, keyFile, s.Password, plainPort, tlsPort, chroot())
	if os.Geteuid() == 0 {
		fmt.Fprintf(&b, "userdb {\n  driver = static\n  args = uid=nobody gid=nogroup home=%s/mail/%%u\n}\n", s.Dir)
	} else {
		u, _ := user.Current()
		name := "nobody"
		if u != nil {
			name = u.Username
		}
		fmt.Fprintf(&b, "default_internal_user = %[1]s\ndefault_login_user = %[1]s\ndefault_internal_group = %[2]s\n", name, groupName())
		fmt.Fprintf(&b, "service anvil {\n  chroot =\n}\nuserdb {\n  driver = static\n  args = home=%s/mail/%%u\n}\n", s.Dir)
	}
	if o.Capability != "" {
		fmt.Fprintf(&b, "imap_capability = %s\n", o.Capability)
	}
	return b.String()
}

func chroot() string {
	if os.Geteuid() == 0 {
		return ""
	}
	return "  chroot =\n"
}

func groupName() string {
	if g, err := user.LookupGroupId(strconv.Itoa(os.Getegid())); err == nil {
		return g.Name
	}
	return "nogroup"
}

// start runs dovecot in the foreground and waits until the TLS listener
// greets.
func (s *Server) start(t testing.TB) {
	t.Helper()
	cmd := exec.Command("dovecot", "-F", "-c", s.conf)
	if _, err := exec.LookPath("dovecot"); err != nil {
		cmd = exec.Command("/usr/sbin/dovecot", "-F", "-c", s.conf)
	}
	out, err := os.Create(filepath.Join(s.Dir, "dovecot.out"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start dovecot: %v", err)
	}
	s.cmd, s.done = cmd, make(chan error, 1)
	go func() { s.done <- cmd.Wait() }()

	deadline := time.Now().Add(30 * time.Second)
	for {
		if s.greets() {
			return
		}
		select {
		case err := <-s.done:
			s.done <- err
			t.Fatalf("dovecot exited: %v\n%s", err, s.logs())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("dovecot did not answer on %s within 30 s\n%s", s.Addr, s.logs())
		}
		time.Sleep(10 * time.Millisecond) // a readiness poll, not a synchronisation
	}
}

// greets says whether the TLS listener answers with a greeting.
func (s *Server) greets() bool {
	d := &net.Dialer{Timeout: time.Second}
	c, err := tls.DialWithDialer(d, "tcp", s.Addr, &tls.Config{RootCAs: s.Pool, ServerName: "127.0.0.1"})
	if err != nil {
		return false
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	return err == nil && strings.HasPrefix(line, "* OK")
}

// stop sends SIGTERM and waits for dovecot to exit (a new one refuses to
// start while the old master.pid's process lives).
func (s *Server) stop(t testing.TB) {
	t.Helper()
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
		t.Errorf("dovecot did not stop on SIGTERM within 30 s")
	}
	s.cmd = nil
}

// logs is Dovecot's log and output, for failure messages.
func (s *Server) logs() string {
	log, _ := os.ReadFile(filepath.Join(s.Dir, "dovecot.log"))
	out, _ := os.ReadFile(filepath.Join(s.Dir, "dovecot.out"))
	return string(log) + string(out)
}
