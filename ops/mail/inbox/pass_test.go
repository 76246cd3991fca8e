package inbox_test

import (
	"bytes"
	"context"
	"slices"
	"testing"
	"time"

	"github.com/lagrieta/itlag/ops/mail/inbox"
	"github.com/lagrieta/itlag/ops/mail/inbox/dovecottest"
)

var date = time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)

// TestPassOnce: every message once, in UID order; nothing twice; a pass
// with nothing new fetches nothing; new mail arrives next pass.
func TestPassOnce(t *testing.T) {
	t.Parallel()
	s := dovecottest.Start(t)
	for i := 1; i <= 5; i++ {
		s.Append(t, "INBOX", mail(i), date)
	}
	db, a, r := openDB(t), account(t, s), newRecorder(t)
	ctx := context.Background()

	st, err := inbox.Pass(ctx, db, a, r.handle)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.uids(), seq(1, 5)) || st.New != 5 || st.Fetched != 5 || st.TooBig != 0 {
		t.Fatalf("first pass: UIDs %v, stats %+v", r.uids(), st)
	}
	f := r.got[2]
	if !bytes.Equal(f.Raw, mail(3)) || f.Size != int64(len(mail(3))) || !f.InternalDate.Equal(date) || f.Folder != "INBOX" || f.UIDValidity == 0 {
		t.Errorf("third message: %+v (raw %q)", f, f.Raw)
	}
	if v, last, at, ok, err := inbox.Cursor(ctx, db, "it", "INBOX"); err != nil || !ok || v != f.UIDValidity || last != 5 || at.IsZero() {
		t.Errorf("cursor: %d %d %v %v %v", v, last, at, ok, err)
	}
	for uid, flags := range s.Flags(t, "INBOX") {
		if slices.Contains(flags, `\Seen`) {
			t.Errorf("UID %d has flags %v after a pass: \\Seen was set (BODY.PEEK)", uid, flags)
		}
	}

	// nothing new: AUTHENTICATE, EXAMINE, LOGOUT; no FETCH
	st, err = inbox.Pass(ctx, db, a, r.handle)
	if err != nil {
		t.Fatal(err)
	}
	if st.New != 0 || st.Fetched != 0 || st.Commands != 3 || len(r.got) != 5 {
		t.Fatalf("second pass: stats %+v, handled %d", st, len(r.got))
	}

	s.Append(t, "INBOX", mail(6), date)
	s.Append(t, "INBOX", mail(7), date)
	st, err = inbox.Pass(ctx, db, a, r.handle)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.uids(), seq(1, 7)) || st.New != 2 || st.Fetched != 2 {
		t.Fatalf("third pass: UIDs %v, stats %+v", r.uids(), st)
	}
}

// TestPassFolders reads several folders, each with its own cursor.
func TestPassFolders(t *testing.T) {
	t.Parallel()
	s := dovecottest.Start(t)
	s.Append(t, "INBOX", mail(1), date)
	s.Append(t, "Alerts", mail(2), date)
	s.Append(t, "Alerts", mail(3), date)
	db, a, r := openDB(t), account(t, s), newRecorder(t)
	a.Folders = []string{"INBOX", "Alerts"}
	st, err := inbox.Pass(context.Background(), db, a, r.handle)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, f := range r.got {
		keys = append(keys, f.Folder+"/"+string(rune('0'+f.UID)))
	}
	if !slices.Equal(keys, []string{"INBOX/1", "Alerts/1", "Alerts/2"}) || st.Folders != 2 {
		t.Fatalf("handed %v, stats %+v", keys, st)
	}
}

// TestPassUIDValidity: a new UIDVALIDITY reads the folder again.
func TestPassUIDValidity(t *testing.T) {
	t.Parallel()
	s := dovecottest.Start(t)
	for i := 1; i <= 3; i++ {
		s.Append(t, "INBOX", mail(i), date)
	}
	db, a, r := openDB(t), account(t, s), newRecorder(t)
	ctx := context.Background()
	if _, err := inbox.Pass(ctx, db, a, r.handle); err != nil {
		t.Fatal(err)
	}
	before := r.got[0].UIDValidity
	s.ResetUIDValidity(t)
	st, err := inbox.Pass(ctx, db, a, r.handle)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(st.Reset, []string{"INBOX"}) || st.New != 3 || len(r.got) != 6 {
		t.Fatalf("after reset: stats %+v, handled %d", st, len(r.got))
	}
	// the handler sees the same messages under new keys: it dedupes them
	// by content (here by the body)
	for i := 3; i < 6; i++ {
		if g := r.got[i]; g.UIDValidity == before || !bytes.Equal(g.Raw, r.got[i-3].Raw) {
			t.Errorf("again %d: UIDVALIDITY %d (before %d), same body %v", i, g.UIDValidity, before, bytes.Equal(g.Raw, r.got[i-3].Raw))
		}
	}
	st, err = inbox.Pass(ctx, db, a, r.handle)
	if err != nil || st.New != 0 || len(st.Reset) != 0 {
		t.Fatalf("pass after the reset pass: %+v, %v", st, err)
	}
}

// TestPassTooBig: a 50 MB message is handed over without its body, and
// its body is not fetched; the messages after it are handled.
func TestPassTooBig(t *testing.T) {
	t.Parallel()
	s := dovecottest.Start(t)
	big := append([]byte("Subject: big\r\n\r\n"), bytes.Repeat([]byte("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd\r\n"), 50<<20/64)...)
	s.SeedMaildir(t, [][]byte{mail(1), big, mail(3)})
	db, a, r := openDB(t), account(t, s), newRecorder(t)
	st, err := inbox.Pass(context.Background(), db, a, r.handle)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.uids(), seq(1, 3)) || st.TooBig != 1 || st.Fetched != 2 {
		t.Fatalf("UIDs %v, stats %+v", r.uids(), st)
	}
	if g := r.got[1]; !g.TooBig || g.Raw != nil || g.Size < 50<<20 {
		t.Errorf("big one: TooBig %v, %d bytes of body, size %d", g.TooBig, len(g.Raw), g.Size)
	}
	if want := int64(len(mail(1)) + len(mail(3))); st.Bytes != want {
		t.Errorf("bytes fetched %d, want %d (the two small ones)", st.Bytes, want)
	}
}

// TestPassMalformed: what is not a valid message is handed over as it is.
func TestPassMalformed(t *testing.T) {
	t.Parallel()
	s := dovecottest.Start(t)
	raw := []byte("this line has no colon\r\n: empty name\r\nSubject: =?bogus?Q?x?=\r\n\r\n\xff\xfe not utf-8\r\n")
	s.Append(t, "INBOX", raw, date)
	r := newRecorder(t)
	if _, err := inbox.Pass(context.Background(), openDB(t), account(t, s), r.handle); err != nil {
		t.Fatal(err)
	}
	if len(r.got) != 1 || !bytes.Equal(r.got[0].Raw, raw) {
		t.Fatalf("handed %+v", r.got)
	}
}

// TestPassHandlerError: the cursor stays before the refused message.
func TestPassHandlerError(t *testing.T) {
	t.Parallel()
	s := dovecottest.Start(t)
	s.SeedMaildir(t, mails(1, 4))
	db, a, r := openDB(t), account(t, s), newRecorder(t)
	refuse := true
	r.fail = func(f inbox.Fetched) error {
		if refuse && f.UID == 3 {
			return context.DeadlineExceeded
		}
		return nil
	}
	ctx := context.Background()
	if _, err := inbox.Pass(ctx, db, a, r.handle); err == nil {
		t.Fatal("no error from a failing handler")
	}
	if _, last, _, _, _ := inbox.Cursor(ctx, db, "it", "INBOX"); last != 2 || !slices.Equal(r.uids(), seq(1, 2)) {
		t.Fatalf("cursor %d, handled %v", last, r.uids())
	}
	refuse = false
	if _, err := inbox.Pass(ctx, db, a, r.handle); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.uids(), seq(1, 4)) {
		t.Fatalf("handled %v", r.uids())
	}
}
