package dovecottest

import (
	"bytes"
	"crypto/tls"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap"
	"github.com/emersion/go-imap/client"
	"github.com/emersion/go-imap/commands"
)

// Client logs in as s.User over implicit TLS; it is logged out when t
// ends. For setting up and checking tests, not for the code under test.
func (s *Server) Client(t testing.TB) *client.Client {
	t.Helper()
	c, err := client.DialTLS(s.Addr, &tls.Config{RootCAs: s.Pool, ServerName: "127.0.0.1"})
	if err != nil {
		s.fatalf(t, "dial: %v", err)
	}
	c.Timeout = time.Minute
	if err := c.Login(s.User, s.Password); err != nil {
		c.Logout()
		s.fatalf(t, "log in: %v", err)
	}
	t.Cleanup(func() { c.Logout() })
	return c
}

// Append stores raw in folder (created when missing) by IMAP APPEND with
// date as its INTERNALDATE, and returns its UID (from APPENDUID).
func (s *Server) Append(t testing.TB, folder string, raw []byte, date time.Time) uint32 {
	t.Helper()
	c := s.Client(t)
	defer c.Logout()
	if !strings.EqualFold(folder, "INBOX") {
		c.Create(folder) // "already exists" is fine: APPEND says otherwise
	}
	st, err := c.Execute(&commands.Append{Mailbox: folder, Date: date, Message: bytes.NewBuffer(raw)}, nil)
	if err == nil {
		err = st.Err()
	}
	if err != nil {
		s.fatalf(t, "append to %s: %v", folder, err)
	}
	if st.Code != "APPENDUID" || len(st.Arguments) != 2 {
		s.fatalf(t, "append to %s: no APPENDUID in %v %v", folder, st.Code, st.Arguments)
	}
	uid, err := imap.ParseNumber(st.Arguments[1])
	if err != nil {
		s.fatalf(t, "append to %s: APPENDUID: %v", folder, err)
	}
	return uid
}

// UIDs lists the UIDs in folder (EXAMINE, UID SEARCH ALL).
func (s *Server) UIDs(t testing.TB, folder string) []uint32 {
	t.Helper()
	c := s.Client(t)
	defer c.Logout()
	if _, err := c.Select(folder, true); err != nil {
		s.fatalf(t, "examine %s: %v", folder, err)
	}
	uids, err := c.UidSearch(&imap.SearchCriteria{})
	if err != nil {
		s.fatalf(t, "search %s: %v", folder, err)
	}
	return uids
}

// Flags are the flags of every message in folder, by UID.
func (s *Server) Flags(t testing.TB, folder string) map[uint32][]string {
	t.Helper()
	c := s.Client(t)
	defer c.Logout()
	mbox, err := c.Select(folder, true)
	if err != nil {
		s.fatalf(t, "examine %s: %v", folder, err)
	}
	out := map[uint32][]string{}
	if mbox.Messages == 0 {
		return out
	}
	set := new(imap.SeqSet)
	set.AddRange(1, 0)
	ch := make(chan *imap.Message, 16)
	done := make(chan error, 1)
	go func() { done <- c.UidFetch(set, []imap.FetchItem{imap.FetchUid, imap.FetchFlags}, ch) }()
	for m := range ch {
		if m.Uid != 0 {
			out[m.Uid] = m.Flags
		}
	}
	if err := <-done; err != nil {
		s.fatalf(t, "fetch flags in %s: %v", folder, err)
	}
	return out
}

// maildir is s.User's maildir root (INBOX).
func (s *Server) maildir() string { return filepath.Join(s.Dir, "mail", s.User, "Maildir") }

// SeedMaildir writes msgs into INBOX's maildir as new mail, without IMAP
// (thousands a second): Dovecot gives them UIDs, in order, when the
// folder is next opened. Line ends are stored as LF, as maildir wants.
func (s *Server) SeedMaildir(t testing.TB, msgs [][]byte) {
	t.Helper()
	root := s.maildir()
	for _, sub := range []string{"cur", "new", "tmp"} {
		if err := os.MkdirAll(filepath.Join(root, sub), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now().Unix()
	for i, m := range msgs {
		lf := bytes.ReplaceAll(m, []byte("\r\n"), []byte("\n"))
		virtual := len(lf) + bytes.Count(lf, []byte("\n"))
		name := fmt.Sprintf("%d.M%06dP%d.itlag,S=%d,W=%d", now, i, os.Getpid(), len(lf), virtual)
		if err := os.WriteFile(filepath.Join(root, "new", name), lf, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s.chownMail(t)
}

// chownMail gives the mail to the mail processes' user (nobody) when the
// tests run as root.
func (s *Server) chownMail(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 {
		return
	}
	const nobody, nogroup = 65534, 65534
	err := filepath.WalkDir(filepath.Join(s.Dir, "mail"), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, nobody, nogroup)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// ResetUIDValidity stops the server, deletes every folder's
// dovecot-uidlist and dovecot.index*, and starts it again on the same
// ports: each folder gets a new UIDVALIDITY and its messages UIDs from 1.
func (s *Server) ResetUIDValidity(t testing.TB) {
	t.Helper()
	s.stop(t)
	err := filepath.WalkDir(s.maildir(), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if name := d.Name(); !d.IsDir() && (name == "dovecot-uidlist" || strings.HasPrefix(name, "dovecot.index")) {
			return os.Remove(p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s.start(t)
}

// fatalf fails t with the end of Dovecot's log.
func (s *Server) fatalf(t testing.TB, format string, args ...any) {
	t.Helper()
	log := s.logs()
	if len(log) > 4000 {
		log = log[len(log)-4000:]
	}
	t.Fatalf("dovecottest: "+format+"\n--- dovecot log:\n%s", append(args, log)...)
}
