package alert

import (
	"strings"
	"testing"
)

// TestSendRaw: a whole message (a report) goes through the same SMTP
// conversation as alerts: STARTTLS, AUTH over TLS only, every recipient.
func TestSendRaw(t *testing.T) {
	srvTLS, clientTLS := testCert(t, "mail.example.org")
	srv := startSMTP(t, &smtpServer{TLS: srvTLS, User: "u", Pass: "p4ss-w0rd"})
	e := &Email{Host: "mail.example.org", Port: 587, From: "itlag@example.org", To: []string{"ceo@example.org", "it@example.org"},
		Username: "u", Password: "p4ss-w0rd", StartTLS: true}
	raw := "Subject: IT report 2026-W49\r\nContent-Type: text/html\r\n\r\n<h1>report</h1>\r\n"
	if err := SendRaw(t.Context(), dialTo(srv.Addr), clientTLS, e, []byte(raw)); err != nil {
		t.Fatal(err)
	}
	ms := srv.Mails()
	if len(ms) != 1 || !ms[0].TLS || ms[0].AuthUser != "u" || len(ms[0].To) != 2 || !strings.Contains(ms[0].Data, "<h1>report</h1>") {
		t.Fatalf("mails %+v", ms)
	}
	// a server without STARTTLS, which the route requires: refused, the password nowhere
	plain := startSMTP(t, &smtpServer{User: "u", Pass: "p4ss-w0rd"})
	err := SendRaw(t.Context(), dialTo(plain.Addr), clientTLS, e, []byte(raw))
	if err == nil || strings.Contains(err.Error(), "p4ss-w0rd") || len(plain.Mails()) != 0 {
		t.Fatalf("send without TLS: %v (%d mails)", err, len(plain.Mails()))
	}
}
