package inbox_test

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/lagrieta/itlag/store/storetest"

	"github.com/lagrieta/itlag/ops/mail/inbox"
	"github.com/lagrieta/itlag/ops/mail/inbox/dovecottest"
	"github.com/lagrieta/itlag/store"
)

func openDB(t testing.TB) *store.DB { return storetest.Open(t) }

// account is the test server's implicit-TLS account.
func account(t testing.TB, s *dovecottest.Server) inbox.Account {
	t.Helper()
	host, port, err := net.SplitHostPort(s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := strconv.Atoi(port)
	return inbox.Account{Name: "it", Host: host, Port: p, TLS: inbox.TLSImplicit,
		Username: s.User, Password: s.Password, RootCAs: s.Pool, Timeout: 30 * time.Second}
}

// mail is a small RFC 5322 message numbered i.
func mail(i int) []byte {
	return fmt.Appendf(nil, "From: Provider <no-reply@provider.example>\r\nTo: it@example.org\r\n"+
		"Subject: notice %d\r\nMessage-ID: <%d@itlag.test>\r\nDate: Mon, 3 Mar 2025 10:00:00 +0000\r\n"+
		"Content-Type: text/plain; charset=us-ascii\r\n\r\nThis is notice number %d.\r\n", i, i, i)
}

func mails(from, n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		out[i] = mail(from + i)
	}
	return out
}

// recorder is a Handler that remembers what it was handed and fails the
// test when a key comes again after it returned nil.
type recorder struct {
	t testing.TB

	mu   sync.Mutex
	got  []inbox.Fetched
	keys map[string]bool
	// fail, when it returns an error, refuses a message
	fail func(inbox.Fetched) error
}

func newRecorder(t testing.TB) *recorder { return &recorder{t: t, keys: map[string]bool{}} }

func (r *recorder) handle(_ context.Context, f inbox.Fetched) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		if err := r.fail(f); err != nil {
			return err
		}
	}
	if r.keys[f.Key()] {
		r.t.Errorf("%s handed over again after the handler returned nil", f.Key())
	}
	r.keys[f.Key()] = true
	r.got = append(r.got, f)
	return nil
}

func (r *recorder) uids() []uint32 {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]uint32, len(r.got))
	for i, f := range r.got {
		out[i] = f.UID
	}
	return out
}

func seq(from, to uint32) []uint32 {
	var out []uint32
	for u := from; u <= to; u++ {
		out = append(out, u)
	}
	return out
}
