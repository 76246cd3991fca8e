package sandbox

import (
	"bufio"
	"bytes"
	"crypto/subtle"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/emersion/go-imap"
	"github.com/emersion/go-imap/backend"
	"github.com/emersion/go-imap/backend/backendutil"
	"github.com/emersion/go-message"
	"github.com/emersion/go-message/textproto"
)

// errAuthFailed is Dovecot's answer to a wrong user or password.
var errAuthFailed = &imap.ErrStatusResp{Resp: &imap.StatusResp{
	Type: imap.StatusRespNo, Code: "AUTHENTICATIONFAILED", Info: "Authentication failed.",
}}

// notifyWait bounds how long a command waits for its unilateral updates
// (EXISTS, EXPUNGE, FETCH) to reach the connections: a connection that is
// going away never takes its update.
const notifyWait = 5 * time.Second

// mailBackend is the go-imap backend of the mailbox fake: every login of
// logins sees the same folders, those of store.
type mailBackend struct {
	store   *mailStore
	logins  map[string]string
	updates chan backend.Update
	done    chan struct{} // closed when the fake stops
}

var (
	_ backend.Backend        = (*mailBackend)(nil)
	_ backend.BackendUpdater = (*mailBackend)(nil)
	_ backend.MoveMailbox    = (*mailFolder)(nil)
	_ backend.MailboxPoller  = (*mailFolder)(nil)
)

// Login accepts the user/password pairs of logins only (compared in
// constant time); otherwise NO [AUTHENTICATIONFAILED], as Dovecot says.
func (b *mailBackend) Login(_ *imap.ConnInfo, user, pass string) (backend.User, error) {
	want, ok := b.logins[user]
	if !ok || subtle.ConstantTimeCompare([]byte(want), []byte(pass)) != 1 {
		return nil, errAuthFailed
	}
	return &mailUser{b: b, name: user}, nil
}

// Updates are the unilateral updates the server sends to the connections
// (EXISTS in IDLE, EXPUNGE, FETCH FLAGS).
func (b *mailBackend) Updates() <-chan backend.Update { return b.updates }

// notify hands u to the server and waits (a bounded while) until every
// connection concerned has taken it, so that it precedes the command's
// tagged answer. Never called with the store's lock held.
func (b *mailBackend) notify(u backend.Update) {
	done := u.Done() // made here, before the server's goroutine shares u
	select {
	case b.updates <- u:
	case <-b.done:
		return
	}
	t := time.NewTimer(notifyWait)
	defer t.Stop()
	select {
	case <-done:
	case <-b.done:
	case <-t.C:
	}
}

func (b *mailBackend) notifyExists(name string, count uint32) {
	st := imap.NewMailboxStatus(name, []imap.StatusItem{imap.StatusMessages})
	st.Messages = count
	b.notify(&backend.MailboxUpdate{Update: backend.NewUpdate("", name), MailboxStatus: st})
}

func (b *mailBackend) notifyExpunged(name string, seqs []uint32) {
	for _, seq := range seqs {
		b.notify(&backend.ExpungeUpdate{Update: backend.NewUpdate("", name), SeqNum: seq})
	}
}

// mailUser is one login's session.
type mailUser struct {
	b    *mailBackend
	name string
}

func (u *mailUser) Username() string { return u.name }

func (u *mailUser) ListMailboxes(bool) ([]backend.Mailbox, error) {
	names, err := u.b.store.folders()
	if err != nil {
		return nil, err
	}
	out := make([]backend.Mailbox, len(names))
	for i, n := range names {
		out[i] = &mailFolder{u: u, name: n}
	}
	return out, nil
}

// GetMailbox is the folder name, read again from its directory (an .eml
// dropped in by hand gets its UID here).
func (u *mailUser) GetMailbox(name string) (backend.Mailbox, error) {
	name = canonical(name)
	gone, added, err := u.b.store.open(name)
	if err != nil {
		return nil, err
	}
	f := &mailFolder{u: u, name: name}
	f.announce(gone, added)
	return f, nil
}

func (u *mailUser) CreateMailbox(name string) error { return u.b.store.create(canonical(name)) }
func (u *mailUser) DeleteMailbox(name string) error {
	return u.b.store.deleteFolder(canonical(name))
}
func (u *mailUser) RenameMailbox(from, to string) error {
	return u.b.store.rename(canonical(from), canonical(to))
}
func (u *mailUser) Logout() error { return nil }

// mailFolder is a folder as one connection selected it.
type mailFolder struct {
	u    *mailUser
	name string
	// readOnly is set when the folder was opened with EXAMINE: BODY[]
	// does not set \Seen then (mailExt's SELECT and EXAMINE set it).
	readOnly bool
}

func (f *mailFolder) Name() string { return f.name }

func (f *mailFolder) Info() (*imap.MailboxInfo, error) {
	attr := `\HasNoChildren`
	if f.u.b.store.hasChildren(f.name) {
		attr = `\HasChildren`
	}
	return &imap.MailboxInfo{Attributes: []string{attr}, Delimiter: mailDelim, Name: f.name}, nil
}

var mailFlags = []string{imap.SeenFlag, imap.AnsweredFlag, imap.FlaggedFlag, imap.DeletedFlag, imap.DraftFlag}

func (f *mailFolder) Status(items []imap.StatusItem) (*imap.MailboxStatus, error) {
	msgs, validity, err := f.u.b.store.snapshot(f.name)
	if err != nil {
		return nil, err
	}
	_, next, err := f.u.b.store.validityNext(f.name)
	if err != nil {
		return nil, err
	}
	st := imap.NewMailboxStatus(f.name, items)
	st.Flags = mailFlags
	st.PermanentFlags = append(slices.Clone(mailFlags), `\*`)
	unseen := uint32(0)
	for i, m := range msgs {
		if !slices.Contains(m.flags, imap.SeenFlag) {
			if unseen == 0 {
				st.UnseenSeqNum = uint32(i + 1)
			}
			unseen++
		}
	}
	for _, it := range items {
		switch it {
		case imap.StatusMessages:
			st.Messages = uint32(len(msgs))
		case imap.StatusUidNext:
			st.UidNext = next
		case imap.StatusUidValidity:
			st.UidValidity = validity
		case imap.StatusUnseen:
			st.Unseen = unseen
		}
	}
	return st, nil
}

func (f *mailFolder) SetSubscribed(bool) error { return nil }
func (f *mailFolder) Check() error             { return nil }

// Poll (NOOP) reads the folder's directory again and announces what
// changed there by hand.
func (f *mailFolder) Poll() error {
	gone, added, err := f.u.b.store.open(f.name)
	if err != nil {
		return err
	}
	f.announce(gone, added)
	return nil
}

// announce sends EXPUNGE for gone and EXISTS when messages arrived.
func (f *mailFolder) announce(gone []uint32, added int) {
	slices.Reverse(gone)
	f.u.b.notifyExpunged(f.name, gone)
	if len(gone) > 0 || added > 0 {
		msgs, _, err := f.u.b.store.snapshot(f.name)
		if err == nil {
			f.u.b.notifyExists(f.name, uint32(len(msgs)))
		}
	}
}

// ListMessages answers FETCH. "*" is the last message (UID FETCH n:*
// with n above every UID returns the last one, as RFC 3501 reads it);
// BODY[] (not BODY.PEEK[]) sets \Seen unless the folder was EXAMINEd.
func (f *mailFolder) ListMessages(byUID bool, ids *imap.SeqSet, items []imap.FetchItem, ch chan<- *imap.Message) error {
	defer close(ch)
	msgs, _, err := f.u.b.store.snapshot(f.name)
	if err != nil {
		return err
	}
	ptrs := make([]*mailMsg, len(msgs))
	for i := range msgs {
		ptrs[i] = &msgs[i]
	}
	ids = resolveStar(ids, ptrs, byUID)
	seen := new(imap.SeqSet)
	dir := filepath.Join(f.u.b.store.dir, filepath.FromSlash(f.name))
	for i, m := range ptrs {
		seq := uint32(i + 1)
		if !ids.Contains(pick(byUID, m.uid, seq)) {
			continue
		}
		out, marks, err := f.fetch(dir, seq, m, items)
		if err != nil {
			continue // gone from the directory since: skipped, as deleted
		}
		if marks {
			seen.AddNum(m.uid)
		}
		ch <- out
	}
	if !seen.Empty() {
		_, err := f.u.b.store.setFlags(f.name, true, seen, imap.AddFlags, []string{imap.SeenFlag})
		return err
	}
	return nil
}

// fetch is one message's FETCH items; marks reports that it sets \Seen.
func (f *mailFolder) fetch(dir string, seq uint32, m *mailMsg, items []imap.FetchItem) (*imap.Message, bool, error) {
	var raw []byte
	read := func() (textproto.Header, *bufio.Reader, error) {
		if raw == nil {
			var err error
			if raw, err = os.ReadFile(filepath.Join(dir, msgFile(m.uid))); err != nil {
				return textproto.Header{}, nil, err
			}
		}
		br := bufio.NewReader(bytes.NewReader(raw))
		h, err := textproto.ReadHeader(br)
		return h, br, err
	}
	out := imap.NewMessage(seq, items)
	marks := false
	for _, it := range items {
		switch it {
		case imap.FetchUid:
			out.Uid = m.uid
		case imap.FetchFlags:
			out.Flags = m.flags
		case imap.FetchInternalDate:
			out.InternalDate = m.date
		case imap.FetchRFC822Size:
			out.Size = uint32(m.size)
		case imap.FetchEnvelope:
			h, _, err := read()
			if err != nil {
				return nil, false, err
			}
			out.Envelope, _ = backendutil.FetchEnvelope(h)
		case imap.FetchBody, imap.FetchBodyStructure:
			h, body, err := read()
			if err != nil {
				return nil, false, err
			}
			out.BodyStructure, _ = backendutil.FetchBodyStructure(h, body, it == imap.FetchBodyStructure)
		default:
			sec, err := imap.ParseBodySectionName(it)
			if err != nil {
				continue
			}
			h, body, err := read()
			if err != nil {
				return nil, false, err
			}
			l, err := backendutil.FetchBodySection(h, body, sec)
			if err != nil {
				l = bytes.NewReader(nil) // a part the message lacks is empty
			}
			out.Body[sec] = l
			if !sec.Peek && !f.readOnly && !slices.Contains(m.flags, imap.SeenFlag) {
				marks = true
				m.flags = append(m.flags, imap.SeenFlag)
			}
		}
	}
	if marks {
		if _, ok := out.Items[imap.FetchFlags]; !ok {
			out.Items[imap.FetchFlags] = nil
		}
		out.Flags = m.flags
	}
	return out, marks, nil
}

// SearchMessages answers SEARCH, "*" read as in ListMessages.
func (f *mailFolder) SearchMessages(byUID bool, c *imap.SearchCriteria) ([]uint32, error) {
	msgs, _, err := f.u.b.store.snapshot(f.name)
	if err != nil {
		return nil, err
	}
	ptrs := make([]*mailMsg, len(msgs))
	for i := range msgs {
		ptrs[i] = &msgs[i]
	}
	crit := *c
	if crit.Uid != nil {
		crit.Uid = resolveStar(crit.Uid, ptrs, true)
	}
	if crit.SeqNum != nil {
		crit.SeqNum = resolveStar(crit.SeqNum, ptrs, false)
	}
	dir := filepath.Join(f.u.b.store.dir, filepath.FromSlash(f.name))
	var out []uint32
	for i, m := range ptrs {
		raw, err := os.ReadFile(filepath.Join(dir, msgFile(m.uid)))
		if err != nil {
			continue
		}
		e, err := message.Read(bytes.NewReader(raw))
		if e == nil {
			return nil, fmt.Errorf("uid %d: %w", m.uid, err)
		}
		ok, err := backendutil.Match(e, uint32(i+1), m.uid, m.date, m.flags, &crit)
		if err != nil || !ok {
			continue
		}
		out = append(out, pick(byUID, m.uid, uint32(i+1)))
	}
	return out, nil
}

// CreateMessage answers APPEND (mailExt answers it with APPENDUID).
func (f *mailFolder) CreateMessage(flags []string, date time.Time, body imap.Literal) error {
	_, err := f.append(flags, date, body)
	return err
}

// append adds body to the folder and announces it: its UID.
func (f *mailFolder) append(flags []string, date time.Time, body io.Reader) (uint32, error) {
	raw, err := io.ReadAll(body)
	if err != nil {
		return 0, err
	}
	uid, count, err := f.u.b.store.add(f.name, flags, date, raw)
	if err != nil {
		return 0, err
	}
	f.u.b.notifyExists(f.name, count)
	return uid, nil
}

// UpdateMessagesFlags answers STORE; the connections see FETCH FLAGS (the
// server leaves out the one that asked .SILENT).
func (f *mailFolder) UpdateMessagesFlags(byUID bool, ids *imap.SeqSet, op imap.FlagsOp, flags []string) error {
	changes, err := f.u.b.store.setFlags(f.name, byUID, ids, op, flags)
	if err != nil {
		return err
	}
	for _, c := range changes {
		m := imap.NewMessage(c.seq, []imap.FetchItem{imap.FetchFlags, imap.FetchUid})
		m.Flags, m.Uid = c.flags, c.uid
		f.u.b.notify(&backend.MessageUpdate{Update: backend.NewUpdate("", f.name), Message: m})
	}
	return nil
}

func (f *mailFolder) CopyMessages(byUID bool, ids *imap.SeqSet, dest string) error {
	_, err := f.copyMsgs(byUID, ids, dest, false)
	return err
}

// MoveMessages answers MOVE (RFC 6851): copies, then EXPUNGEs the source.
func (f *mailFolder) MoveMessages(byUID bool, ids *imap.SeqSet, dest string) error {
	_, err := f.copyMsgs(byUID, ids, dest, true)
	return err
}

func (f *mailFolder) copyMsgs(byUID bool, ids *imap.SeqSet, dest string, move bool) (copied, error) {
	dest = canonical(dest)
	c, err := f.u.b.store.copyMsgs(f.name, byUID, ids, dest, move)
	if err == errTryCreate {
		return c, &imap.ErrStatusResp{Resp: &imap.StatusResp{Type: imap.StatusRespNo, Code: imap.CodeTryCreate, Info: "Mailbox doesn't exist: " + dest}}
	}
	if len(c.dst) > 0 {
		f.u.b.notifyExists(dest, c.count)
	}
	f.u.b.notifyExpunged(f.name, c.gone)
	return c, err
}

// Expunge removes the messages flagged \Deleted; none when the folder
// was EXAMINEd (go-imap's CLOSE expunges whatever the folder's mode).
func (f *mailFolder) Expunge() error {
	if f.readOnly {
		return nil
	}
	return f.expunge(nil)
}

// expunge removes those of uids only when uids is not nil (UID EXPUNGE).
func (f *mailFolder) expunge(uids *imap.SeqSet) error {
	seqs, err := f.u.b.store.expunge(f.name, uids)
	f.u.b.notifyExpunged(f.name, seqs)
	return err
}
