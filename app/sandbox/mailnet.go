package sandbox

import (
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net"
	"sync"

	"github.com/emersion/go-imap/backend"
	"github.com/emersion/go-imap/server"
)

// maxMailLiteral bounds an APPENDed message (and any literal a client
// sends): go-imap reads literals whole into memory.
const maxMailLiteral = 64 << 20

// mailFake is the IMAP server of the sandbox: one go-imap server on two
// loopback listeners, implicit TLS (the :993 targets) and plain with
// STARTTLS (the :143 targets), with LOGINDISABLED before TLS.
type mailFake struct {
	srv *server.Server
	b   *mailBackend
	ln  *mergedListener
	// tlsAddr and plainAddr are the listeners' 127.0.0.1:PORT.
	tlsAddr, plainAddr string
	once               sync.Once
}

// startMail opens dir (DIR/mailbox, seeded with seeds on first use) and
// serves it to logins, with leaves of c for the names dialled.
func startMail(dir string, c *ca, seeds func() [][]byte, logins map[string]string) (*mailFake, error) {
	store, err := openMailStore(dir, seeds)
	if err != nil {
		return nil, err
	}
	tl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("sandbox: mailbox: %w", err)
	}
	pl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tl.Close()
		return nil, fmt.Errorf("sandbox: mailbox: %w", err)
	}
	cfg := &tls.Config{GetCertificate: c.getCertificate, MinVersion: tls.VersionTLS12}
	m := &mailFake{
		b:       &mailBackend{store: store, logins: logins, updates: make(chan backend.Update, 16), done: make(chan struct{})},
		tlsAddr: tl.Addr().String(), plainAddr: pl.Addr().String(),
	}
	m.ln = mergeListeners(tls.NewListener(tl, cfg), pl)
	m.srv = server.New(m.b)
	m.srv.TLSConfig = cfg
	m.srv.AllowInsecureAuth = false
	m.srv.AutoLogout = server.MinAutoLogout
	m.srv.MaxLiteralSize = maxMailLiteral
	m.srv.ErrorLog = log.New(io.Discard, "", 0) // a client gone mid-command is no news
	m.srv.Enable(mailExt{})
	go m.srv.Serve(m.ln)
	return m, nil
}

// close stops the listeners and the connections. The go-imap server's
// goroutine that broadcasts updates outlives it (go-imap v1 never stops
// it), idle on the backend's channel.
func (m *mailFake) close() {
	m.once.Do(func() {
		close(m.b.done)
		m.ln.Close()
		m.srv.Close()
	})
}

// mergedListener accepts from several listeners: one go-imap server
// serves both the TLS and the STARTTLS port (a server's Serve may be
// called once when its backend sends updates).
type mergedListener struct {
	ls    []net.Listener
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func mergeListeners(ls ...net.Listener) *mergedListener {
	m := &mergedListener{ls: ls, conns: make(chan net.Conn), done: make(chan struct{})}
	for _, l := range ls {
		go func() {
			for {
				c, err := l.Accept()
				if err != nil {
					return
				}
				select {
				case m.conns <- c:
				case <-m.done:
					c.Close()
					return
				}
			}
		}()
	}
	return m
}

func (m *mergedListener) Accept() (net.Conn, error) {
	select {
	case c := <-m.conns:
		return c, nil
	case <-m.done:
		return nil, net.ErrClosed
	}
}

func (m *mergedListener) Close() error {
	m.once.Do(func() {
		close(m.done)
		for _, l := range m.ls {
			l.Close()
		}
	})
	return nil
}

func (m *mergedListener) Addr() net.Addr { return m.ls[0].Addr() }
