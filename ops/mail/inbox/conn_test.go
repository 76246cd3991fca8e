package inbox_test

import (
	"bufio"
	"context"
	"io"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/lagrieta/itlag/ops/mail/inbox"
	"github.com/lagrieta/itlag/ops/mail/inbox/dovecottest"
)

// TestConnect covers the TLS modes and what refuses a connection.
func TestConnect(t *testing.T) {
	t.Parallel()
	s := dovecottest.Start(t)
	s.Append(t, "INBOX", mail(1), date)
	other, err := dovecottest.NewCA("another CA")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		change  func(a *inbox.Account)
		wantErr string // "" for a pass that hands the message over
	}{
		{name: "implicit TLS", change: func(a *inbox.Account) {}},
		{name: "STARTTLS on the plain listener", change: func(a *inbox.Account) {
			a.TLS, a.Port = inbox.TLSStartTLS, port(t, s.StartTLSAddr)
		}},
		{name: "wrong password", change: func(a *inbox.Account) { a.Password = "not-" + a.Password },
			wantErr: "inbox: it: log in as itlag at 127.0.0.1:" + strconv.Itoa(port(t, s.Addr)) + ": authentication failed: "},
		{name: "certificate from another CA", change: func(a *inbox.Account) { a.RootCAs = other.Pool },
			wantErr: "certificate signed by unknown authority"},
		{name: "certificate for another name", change: func(a *inbox.Account) { a.Host = "127.0.0.2" },
			wantErr: "certificate is valid for 127.0.0.1"},
		{name: "implicit TLS on the plain listener", change: func(a *inbox.Account) { a.Port = port(t, s.StartTLSAddr) },
			wantErr: "TLS with 127.0.0.1"},
		{name: "unknown TLS mode", change: func(a *inbox.Account) { a.TLS = "none" },
			wantErr: `TLS mode "none"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := account(t, s)
			if tt.name == "certificate for another name" {
				// 127.0.0.2 is loopback too; the certificate names 127.0.0.1
				a.Dial = func(ctx context.Context, network, _ string) (net.Conn, error) {
					return (&net.Dialer{}).DialContext(ctx, network, s.Addr)
				}
			}
			tt.change(&a)
			r := newRecorder(t)
			_, err := inbox.Pass(context.Background(), openDB(t), a, r.handle)
			if tt.wantErr == "" {
				if err != nil || len(r.got) != 1 {
					t.Fatalf("err %v, handled %d", err, len(r.got))
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err %v, want one with %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), s.Password) {
				t.Errorf("the password is in the error: %v", err)
			}
			if len(r.got) != 0 {
				t.Errorf("handled %d", len(r.got))
			}
		})
	}
}

func port(t testing.TB, addr string) int {
	t.Helper()
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := strconv.Atoi(p)
	return n
}

// TestNoStartTLS: a server that does not offer STARTTLS gets nothing but
// the CAPABILITY question, never a login.
func TestNoStartTLS(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, greeting string }{
		{name: "capabilities in the greeting", greeting: "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN LOGIN] ready\r\n"},
		{name: "capabilities asked for", greeting: "* OK ready\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			var mu sync.Mutex
			var got []string
			done := make(chan struct{})
			go func() {
				defer close(done)
				c, err := l.Accept()
				if err != nil {
					return
				}
				defer c.Close()
				io.WriteString(c, tt.greeting)
				r := bufio.NewReader(c)
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					mu.Lock()
					got = append(got, strings.TrimSpace(line))
					mu.Unlock()
					tag, _, _ := strings.Cut(line, " ")
					io.WriteString(c, "* CAPABILITY IMAP4rev1 AUTH=PLAIN LOGIN\r\n"+tag+" OK done\r\n")
				}
			}()
			a := inbox.Account{Name: "it", Host: "127.0.0.1", Port: port(t, l.Addr().String()), TLS: inbox.TLSStartTLS,
				Username: "u", Password: "secret-pw"}
			_, err = inbox.Pass(context.Background(), openDB(t), a, newRecorder(t).handle)
			if err == nil || !strings.Contains(err.Error(), inbox.ErrNoStartTLS.Error()) {
				t.Fatalf("err %v, want %v", err, inbox.ErrNoStartTLS)
			}
			<-done
			for _, line := range got {
				if !strings.HasSuffix(line, " CAPABILITY") {
					t.Errorf("sent %q in plain text", line)
				}
			}
		})
	}
}

// TestPassConnectionDropped: the connection cut in the middle of a body
// fetch fails the pass; the next pass resumes after the last batch that
// was handled, and no message is handed over twice.
func TestPassConnectionDropped(t *testing.T) {
	t.Parallel()
	s := dovecottest.Start(t)
	// 600 messages of about 4 KB: bodies come in batches of 250 (1 MB)
	msgs := mails(1, 600)
	for i := range msgs {
		msgs[i] = append(msgs[i], strings.Repeat("padding line of a notification mail, to make it longer\r\n", 70)...)
	}
	s.SeedMaildir(t, msgs)
	proxy := cutProxy(t, s.Addr, 1_600_000)
	db, a, r := openDB(t), account(t, s), newRecorder(t)
	direct := a
	a.Port = port(t, proxy)
	ctx := context.Background()
	st, err := inbox.Pass(ctx, db, a, r.handle)
	if err == nil {
		t.Fatal("no error from a connection cut mid-fetch")
	}
	if !strings.Contains(err.Error(), "inbox: it: INBOX: fetch bodies of UIDs 251-500") {
		t.Errorf("error %v, want it in the second batch", err)
	}
	_, last, _, _, _ := inbox.Cursor(ctx, db, "it", "INBOX")
	if last != 250 || !slices.Equal(r.uids(), seq(1, 250)) || st.Fetched != 250 {
		t.Fatalf("after the cut: cursor %d, handled %d, stats %+v", last, len(r.got), st)
	}
	if _, err := inbox.Pass(ctx, db, direct, r.handle); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.uids(), seq(1, 600)) {
		t.Fatalf("handled %d, want 600 in order", len(r.got))
	}
}

// cutProxy forwards 127.0.0.1 connections to upstream and cuts each one
// after the server sent limit bytes.
func cutProxy(t testing.TB, upstream string, limit int64) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			u, err := net.Dial("tcp", upstream)
			if err != nil {
				c.Close()
				continue
			}
			go func() { io.Copy(u, c); u.Close() }()
			go func() { io.CopyN(c, u, limit); c.Close(); u.Close() }()
		}
	}()
	return l.Addr().String()
}
