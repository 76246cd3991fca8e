package remote

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

// ErrAuthRefused is wrapped when the host refused every key offered: the
// key is not in the user's authorized_keys, or the user may not log in.
var ErrAuthRefused = errors.New("authentication refused")

// SSHConfig says how to reach a NAS over SSH. Authentication is by key
// only: never a password, never keyboard-interactive.
type SSHConfig struct {
	Host string
	// Port defaults to 22.
	Port int
	User string
	// KeyFile is the private key's path: OpenSSH or PEM format, ed25519,
	// rsa or ecdsa, without a passphrase (use UseAgent for those).
	KeyFile string
	// UseAgent also offers the keys of the agent at SSH_AUTH_SOCK.
	UseAgent bool
	// HostKey is the pin: a known_hosts line ("host ssh-ed25519 AAAA…"), a
	// key line ("ssh-ed25519 AAAA…") or a fingerprint ("SHA256:…"). It is
	// required: there is no trust on first use.
	HostKey string
	// Timeout bounds dialing plus the SSH handshake; default 10 s.
	Timeout time.Duration
	// MaxSessions bounds concurrent Run calls on the connection; default
	// 6 (OpenSSH allows 10 sessions per connection, SFTP takes one, and
	// sshd counts a closed session until it has reaped its child: a
	// session opened at once after another one closes may still find the
	// server full, "no more sessions").
	MaxSessions int
}

func (c SSHConfig) addr() string {
	port := c.Port
	if port == 0 {
		port = 22
	}
	return net.JoinHostPort(c.Host, strconv.Itoa(port))
}

// SSH is a Transport over one SSH connection: each Run is a session on it,
// files go over one SFTP channel opened on first use. It is safe for
// concurrent use.
type SSH struct {
	client *ssh.Client
	where  string // "user@host:port", for errors
	sem    chan struct{}

	mu   sync.Mutex
	sftp *sftp.Client

	// afterTempWrite, when set (tests), is called with a temporary file's
	// path once the data is in it, before its chmod and rename.
	afterTempWrite func(tmp string)
}

var _ Transport = (*SSH)(nil)

// DialSSH connects and authenticates to cfg.Host, accepting only the host
// key pinned in cfg.HostKey. Errors wrap ErrUnreachable (dial, timeout,
// handshake), ErrHostKeyMismatch (another key presented: nothing is sent)
// or ErrAuthRefused (every key refused); a bad configuration (no pin, a
// malformed pin, an unreadable key file) wraps none of them.
func DialSSH(ctx context.Context, cfg SSHConfig) (*SSH, error) {
	where := cfg.User + "@" + cfg.addr()
	if cfg.Host == "" || cfg.User == "" {
		return nil, fmt.Errorf("ssh %s: host and user are required", where)
	}
	if strings.TrimSpace(cfg.HostKey) == "" {
		return nil, fmt.Errorf("ssh %s: no host key pinned (pin the NAS's key line or its SHA256 fingerprint)", where)
	}
	pin, err := ParsePin(cfg.HostKey)
	if err != nil {
		return nil, fmt.Errorf("ssh %s: %w", where, err)
	}
	signers, closeAgent, err := loadSigners(cfg)
	if err != nil {
		return nil, fmt.Errorf("ssh %s: %w", where, err)
	}
	defer closeAgent()

	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	mismatch := make(chan error, 1) // the callback runs in the handshake's goroutine
	check := pin.HostKeyCallback()
	clientCfg := &ssh.ClientConfig{
		User: cfg.User,
		Auth: []ssh.AuthMethod{ssh.PublicKeys(signers...)},
		HostKeyCallback: func(host string, remote net.Addr, key ssh.PublicKey) error {
			if err := check(host, remote, key); err != nil {
				select {
				case mismatch <- err:
				default:
				}
				return err
			}
			return nil
		},
		HostKeyAlgorithms: pin.hostKeyAlgorithms(),
		Timeout:           timeout,
	}

	d := net.Dialer{Timeout: timeout}
	conn, err := d.DialContext(ctx, "tcp", cfg.addr())
	if err != nil {
		return nil, fmt.Errorf("ssh %s: %w: %w", where, ErrUnreachable, err)
	}
	_ = conn.SetDeadline(time.Now().Add(timeout))
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	c, chans, reqs, err := ssh.NewClientConn(conn, cfg.addr(), clientCfg)
	stopped := stop()
	if err == nil && !stopped {
		c.Close()
		return nil, fmt.Errorf("ssh %s: %w: %w", where, ErrUnreachable, ctx.Err())
	}
	if err != nil {
		conn.Close()
		var mm error
		select {
		case mm = <-mismatch:
		default:
		}
		switch {
		case mm != nil:
			return nil, fmt.Errorf("ssh %s: %w", where, mm)
		case strings.Contains(err.Error(), "unable to authenticate"):
			return nil, fmt.Errorf("ssh %s: %w: user %q with %s (is its public key in that user's authorized_keys?)",
				where, ErrAuthRefused, cfg.User, keyNames(cfg))
		case !stopped && ctx.Err() != nil:
			return nil, fmt.Errorf("ssh %s: %w: %w", where, ErrUnreachable, ctx.Err())
		}
		return nil, fmt.Errorf("ssh %s: %w: %w", where, ErrUnreachable, err)
	}
	_ = conn.SetDeadline(time.Time{})

	maxSess := cfg.MaxSessions
	if maxSess <= 0 {
		maxSess = 6
	}
	return &SSH{
		client: ssh.NewClient(c, chans, reqs),
		where:  where,
		sem:    make(chan struct{}, maxSess),
	}, nil
}

// keyNames says which keys were offered, for the auth error: paths and
// "the agent", never key material.
func keyNames(cfg SSHConfig) string {
	var names []string
	if cfg.KeyFile != "" {
		names = append(names, "key file "+cfg.KeyFile)
	}
	if cfg.UseAgent {
		names = append(names, "the agent's keys")
	}
	return strings.Join(names, " and ")
}

// loadSigners reads the key file and asks the agent, before any network
// traffic, so that a bad key is a configuration error.
func loadSigners(cfg SSHConfig) ([]ssh.Signer, func(), error) {
	noop := func() {}
	var signers []ssh.Signer
	if cfg.KeyFile != "" {
		pem, err := os.ReadFile(cfg.KeyFile)
		if err != nil {
			return nil, noop, fmt.Errorf("key file: %w", err)
		}
		s, err := ssh.ParsePrivateKey(pem)
		var missing *ssh.PassphraseMissingError
		switch {
		case errors.As(err, &missing):
			return nil, noop, fmt.Errorf("key file %s is passphrase-protected: load it into an agent and set UseAgent", cfg.KeyFile)
		case err != nil:
			return nil, noop, fmt.Errorf("key file %s: %w", cfg.KeyFile, err)
		}
		signers = append(signers, s)
	}
	closeAgent := noop
	if cfg.UseAgent {
		sock := os.Getenv("SSH_AUTH_SOCK")
		if sock == "" {
			return nil, noop, errors.New("UseAgent is set but SSH_AUTH_SOCK is not")
		}
		conn, err := net.Dial("unix", sock)
		if err != nil {
			return nil, noop, fmt.Errorf("agent at SSH_AUTH_SOCK: %w", err)
		}
		as, err := agent.NewClient(conn).Signers()
		if err != nil {
			conn.Close()
			return nil, noop, fmt.Errorf("agent at SSH_AUTH_SOCK: list keys: %w", err)
		}
		signers = append(signers, as...)
		closeAgent = func() { conn.Close() }
	}
	if len(signers) == 0 {
		closeAgent()
		return nil, noop, errors.New("no key: set KeyFile or UseAgent (passwords are never used)")
	}
	return signers, closeAgent, nil
}

// Run runs cmd with "sh -c" in a new session (whatever the user's login
// shell), feeding stdin when not nil. At most MaxSessions run at once; the
// others wait. Cancelling ctx sends the command SIGKILL, closes its session
// and returns at once, without its output.
func (c *SSH) Run(ctx context.Context, cmd string, stdin []byte) (Result, error) {
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return Result{}, fmt.Errorf("ssh %s: run: %w", c.where, ctx.Err())
	}
	sess, err := c.newSession(ctx)
	if err != nil {
		<-c.sem
		return Result{}, fmt.Errorf("ssh %s: run: open session: %w: %w", c.where, ErrUnreachable, err)
	}
	var stdout, stderr bytes.Buffer
	sess.Stdout, sess.Stderr = &stdout, &stderr
	if stdin != nil {
		sess.Stdin = bytes.NewReader(stdin)
	}
	done := make(chan error, 1)
	go func() {
		// The session keeps its slot until the host closes it, even when
		// Run returned early on cancellation.
		defer func() { <-c.sem }()
		defer sess.Close()
		done <- sess.Run("sh -c " + ShellQuote(cmd))
	}()
	select {
	case err = <-done:
	case <-ctx.Done():
		// Kill the command and close the session without waiting: a child
		// that keeps the output open would hold the session until it ends.
		_ = sess.Signal(ssh.SIGKILL)
		sess.Close()
		return Result{ExitCode: -1}, fmt.Errorf("ssh %s: run: %w", c.where, ctx.Err())
	}
	res := Result{Stdout: stdout.Bytes(), Stderr: stderr.Bytes()}
	var exit *ssh.ExitError
	var missing *ssh.ExitMissingError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		res.ExitCode = exit.ExitStatus()
		if exit.Signal() != "" {
			res.ExitCode = signalExit(exit.Signal())
		}
	case errors.As(err, &missing):
		return res, fmt.Errorf("ssh %s: run: no exit status (connection lost?): %w: %w", c.where, ErrUnreachable, err)
	default:
		return res, fmt.Errorf("ssh %s: run: %w", c.where, err)
	}
	return res, nil
}

// signalExit is the shell's code for a command killed by a signal: 128+n.
func signalExit(sig string) int {
	n := map[string]int{"HUP": 1, "INT": 2, "QUIT": 3, "ILL": 4, "ABRT": 6, "FPE": 8, "KILL": 9,
		"SEGV": 11, "PIPE": 13, "ALRM": 14, "TERM": 15, "USR1": 10, "USR2": 12}[strings.TrimPrefix(sig, "SIG")]
	if n == 0 {
		return 255
	}
	return 128 + n
}

// ShellQuote quotes s as one word for a POSIX shell.
func ShellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Close ends the SFTP channel and the connection.
func (c *SSH) Close() error {
	c.mu.Lock()
	if c.sftp != nil {
		_ = c.sftp.Close()
		c.sftp = nil
	}
	c.mu.Unlock()
	if err := c.client.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
		return fmt.Errorf("ssh %s: close: %w", c.where, err)
	}
	return nil
}

// newSession opens a session; a refusal to open it ("no more sessions":
// sshd still counts sessions that closed but are not reaped yet) is
// tried again a few times, a little later each time, while ctx lasts.
func (c *SSH) newSession(ctx context.Context) (*ssh.Session, error) {
	for attempt := 1; ; attempt++ {
		sess, err := c.client.NewSession()
		var refused *ssh.OpenChannelError
		if err == nil || !errors.As(err, &refused) || attempt == 5 {
			return sess, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(time.Duration(attempt) * 50 * time.Millisecond):
		}
	}
}
