package sandbox_test

import (
	"bytes"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-imap"
	"github.com/emersion/go-imap/client"
	"github.com/emersion/go-imap/commands"
	"github.com/emersion/go-sasl"

	"github.com/lagrieta/itlag/app/sandbox"
	"github.com/lagrieta/itlag/providers/transport"
	"github.com/lagrieta/itlag/reconcile"
	"github.com/lagrieta/itlag/schema"
)

const (
	mailUser = "it@example.org"
	mailPass = "s3cret pass"
	imapsTLS = "imap.example.org:993"
	imapPlan = "mail.example.org:143"
)

// seedMsgs are two notification mails, CRLF as on the wire.
var seedMsgs = [][]byte{
	[]byte("From: No-IP <no-reply@noip.com>\r\nTo: it@example.org\r\nSubject: ACTION REQUIRED: office.ddns.net is Expiring Soon\r\nDate: Mon, 02 Mar 2026 09:15:00 +0000\r\nMessage-ID: <a1@noip.com>\r\n\r\nConfirm your hostname.\r\n"),
	[]byte("From: GoDaddy <renewals@godaddy.com>\r\nTo: it@example.org\r\nSubject: Your GoDaddy renewal notice\r\nDate: Tue, 03 Mar 2026 10:00:00 +0100\r\nMessage-ID: <b2@godaddy.com>\r\n\r\nexample.org expires in 30 days.\r\n"),
}

// openMail opens a sandbox on dir whose network has the mailbox fake,
// seeded with seeds on first use.
func openMail(t *testing.T, dir string, seeds [][]byte) (*sandbox.Sandbox, transport.Network) {
	t.Helper()
	sb, err := sandbox.Open(ctx(t), dir, reconcile.Desired{}, &schema.State{}, transport.New(transport.Options{}), nil)
	if err != nil {
		t.Fatal(err)
	}
	n, err := sb.Network(sandbox.Targets{
		Mail:       []string{imapsTLS, "Mail.Example.org.:143"},
		MailSeeds:  func() [][]byte { return seeds },
		MailLogins: map[string]string{mailUser: mailPass},
	})
	t.Cleanup(func() {
		if err := sb.Close(); err != nil {
			t.Error(err)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return sb, n
}

// dialIMAP connects to addr through n, in TLS from the first byte unless
// plain, with a deadline on every command.
func dialIMAP(t *testing.T, n transport.Network, addr string, plain bool) *client.Client {
	t.Helper()
	conn, err := n.DialContext(ctx(t), "tcp", addr)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	if !plain {
		host, _, _ := net.SplitHostPort(addr)
		conn = tls.Client(conn, &tls.Config{ServerName: host, RootCAs: n.RootCAs})
	}
	c, err := client.New(conn)
	if err != nil {
		conn.Close()
		t.Fatalf("greeting of %s: %v", addr, err)
	}
	c.Timeout = 10 * time.Second
	t.Cleanup(func() { c.Logout() })
	return c
}

func login(t *testing.T, n transport.Network) *client.Client {
	t.Helper()
	c := dialIMAP(t, n, imapsTLS, false)
	if err := c.Login(mailUser, mailPass); err != nil {
		t.Fatalf("login: %v", err)
	}
	return c
}

// fetchAll is UID FETCH 1:* of items, in UID order.
func fetchAll(t *testing.T, c *client.Client, items ...imap.FetchItem) []*imap.Message {
	t.Helper()
	set := new(imap.SeqSet)
	set.AddRange(1, 0)
	return fetch(t, c, set, items...)
}

func fetch(t *testing.T, c *client.Client, set *imap.SeqSet, items ...imap.FetchItem) []*imap.Message {
	t.Helper()
	ch := make(chan *imap.Message, 64)
	if err := c.UidFetch(set, items, ch); err != nil {
		t.Fatalf("uid fetch %s: %v", set, err)
	}
	var out []*imap.Message
	for m := range ch {
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b *imap.Message) int { return int(a.Uid) - int(b.Uid) })
	return out
}

func readState(t *testing.T, sb *sandbox.Sandbox) map[string]struct{ UIDValidity, UIDNext uint32 } {
	t.Helper()
	path := filepath.Join(sb.MailboxDir(), "state.json")
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("state.json: %v %v, want mode 0600", info, err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Folders map[string]struct{ UIDValidity, UIDNext uint32 }
	}
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	return st.Folders
}

// TestMailboxSeededOnce: the INBOX is seeded on first use and kept as it
// is by the next run (UIDs, UIDVALIDITY); EXAMINE gives state.json's
// UIDVALIDITY; BODY.PEEK[] returns the seeded bytes and leaves \Seen.
func TestMailboxSeededOnce(t *testing.T) {
	dir := t.TempDir()
	var validity uint32
	for run, seeds := range [][][]byte{seedMsgs, append(slices.Clone(seedMsgs), []byte("Subject: never seeded\r\n\r\nx\r\n"))} {
		t.Run(fmt.Sprint("run", run), func(t *testing.T) { examineSeeded(t, dir, run, seeds, &validity) })
	}
	for _, p := range []string{"mailbox", "mailbox/INBOX"} {
		if info, err := os.Stat(filepath.Join(dir, p)); err != nil || info.Mode().Perm() != 0o700 {
			t.Errorf("%s: %v %v, want a directory of mode 0700", p, info, err)
		}
	}
	if b, err := os.ReadFile(filepath.Join(dir, "mailbox", "INBOX", "000002.eml")); err != nil || !bytes.Equal(b, seedMsgs[1]) {
		t.Errorf("INBOX/000002.eml: %q %v, want the second seed", b, err)
	}
}

// examineSeeded is one run of TestMailboxSeededOnce.
func examineSeeded(t *testing.T, dir string, run int, seeds [][]byte, validity *uint32) {
	{
		sb, n := openMail(t, dir, seeds)
		st := readState(t, sb)
		c := login(t, n)
		mb, err := c.Select("INBOX", true)
		if err != nil {
			t.Fatal(err)
		}
		if run == 0 {
			*validity = st["INBOX"].UIDValidity
		}
		if mb.UidValidity != *validity || st["INBOX"].UIDValidity != *validity || mb.Messages != 2 || mb.UidNext != 3 {
			t.Errorf("run %d: EXAMINE = validity %d, %d messages, uidnext %d; want %d (state.json %d), 2, 3",
				run, mb.UidValidity, mb.Messages, mb.UidNext, *validity, st["INBOX"].UIDValidity)
		}
		sec := &imap.BodySectionName{Peek: true}
		msgs := fetchAll(t, c, imap.FetchUid, imap.FetchFlags, imap.FetchRFC822Size, imap.FetchInternalDate, imap.FetchEnvelope, sec.FetchItem())
		if len(msgs) != 2 {
			t.Fatalf("run %d: %d messages, want 2", run, len(msgs))
		}
		for i, m := range msgs {
			body, _ := io.ReadAll(m.GetBody(sec))
			date := time.Date(2026, 3, 2+i, 9, 15, 0, 0, time.UTC)
			if i == 1 {
				date = time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)
			}
			switch {
			case m.Uid != uint32(i+1):
				t.Errorf("run %d: message %d has UID %d", run, i, m.Uid)
			case !bytes.Equal(body, seedMsgs[i]):
				t.Errorf("run %d: UID %d body = %q, want the seeded bytes", run, m.Uid, body)
			case m.Size != uint32(len(seedMsgs[i])):
				t.Errorf("run %d: UID %d RFC822.SIZE = %d, want %d", run, m.Uid, m.Size, len(seedMsgs[i]))
			case slices.Contains(m.Flags, imap.SeenFlag):
				t.Errorf("run %d: UID %d is \\Seen after BODY.PEEK[]", run, m.Uid)
			case !m.InternalDate.Equal(date):
				t.Errorf("run %d: UID %d INTERNALDATE = %v, want the Date header %v", run, m.Uid, m.InternalDate, date)
			case m.Envelope == nil || !strings.Contains(m.Envelope.Subject, []string{"Expiring Soon", "renewal notice"}[i]):
				t.Errorf("run %d: UID %d envelope = %+v", run, m.Uid, m.Envelope)
			}
		}
	}
}

// TestMailboxLogin: only the declared user and password log in, by LOGIN
// or AUTHENTICATE PLAIN; anything else is Dovecot's NO
// [AUTHENTICATIONFAILED].
func TestMailboxLogin(t *testing.T) {
	_, n := openMail(t, t.TempDir(), nil)
	for _, tt := range []struct {
		name, user, pass string
		plain, ok        bool
	}{
		{"login", mailUser, mailPass, false, true},
		{"login wrong password", mailUser, "wrong", false, false},
		{"login unknown user", "root", mailPass, false, false},
		{"plain", mailUser, mailPass, true, true},
		{"plain wrong password", mailUser, mailPass + "x", true, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := dialIMAP(t, n, imapsTLS, false)
			var cmd imap.Commander = &commands.Login{Username: tt.user, Password: tt.pass}
			if tt.plain {
				_, ir, _ := sasl.NewPlainClient("", tt.user, tt.pass).Start()
				cmd = &commands.Authenticate{Mechanism: sasl.Plain, InitialResponse: ir}
			}
			st, err := c.Execute(cmd, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tt.ok && st.Type != imap.StatusRespOk {
				t.Errorf("%s %s: %s [%s] %s, want OK", tt.name, tt.user, st.Type, st.Code, st.Info)
			}
			if !tt.ok && (st.Type != imap.StatusRespNo || st.Code != "AUTHENTICATIONFAILED" || st.Info != "Authentication failed.") {
				t.Errorf("%s %s: %s [%s] %s, want NO [AUTHENTICATIONFAILED] Authentication failed.", tt.name, tt.user, st.Type, st.Code, st.Info)
			}
		})
	}
}

// TestMailboxSTARTTLS: the :143 target speaks plain IMAP, offers STARTTLS
// and refuses LOGIN until TLS is on; a name not in Targets.Mail refuses
// the connection on :993.
func TestMailboxSTARTTLS(t *testing.T) {
	_, n := openMail(t, t.TempDir(), seedMsgs)
	c := dialIMAP(t, n, imapPlan, true)
	for _, capa := range []string{"STARTTLS", "LOGINDISABLED"} {
		if ok, err := c.Support(capa); err != nil || !ok {
			t.Errorf("before TLS: capability %s = %v %v, want offered", capa, ok, err)
		}
	}
	st, err := c.Execute(&commands.Login{Username: mailUser, Password: mailPass}, nil)
	if err != nil || st.Type != imap.StatusRespNo {
		t.Errorf("LOGIN before STARTTLS: %+v %v, want NO", st, err)
	}
	if err := c.StartTLS(&tls.Config{ServerName: "mail.example.org", RootCAs: n.RootCAs}); err != nil {
		t.Fatalf("STARTTLS: %v", err)
	}
	if ok, _ := c.Support("LOGINDISABLED"); ok {
		t.Error("LOGINDISABLED still offered after STARTTLS")
	}
	if err := c.Login(mailUser, mailPass); err != nil {
		t.Fatalf("LOGIN after STARTTLS: %v", err)
	}
	if mb, err := c.Select("INBOX", true); err != nil || mb.Messages != 2 {
		t.Errorf("EXAMINE after STARTTLS: %+v %v, want 2 messages", mb, err)
	}

	for _, addr := range []string{"other.example.org:993", "imap.example.org:995"} {
		conn, err := n.DialContext(ctx(t), "tcp", addr)
		if err == nil {
			conn.Close()
		}
		if !errors.Is(err, syscall.ECONNREFUSED) {
			t.Errorf("dial %s: %v, want connection refused", addr, err)
		}
	}
}

// uidCmd is a UID command the client has no method for (UID EXPUNGE).
type uidCmd struct {
	name string
	args []any
}

func (c uidCmd) Command() *imap.Command { return &imap.Command{Name: c.name, Arguments: c.args} }

func uidSet(uids ...uint32) *imap.SeqSet {
	s := new(imap.SeqSet)
	s.AddNum(uids...)
	return s
}

func flagsOf(t *testing.T, c *client.Client, uid uint32) []string {
	t.Helper()
	m := fetch(t, c, uidSet(uid), imap.FetchFlags)
	if len(m) != 1 {
		t.Fatalf("UID %d: %d messages", uid, len(m))
	}
	return m[0].Flags
}

// TestMailboxReader: what a reader does. BODY[] sets \Seen (not under
// EXAMINE), APPEND takes the next UID (APPENDUID), UID FETCH n:* past the
// last UID returns the last message, UID SEARCH, UID MOVE, UID COPY with
// COPYUID, UID EXPUNGE of one UID only, a file dropped in by hand.
func TestMailboxReader(t *testing.T) {
	sb, n := openMail(t, t.TempDir(), seedMsgs)
	c := login(t, n)
	body := &imap.BodySectionName{}

	if _, err := c.Select("INBOX", true); err != nil {
		t.Fatal(err)
	}
	fetch(t, c, uidSet(1), body.FetchItem())
	if f := flagsOf(t, c, 1); slices.Contains(f, imap.SeenFlag) {
		t.Errorf("BODY[] under EXAMINE set \\Seen: %v", f)
	}
	mb, err := c.Select("INBOX", false)
	if err != nil {
		t.Fatal(err)
	}
	if m := fetch(t, c, uidSet(1), body.FetchItem()); len(m) != 1 || !slices.Contains(m[0].Flags, imap.SeenFlag) {
		t.Errorf("BODY[] under SELECT: %+v, want FLAGS with \\Seen", m)
	}
	if f := flagsOf(t, c, 1); !slices.Contains(f, imap.SeenFlag) {
		t.Errorf("after BODY[]: flags %v, want \\Seen", f)
	}

	st, err := c.Execute(&commands.Append{Mailbox: "INBOX", Message: bytes.NewReader([]byte("Subject: added\r\n\r\nhi\r\n"))}, nil)
	if err != nil || st.Type != imap.StatusRespOk || st.Code != "APPENDUID" || len(st.Arguments) != 2 {
		t.Fatalf("APPEND: %+v %v, want OK [APPENDUID validity 3]", st, err)
	}
	if v, _ := imap.ParseNumber(st.Arguments[0]); v != mb.UidValidity {
		t.Errorf("APPENDUID validity %v, want %d", st.Arguments[0], mb.UidValidity)
	}
	if u, _ := imap.ParseNumber(st.Arguments[1]); u != 3 {
		t.Errorf("APPENDUID uid %v, want 3", st.Arguments[1])
	}
	if m := fetch(t, c, func() *imap.SeqSet { s := new(imap.SeqSet); s.AddRange(9, 0); return s }(), imap.FetchUid); len(m) != 1 || m[0].Uid != 3 {
		t.Errorf("UID FETCH 9:* = %v, want the last message, UID 3", m)
	}
	uids, err := c.UidSearch(&imap.SearchCriteria{Header: map[string][]string{"Subject": {"renewal"}}})
	if err != nil || !slices.Equal(uids, []uint32{2}) {
		t.Errorf("UID SEARCH SUBJECT renewal = %v %v, want [2]", uids, err)
	}
	uids, err = c.UidSearch(&imap.SearchCriteria{WithoutFlags: []string{imap.SeenFlag}})
	if err != nil || !slices.Equal(uids, []uint32{2, 3}) {
		t.Errorf("UID SEARCH UNSEEN = %v %v, want [2 3]", uids, err)
	}

	if err := c.Create("Archive"); err != nil {
		t.Fatal(err)
	}
	if err := c.UidMove(uidSet(1), "Archive"); err != nil {
		t.Fatalf("UID MOVE: %v", err)
	}
	st, err = c.Execute(&commands.Uid{Cmd: &commands.Copy{SeqSet: uidSet(2, 3), Mailbox: "Archive"}}, nil)
	if err != nil || st.Code != "COPYUID" || len(st.Arguments) != 3 || st.Arguments[2] != "2:3" {
		t.Errorf("UID COPY: %+v %v, want OK [COPYUID validity 2:3 2:3]", st, err)
	}
	if err := c.UidStore(uidSet(2, 3), imap.FormatFlagsOp(imap.AddFlags, true), []any{imap.DeletedFlag}, nil); err != nil {
		t.Fatal(err)
	}
	if st, err := c.Execute(&commands.Uid{Cmd: uidCmd{"EXPUNGE", []any{uidSet(3)}}}, nil); err != nil || st.Type != imap.StatusRespOk {
		t.Fatalf("UID EXPUNGE 3: %+v %v", st, err)
	}
	if m := fetchAll(t, c, imap.FetchFlags); len(m) != 1 || m[0].Uid != 2 || !slices.Contains(m[0].Flags, imap.DeletedFlag) {
		t.Errorf("INBOX after UID MOVE 1, UID EXPUNGE 3: %+v, want UID 2 alone, still \\Deleted", m)
	}
	arch, err := c.Status("Archive", []imap.StatusItem{imap.StatusMessages, imap.StatusUidNext})
	if err != nil || arch.Messages != 3 || arch.UidNext != 4 {
		t.Errorf("STATUS Archive: %+v %v, want 3 messages, UIDNEXT 4", arch, err)
	}

	// a message dropped in by hand gets the next UID at the next NOOP
	drop := filepath.Join(sb.MailboxDir(), "INBOX", "by-hand.eml")
	if err := os.WriteFile(drop, []byte("Subject: by hand\r\nDate: Wed, 04 Mar 2026 08:00:00 +0000\r\n\r\nhello\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := c.Noop(); err != nil {
		t.Fatal(err)
	}
	m := fetchAll(t, c, imap.FetchInternalDate)
	if len(m) != 2 || m[1].Uid != 4 || !m[1].InternalDate.Equal(time.Date(2026, 3, 4, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("after dropping a file: %+v, want UID 4 dated by its Date header", m)
	}
	if _, err := os.Stat(filepath.Join(sb.MailboxDir(), "INBOX", "000004.eml")); err != nil {
		t.Errorf("the dropped file was not renamed by its UID: %v", err)
	}
	if got := readState(t, sb)["INBOX"]; got.UIDNext != 5 {
		t.Errorf("state.json INBOX UIDNEXT = %d, want 5", got.UIDNext)
	}

	// CLOSE expunges UID 2 (\Deleted) under SELECT only
	for _, readOnly := range []bool{true, false} {
		if _, err := c.Select("INBOX", readOnly); err != nil {
			t.Fatal(err)
		}
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
		st, err := c.Status("INBOX", []imap.StatusItem{imap.StatusMessages})
		if want := map[bool]uint32{true: 2, false: 1}[readOnly]; err != nil || st.Messages != want {
			t.Errorf("CLOSE (read-only %v): %+v %v, want %d messages left", readOnly, st, err, want)
		}
	}
}

// TestMailboxIdle: a client in IDLE hears EXISTS when another appends.
func TestMailboxIdle(t *testing.T) {
	_, n := openMail(t, t.TempDir(), seedMsgs)
	idler := login(t, n)
	updates := make(chan client.Update, 16)
	idler.Updates = updates
	if _, err := idler.Select("INBOX", true); err != nil {
		t.Fatal(err)
	}
	idler.Timeout = 0 // the whole IDLE is one command
	stop, idled := make(chan struct{}), make(chan error, 1)
	go func() { idled <- idler.Idle(stop, nil) }()

	other := login(t, n)
	if err := other.Append("INBOX", nil, time.Time{}, bytes.NewReader([]byte("Subject: new\r\n\r\nx\r\n"))); err != nil {
		t.Fatal(err)
	}
	// the client only sends MailboxUpdate for EXISTS (and RECENT, which
	// the fake never sends); its Mailbox is the client's, written on by
	// its reader: not read here
	for exists := false; !exists; {
		select {
		case u := <-updates:
			_, exists = u.(*client.MailboxUpdate)
		case <-ctx(t).Done():
			t.Fatal("no EXISTS while idling")
		}
	}
	close(stop)
	if err := <-idled; err != nil {
		t.Errorf("IDLE: %v", err)
	}
	idler.Timeout = 10 * time.Second
	if uids, err := idler.UidSearch(imap.NewSearchCriteria()); err != nil || !slices.Equal(uids, []uint32{1, 2, 3}) {
		t.Errorf("UID SEARCH ALL after IDLE: %v %v, want [1 2 3]", uids, err)
	}
}
