package inbox

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-imap/client"
	"github.com/emersion/go-sasl"
)

// DefaultTimeout bounds each command when Account.Timeout is zero.
const DefaultTimeout = 60 * time.Second

// ErrNoStartTLS is returned for a TLSStartTLS account whose server does
// not offer STARTTLS: itlag never logs in in plain text.
var ErrNoStartTLS = errors.New("server does not offer STARTTLS: refusing to log in in plain text")

// session is one logged-in connection.
type session struct {
	c    *client.Client
	w    *wire
	a    Account
	conn net.Conn // the TCP connection, closed last
	// updates is drained by a goroutine until quit closes; onUpdate, when
	// set, sees each update.
	quit     chan struct{}
	drained  chan struct{}
	stopCtx  func() bool
	onUpdate func(client.Update)
}

// withDefaults fills the zero fields of a that have a default.
func (a Account) withDefaults() Account {
	if len(a.Folders) == 0 {
		a.Folders = []string{"INBOX"}
	}
	if a.Timeout <= 0 {
		a.Timeout = DefaultTimeout
	}
	if a.MaxMessageBytes <= 0 {
		a.MaxMessageBytes = DefaultMaxMessageBytes
	}
	return a
}

// addr is "host:port".
func (a Account) addr() string { return net.JoinHostPort(a.Host, strconv.Itoa(a.Port)) }

// dial connects, secures the connection and logs in. onUpdate, if not
// nil, is called (from another goroutine) with each unilateral update.
func dial(ctx context.Context, a Account, onUpdate func(client.Update)) (*session, error) {
	if a.TLS != TLSImplicit && a.TLS != TLSStartTLS {
		return nil, fmt.Errorf("TLS mode %q: want %q or %q", a.TLS, TLSImplicit, TLSStartTLS)
	}
	dialFn := a.Dial
	if dialFn == nil {
		dialFn = (&net.Dialer{}).DialContext
	}
	dctx, cancel := context.WithTimeout(ctx, a.Timeout)
	defer cancel()
	conn, err := dialFn(dctx, "tcp", a.addr())
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", a.addr(), err)
	}
	// ctx ends every command: the blocked read or write fails
	stopCtx := context.AfterFunc(ctx, func() { conn.Close() })
	fail := func(err error) (*session, error) {
		stopCtx()
		conn.Close()
		if ctx.Err() != nil {
			err = fmt.Errorf("%w (%v)", ctx.Err(), err)
		}
		return nil, err
	}
	conn.SetDeadline(time.Now().Add(a.Timeout)) // greeting and handshake
	cfg := &tls.Config{ServerName: a.Host, RootCAs: a.RootCAs, MinVersion: tls.VersionTLS12}
	w := &wire{maxLiteral: a.MaxMessageBytes + 64<<10}
	switch a.TLS {
	case TLSImplicit:
		tc := tls.Client(conn, cfg)
		if err := tc.HandshakeContext(dctx); err != nil {
			return fail(fmt.Errorf("TLS with %s: %w", a.addr(), err))
		}
		w.Conn = tc
	case TLSStartTLS:
		tc, n, err := startTLS(dctx, conn, cfg)
		if err != nil {
			return fail(fmt.Errorf("STARTTLS with %s: %w", a.addr(), err))
		}
		w.Conn, w.greeting = tc, []byte("* OK itlag: TLS is on\r\n")
		w.tagged.Add(int64(n))
	}
	c, err := client.New(w)
	if err != nil {
		return fail(fmt.Errorf("greeting from %s: %w", a.addr(), err))
	}
	c.ErrorLog = log.New(io.Discard, "", 0)
	updates := make(chan client.Update, 256)
	c.Updates = updates
	c.Timeout = a.Timeout
	s := &session{c: c, w: w, a: a, conn: conn, quit: make(chan struct{}), drained: make(chan struct{}), stopCtx: stopCtx, onUpdate: onUpdate}
	go s.drain(updates)
	if err := s.login(); err != nil {
		s.close()
		if ctx.Err() != nil {
			err = fmt.Errorf("%w (%v)", ctx.Err(), err)
		}
		return nil, err
	}
	return s, nil
}

// drain reads the client's updates (an unread channel blocks the client).
func (s *session) drain(updates <-chan client.Update) {
	defer close(s.drained)
	for {
		select {
		case u := <-updates:
			if s.onUpdate != nil {
				s.onUpdate(u)
			}
		case <-s.quit:
			return
		}
	}
}

// login authenticates with AUTHENTICATE PLAIN when offered, else LOGIN
// (unless LOGINDISABLED). The password never appears in an error.
func (s *session) login() error {
	a := s.a
	where := fmt.Sprintf("log in as %s at %s", a.Username, a.addr())
	plain, err := s.c.SupportAuth(sasl.Plain)
	if err != nil {
		return redact(fmt.Errorf("%s: capabilities: %w", where, err), a.Password)
	}
	if plain {
		err = s.c.Authenticate(sasl.NewPlainClient("", a.Username, a.Password))
	} else if disabled, _ := s.c.Support("LOGINDISABLED"); disabled {
		return fmt.Errorf("%s: the server offers neither AUTH=PLAIN nor LOGIN (LOGINDISABLED)", where)
	} else {
		err = s.c.Login(a.Username, a.Password)
	}
	if err == nil {
		return nil
	}
	select {
	case <-s.c.LoggedOut():
		return redact(fmt.Errorf("%s: %w", where, err), a.Password)
	default: // the server answered NO (or BAD)
		return redact(fmt.Errorf("%s: authentication failed: %w", where, err), a.Password)
	}
}

// close logs out (bounded by the command timeout) and releases the
// connection.
func (s *session) close() {
	select {
	case <-s.c.LoggedOut():
	default:
		s.c.Logout()
	}
	s.conn.Close()
	s.stopCtx()
	close(s.quit)
	<-s.drained
}

// commands is how many commands the server answered on this connection.
func (s *session) commands() int { return int(s.w.tagged.Load()) }

// redact replaces secret in err's text (a server that echoes it must not
// put it in a log); err is returned as is when it does not hold it.
func redact(err error, secret string) error {
	if err == nil || secret == "" || !strings.Contains(err.Error(), secret) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), secret, "[password]"))
}
