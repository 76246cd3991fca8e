package alert

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/smtp"
	"strconv"
	"strings"
	"time"
)

// DialFunc opens the connection to an SMTP server at addr (host:port).
type DialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// smtpTimeout bounds one conversation when ctx has no deadline.
const smtpTimeout = 30 * time.Second

// sendMail delivers m over SMTP. tlsConf (may be nil) is cloned, with
// ServerName set to e.Host. Errors never hold the password.
func sendMail(ctx context.Context, dial DialFunc, tlsConf *tls.Config, e *Email, m Message, id string) error {
	return SendRaw(ctx, dial, tlsConf, e, compose(e, m, id))
}

// SendRaw delivers data, a whole RFC 5322 message, over SMTP to e's
// recipients, with the same rules as alerts: STARTTLS when offered (and
// required when e says so), credentials only over TLS or to loopback, a
// deadline (ctx's, else 30 s). Errors never hold the password.
func SendRaw(ctx context.Context, dial DialFunc, tlsConf *tls.Config, e *Email, data []byte) error {
	err := converse(ctx, dial, tlsConf, e, data)
	if err == nil {
		return nil
	}
	return fmt.Errorf("email %s:%d: %s", e.Host, e.Port, scrub(err.Error(), e))
}

func converse(ctx context.Context, dial DialFunc, tlsConf *tls.Config, e *Email, data []byte) error {
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	conn, err := dial(ctx, "tcp", net.JoinHostPort(e.Host, strconv.Itoa(e.Port)))
	if err != nil {
		return err
	}
	defer conn.Close()
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(smtpTimeout)
	}
	conn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	c, err := smtp.NewClient(conn, e.Host)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Hello("localhost"); err != nil {
		return fmt.Errorf("ehlo: %w", err)
	}
	encrypted := false
	if ok, _ := c.Extension("STARTTLS"); ok {
		conf := &tls.Config{}
		if tlsConf != nil {
			conf = tlsConf.Clone()
		}
		conf.ServerName = e.Host
		if conf.MinVersion == 0 {
			conf.MinVersion = tls.VersionTLS12
		}
		if err := c.StartTLS(conf); err != nil {
			return fmt.Errorf("starttls: %w", err)
		}
		encrypted = true
	} else if e.StartTLS {
		return errors.New("the server does not offer STARTTLS, which the route requires")
	}
	if e.Username != "" {
		if !encrypted && !isLoopback(e.Host) {
			return errors.New("refusing to send credentials without TLS to a host that is not loopback")
		}
		if ok, params := c.Extension("AUTH"); !ok || !hasWord(params, "PLAIN") {
			return errors.New("the server does not offer AUTH PLAIN")
		}
		if err := c.Auth(plainAuth{user: e.Username, pass: e.Password}); err != nil {
			// the username comes from a credential reference like the
			// password: neither is named
			return fmt.Errorf("auth: %w", err)
		}
	}
	if err := c.Mail(e.From); err != nil {
		return fmt.Errorf("mail from: %w", err)
	}
	for _, to := range e.To {
		if err := c.Rcpt(to); err != nil {
			return fmt.Errorf("rcpt to %s: %w", to, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("data: %w", err)
	}
	if _, err := w.Write(data); err != nil {
		return fmt.Errorf("data: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("data: %w", err)
	}
	return c.Quit()
}

// plainAuth is AUTH PLAIN (RFC 4616). Unlike smtp.PlainAuth it trusts the
// caller's check for TLS or loopback (converse makes it, by address, not
// by the name "localhost" only).
type plainAuth struct{ user, pass string }

func (a plainAuth) Start(*smtp.ServerInfo) (string, []byte, error) {
	return "PLAIN", []byte("\x00" + a.user + "\x00" + a.pass), nil
}

func (a plainAuth) Next(_ []byte, more bool) ([]byte, error) {
	if more {
		return nil, errors.New("unexpected server challenge")
	}
	return nil, nil
}

// scrub removes the password, and the AUTH PLAIN encoding that carries it,
// from s (a server may echo what it was sent).
func scrub(s string, e *Email) string {
	if e.Password == "" {
		return s
	}
	blob := "\x00" + e.Username + "\x00" + e.Password
	for _, secret := range []string{
		base64.StdEncoding.EncodeToString([]byte(blob)),
		base64.RawStdEncoding.EncodeToString([]byte(blob)),
		e.Password,
	} {
		s = strings.ReplaceAll(s, secret, "[redacted]")
	}
	return s
}

func hasWord(list, w string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, w) {
			return true
		}
	}
	return false
}

// compose is the RFC 5322 message: headers, a blank line, the body with
// CRLF line ends (net/smtp dot-stuffs it).
func compose(e *Email, m Message, id string) []byte {
	var b strings.Builder
	h := func(k, v string) { b.WriteString(k + ": " + oneLine(v) + "\r\n") }
	h("From", e.From)
	h("To", strings.Join(e.To, ", "))
	h("Subject", mime.QEncoding.Encode("utf-8", m.Subject()))
	h("Date", m.At.UTC().Format(time.RFC1123Z))
	h("Message-ID", "<"+id+"@itlag>")
	h("MIME-Version", "1.0")
	h("Content-Type", "text/plain; charset=utf-8")
	h("Content-Transfer-Encoding", "8bit")
	h("X-Itlag-Fingerprint", m.Fingerprint)
	h("X-Itlag-Status", m.Kind.status())
	b.WriteString("\r\n")
	body := strings.ReplaceAll(m.Body(), "\r\n", "\n")
	b.WriteString(strings.ReplaceAll(body, "\n", "\r\n"))
	return []byte(b.String())
}
