package remote

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
)

// errKeyRead ends the handshake once the host key is read.
var errKeyRead = errors.New("host key read")

// ScanHostKey connects once to host:port and returns the host key the
// server presents, preferring ed25519, then ecdsa, then rsa. The key is
// accepted for this one connection only to read it: the handshake is cut
// at the host key check, before any authentication, and nothing runs. The
// connection has a deadline (timeout, default 10 s) and ends with ctx.
func ScanHostKey(ctx context.Context, host string, port int, timeout time.Duration) (ssh.PublicKey, error) {
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	addr := net.JoinHostPort(host, strconv.Itoa(port))
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("ssh %s: %w: %w", addr, ErrUnreachable, err)
	}
	defer conn.Close()
	deadline, _ := ctx.Deadline()
	_ = conn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	var key ssh.PublicKey
	cfg := &ssh.ClientConfig{
		User: "itlag-pin",
		HostKeyCallback: func(_ string, _ net.Addr, k ssh.PublicKey) error {
			key = k
			return errKeyRead
		},
		HostKeyAlgorithms: []string{ssh.KeyAlgoED25519, ssh.KeyAlgoECDSA256, ssh.KeyAlgoECDSA384, ssh.KeyAlgoECDSA521,
			ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256},
		Timeout: timeout,
	}
	_, _, _, err = ssh.NewClientConn(conn, addr, cfg)
	if key != nil {
		return key, nil
	}
	if ctx.Err() != nil {
		return nil, fmt.Errorf("ssh %s: %w: %w", addr, ErrUnreachable, ctx.Err())
	}
	return nil, fmt.Errorf("ssh %s: %w: no host key presented: %w", addr, ErrUnreachable, err)
}

// KeyLine is key as an authorized_keys style line: "ssh-ed25519 AAAA…".
func KeyLine(key ssh.PublicKey) string {
	return strings.TrimRight(string(ssh.MarshalAuthorizedKey(key)), "\r\n")
}
