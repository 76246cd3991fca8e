package sandbox

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/mail"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-imap"
	"github.com/emersion/go-message/textproto"
)

// The mailbox fake's files: DIR/mailbox/FOLDER/NNNNNN.eml, one message a
// file named by its UID, and DIR/mailbox/state.json.
const (
	mailboxDir    = "mailbox"
	mailStateFile = "state.json"
	mailInbox     = "INBOX"
	// mailDelim is the hierarchy delimiter: folder "a/b" is DIR/mailbox/a/b.
	mailDelim = "/"
)

// MailboxDir is the mailbox fake's directory, DIR/mailbox: one directory
// per folder, one file per message. An .eml file dropped into a folder
// by hand is given the folder's next UID (renamed NNNNNN.eml) when a
// client next selects the folder or sends NOOP.
func (s *Sandbox) MailboxDir() string { return filepath.Join(s.dir, mailboxDir) }

// mailState is state.json: each folder's UIDVALIDITY and UIDNEXT, and the
// flags and INTERNALDATE of its messages by UID.
type mailState struct {
	// LastValidity is the last UIDVALIDITY given: a folder created again
	// gets a greater one, so that a (UIDVALIDITY, UID) pair never names two
	// messages.
	LastValidity uint32                  `json:"last_uidvalidity"`
	Folders      map[string]*folderState `json:"folders"`
}

type folderState struct {
	UIDValidity uint32              `json:"uidvalidity"`
	UIDNext     uint32              `json:"uidnext"`
	Messages    map[uint32]*msgMeta `json:"messages,omitempty"`

	msgs   []*mailMsg // the folder's messages in UID order, from refresh
	loaded bool       // refresh read the folder's directory
}

type msgMeta struct {
	Flags        []string  `json:"flags,omitempty"`
	InternalDate time.Time `json:"internaldate"`
}

// mailMsg is one message as a command sees it (a copy: commands read a
// snapshot and write through the store).
type mailMsg struct {
	uid   uint32
	flags []string
	date  time.Time
	size  int64
}

// mailStore is the folders under one directory, shared by every login;
// its methods are safe for concurrent use.
type mailStore struct {
	dir string
	now func() time.Time

	mu sync.Mutex
	st mailState
}

// openMailStore opens dir (DIR/mailbox), creating it with an INBOX holding
// seeds when it does not exist; otherwise it is used as it is.
func openMailStore(dir string, seeds func() [][]byte) (*mailStore, error) {
	m := &mailStore{dir: dir, now: time.Now, st: mailState{Folders: map[string]*folderState{}}}
	b, err := os.ReadFile(filepath.Join(dir, mailStateFile))
	switch {
	case err == nil:
		if err := json.Unmarshal(b, &m.st); err != nil {
			return nil, fmt.Errorf("sandbox: mailbox: %s: %w", mailStateFile, err)
		}
		if m.st.Folders == nil {
			m.st.Folders = map[string]*folderState{}
		}
	case !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("sandbox: mailbox: %w", err)
	}
	_, err = os.Stat(dir)
	fresh := errors.Is(err, fs.ErrNotExist)
	if err := os.MkdirAll(filepath.Join(dir, mailInbox), dirMode); err != nil {
		return nil, fmt.Errorf("sandbox: mailbox: %w", err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, _, err := m.refresh(mailInbox); err != nil {
		return nil, err
	}
	if fresh && seeds != nil {
		for _, raw := range seeds() {
			if _, err := m.appendLocked(mailInbox, nil, headerDate(raw), raw); err != nil {
				return nil, fmt.Errorf("sandbox: mailbox: seed: %w", err)
			}
		}
	}
	return m, nil
}

// headerDate is raw's Date header, or the zero time.
func headerDate(raw []byte) time.Time {
	h, err := textproto.ReadHeader(bufio.NewReader(bytes.NewReader(raw)))
	if err != nil {
		return time.Time{}
	}
	t, err := mail.ParseDate(h.Get("Date"))
	if err != nil {
		return time.Time{}
	}
	return t
}

// folderPath is name's directory; an error for a name that is not a
// folder name (empty parts, "." or "..", a leading dot, a backslash).
func (m *mailStore) folderPath(name string) (string, error) {
	for _, p := range strings.Split(name, mailDelim) {
		if p == "" || strings.HasPrefix(p, ".") || strings.ContainsAny(p, "\\\x00") {
			return "", fmt.Errorf("invalid folder name %q", name)
		}
	}
	return filepath.Join(m.dir, filepath.FromSlash(name)), nil
}

// canonical is name with INBOX in any case spelled INBOX.
func canonical(name string) string {
	if strings.EqualFold(name, mailInbox) {
		return mailInbox
	}
	return name
}

func msgFile(uid uint32) string { return fmt.Sprintf("%06d.eml", uid) }

// fileUID is the UID a file's name gives, 0 when it is not NNNNNN.eml.
func fileUID(name string) uint32 {
	n, err := strconv.ParseUint(strings.TrimSuffix(name, ".eml"), 10, 32)
	if err != nil || n == 0 || msgFile(uint32(n)) != name {
		return 0
	}
	return uint32(n)
}

// refresh reads name's directory into its state: files of known UIDs
// (below UIDNEXT) are its messages, other .eml files get the next UIDs
// (numbered names first, by number, then the rest by name) and are
// renamed, and messages whose file is gone are dropped. It returns the
// sequence numbers that vanished (before refresh's numbering) and how many
// messages arrived; fs.ErrNotExist when the folder does not exist.
func (m *mailStore) refresh(name string) (gone []uint32, added int, err error) {
	dir, err := m.folderPath(name)
	if err != nil {
		return nil, 0, err
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, 0, err
	}
	f := m.st.Folders[name]
	if f == nil {
		f = &folderState{UIDValidity: m.newValidity(), UIDNext: 1}
		m.st.Folders[name] = f
	}
	if f.Messages == nil {
		f.Messages = map[uint32]*msgMeta{}
	}
	var known []*mailMsg
	var numbered, named []fs.DirEntry
	for _, e := range ents {
		if !e.Type().IsRegular() || !strings.HasSuffix(e.Name(), ".eml") || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		switch uid := fileUID(e.Name()); {
		case uid != 0 && uid < f.UIDNext:
			known = append(known, m.msgOf(f, dir, uid, e))
		case uid != 0:
			numbered = append(numbered, e)
		default:
			named = append(named, e)
		}
	}
	slices.SortFunc(numbered, func(a, b fs.DirEntry) int { return int(fileUID(a.Name())) - int(fileUID(b.Name())) })
	changed := len(numbered)+len(named) > 0
	for _, e := range append(numbered, named...) {
		uid := f.UIDNext
		to := filepath.Join(dir, msgFile(uid))
		if e.Name() != msgFile(uid) {
			if _, err := os.Lstat(to); err == nil {
				return nil, 0, fmt.Errorf("sandbox: mailbox: %s: %s exists", name, msgFile(uid))
			}
			if err := os.Rename(filepath.Join(dir, e.Name()), to); err != nil {
				return nil, 0, fmt.Errorf("sandbox: mailbox: %w", err)
			}
		}
		f.UIDNext++
		delete(f.Messages, uid)
		known = append(known, m.msgOf(f, dir, uid, e))
		added++
	}
	slices.SortFunc(known, func(a, b *mailMsg) int { return int(a.uid) - int(b.uid) })
	have := map[uint32]bool{}
	for _, msg := range known {
		have[msg.uid] = true
	}
	for i, msg := range f.msgs {
		if !have[msg.uid] {
			gone = append(gone, uint32(i+1))
		}
	}
	for uid := range f.Messages {
		if !have[uid] {
			delete(f.Messages, uid)
			changed = true
		}
	}
	f.msgs, f.loaded = known, true
	if changed || added > 0 {
		if err := m.save(); err != nil {
			return nil, 0, err
		}
	}
	return gone, added, nil
}

// msgOf is uid's message, its metadata made when state.json lacks it
// (INTERNALDATE from the Date header, else the file's time).
func (m *mailStore) msgOf(f *folderState, dir string, uid uint32, e fs.DirEntry) *mailMsg {
	msg := &mailMsg{uid: uid}
	info, err := e.Info()
	if err == nil {
		msg.size = info.Size()
	}
	meta := f.Messages[uid]
	if meta == nil {
		meta = &msgMeta{}
		if raw, err := os.ReadFile(filepath.Join(dir, msgFile(uid))); err == nil {
			meta.InternalDate = headerDate(raw)
		}
		if meta.InternalDate.IsZero() && err == nil {
			meta.InternalDate = info.ModTime().Truncate(time.Second)
		}
		f.Messages[uid] = meta
	}
	msg.flags, msg.date = meta.Flags, meta.InternalDate
	return msg
}

// newValidity is a UIDVALIDITY greater than every one given before: the
// time, as Dovecot does, or the last one plus one.
func (m *mailStore) newValidity() uint32 {
	v := max(uint32(m.now().Unix()), m.st.LastValidity+1)
	m.st.LastValidity = v
	return v
}

func (m *mailStore) save() error {
	b, err := json.MarshalIndent(m.st, "", "  ")
	if err == nil {
		err = writeAtomic(filepath.Join(m.dir, mailStateFile), append(b, '\n'))
	}
	if err != nil {
		return fmt.Errorf("sandbox: mailbox: save %s: %w", mailStateFile, err)
	}
	return nil
}

// appendLocked writes raw into name as its next UID; a zero date is now.
func (m *mailStore) appendLocked(name string, flags []string, date time.Time, raw []byte) (uint32, error) {
	f := m.st.Folders[name]
	if f == nil {
		return 0, fmt.Errorf("no folder %s", name)
	}
	dir, err := m.folderPath(name)
	if err != nil {
		return 0, err
	}
	if date.IsZero() {
		date = m.now()
	}
	uid := f.UIDNext
	if err := writeAtomic(filepath.Join(dir, msgFile(uid)), raw); err != nil {
		return 0, err
	}
	f.UIDNext++
	flags = permanentFlags(flags)
	f.Messages[uid] = &msgMeta{Flags: flags, InternalDate: date.Truncate(time.Second)}
	f.msgs = append(f.msgs, &mailMsg{uid: uid, flags: flags, date: date.Truncate(time.Second), size: int64(len(raw))})
	return uid, m.save()
}

// permanentFlags is flags without \Recent (which the fake does not keep),
// each once.
func permanentFlags(flags []string) []string {
	var out []string
	for _, fl := range flags {
		fl = imap.CanonicalFlag(fl)
		if fl != imap.RecentFlag && !slices.Contains(out, fl) {
			out = append(out, fl)
		}
	}
	return out
}
