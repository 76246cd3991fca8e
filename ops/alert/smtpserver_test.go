package alert

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"
)

// mail is one message the test server accepted.
type mail struct {
	From     string
	To       []string
	Data     string
	TLS      bool   // sent after STARTTLS
	AuthUser string // "" = no AUTH
}

// smtpServer is a minimal SMTP server on loopback: EHLO, STARTTLS (when
// TLS is set), AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT.
type smtpServer struct {
	Addr string
	TLS  *tls.Config // nil: no STARTTLS offered
	User string      // AUTH PLAIN credentials; "" = AUTH not offered
	Pass string
	// RejectAuth answers every AUTH with 535, echoing what it got.
	RejectAuth bool

	ln       net.Listener
	mu       sync.Mutex
	mails    []mail
	authSeen int // AUTH commands received
	wg       sync.WaitGroup
}

func startSMTP(t *testing.T, s *smtpServer) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.ln, s.Addr = ln, ln.Addr().String()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Add(1)
			go func() { defer s.wg.Done(); s.serve(c) }()
		}
	}()
	t.Cleanup(func() { ln.Close(); s.wg.Wait() })
	return s
}

func (s *smtpServer) Mails() []mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]mail(nil), s.mails...)
}

func (s *smtpServer) AuthSeen() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.authSeen
}

func (s *smtpServer) serve(c net.Conn) {
	defer func() { c.Close() }()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	tp := textproto.NewConn(c)
	isTLS := false
	var cur mail
	auth := ""
	reply := func(line string) bool { return tp.PrintfLine("%s", line) == nil }
	if !reply("220 test.local ESMTP") {
		return
	}
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO":
			lines := []string{"250-test.local"}
			if s.TLS != nil && !isTLS {
				lines = append(lines, "250-STARTTLS")
			}
			if s.User != "" {
				lines = append(lines, "250-AUTH PLAIN")
			}
			lines = append(lines, "250 8BITMIME")
			for _, l := range lines {
				reply(l)
			}
		case "STARTTLS":
			if s.TLS == nil || isTLS {
				reply("502 no")
				continue
			}
			reply("220 go ahead")
			tc := tls.Server(c, s.TLS)
			if tc.Handshake() != nil {
				return
			}
			c, isTLS, cur, auth = tc, true, mail{}, ""
			tp = textproto.NewConn(tc)
		case "AUTH":
			s.mu.Lock()
			s.authSeen++
			s.mu.Unlock()
			mech, resp, _ := strings.Cut(arg, " ")
			if s.RejectAuth {
				reply("535 authentication failed for " + resp)
				continue
			}
			b, err := base64.StdEncoding.DecodeString(resp)
			parts := strings.Split(string(b), "\x00")
			if !strings.EqualFold(mech, "PLAIN") || err != nil || len(parts) != 3 || parts[1] != s.User || parts[2] != s.Pass {
				reply("535 authentication failed")
				continue
			}
			auth = parts[1]
			reply("235 ok")
		case "MAIL":
			if s.User != "" && auth == "" {
				reply("530 authentication required")
				continue
			}
			cur = mail{From: addr(arg), TLS: isTLS, AuthUser: auth}
			reply("250 ok")
		case "RCPT":
			cur.To = append(cur.To, addr(arg))
			reply("250 ok")
		case "DATA":
			reply("354 go ahead")
			b, err := tp.ReadDotBytes()
			if err != nil {
				return
			}
			cur.Data = string(b)
			s.mu.Lock()
			s.mails = append(s.mails, cur)
			s.mu.Unlock()
			cur = mail{From: "", TLS: isTLS, AuthUser: auth}
			reply("250 queued")
		case "RSET", "NOOP":
			reply("250 ok")
		case "QUIT":
			reply("221 bye")
			return
		default:
			reply("500 unknown command")
		}
	}
}

// addr takes the address out of "FROM:<a@b> BODY=8BITMIME".
func addr(arg string) string {
	_, rest, _ := strings.Cut(arg, "<")
	a, _, _ := strings.Cut(rest, ">")
	return a
}

// testCert makes a self-signed certificate for host and a client
// configuration that trusts it.
func testCert(t *testing.T, host string) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: host},
		DNSNames:              []string{host},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}},
		&tls.Config{RootCAs: pool}
}

// dialTo sends every SMTP dial to addr, whatever host the route names.
func dialTo(addr string) DialFunc {
	return func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
}
