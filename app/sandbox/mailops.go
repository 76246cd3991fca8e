package sandbox

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-imap"
	"github.com/emersion/go-imap/backend"
	"github.com/emersion/go-imap/backend/backendutil"
)

// errTryCreate is a COPY or MOVE to a folder that does not exist.
var errTryCreate = errors.New("no such folder")

// folder is name's state, refreshed from its directory when fresh is
// set; backend.ErrNoSuchMailbox when there is no such folder.
func (m *mailStore) folder(name string, fresh bool) (*folderState, []uint32, int, error) {
	f := m.st.Folders[name]
	if f != nil && f.loaded && !fresh {
		return f, nil, 0, nil
	}
	gone, added, err := m.refresh(name)
	if errors.Is(err, fs.ErrNotExist) {
		delete(m.st.Folders, name)
		return nil, nil, 0, backend.ErrNoSuchMailbox
	}
	if err != nil {
		return nil, nil, 0, err
	}
	return m.st.Folders[name], gone, added, nil
}

// snapshot is a copy of name's messages and its UIDVALIDITY.
func (m *mailStore) snapshot(name string) ([]mailMsg, uint32, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f, _, _, err := m.folder(name, false)
	if err != nil {
		return nil, 0, err
	}
	out := make([]mailMsg, len(f.msgs))
	for i, msg := range f.msgs {
		out[i] = *msg
		out[i].flags = slices.Clone(msg.flags)
	}
	return out, f.UIDValidity, nil
}

// open refreshes name from its directory (a SELECT, STATUS or NOOP) and
// reports what changed since the last refresh.
func (m *mailStore) open(name string) (gone []uint32, added int, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, gone, added, err = m.folder(name, true)
	return gone, added, err
}

// validityNext is name's UIDVALIDITY and UIDNEXT.
func (m *mailStore) validityNext(name string) (uint32, uint32, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f, _, _, err := m.folder(name, false)
	if err != nil {
		return 0, 0, err
	}
	return f.UIDValidity, f.UIDNext, nil
}

// add appends raw to name (APPEND, or a copy) and returns its UID and
// the folder's message count.
func (m *mailStore) add(name string, flags []string, date time.Time, raw []byte) (uid, count uint32, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f, _, _, err := m.folder(name, false)
	if err != nil {
		return 0, 0, err
	}
	uid, err = m.appendLocked(name, flags, date, raw)
	return uid, uint32(len(f.msgs)), err
}

// flagChange is one message whose flags a STORE set.
type flagChange struct {
	seq, uid uint32
	flags    []string
}

// setFlags applies op with flags to the messages of ids (UIDs when byUID,
// else sequence numbers) in name.
func (m *mailStore) setFlags(name string, byUID bool, ids *imap.SeqSet, op imap.FlagsOp, flags []string) ([]flagChange, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f, _, _, err := m.folder(name, false)
	if err != nil {
		return nil, err
	}
	ids = resolveStar(ids, f.msgs, byUID)
	var out []flagChange
	for i, msg := range f.msgs {
		seq := uint32(i + 1)
		if !ids.Contains(pick(byUID, msg.uid, seq)) {
			continue
		}
		msg.flags = permanentFlags(backendutil.UpdateFlags(slices.Clone(msg.flags), op, flags))
		f.Messages[msg.uid].Flags = msg.flags
		out = append(out, flagChange{seq: seq, uid: msg.uid, flags: slices.Clone(msg.flags)})
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, m.save()
}

// expunge removes name's messages flagged \Deleted (those of uids only,
// unless uids is nil) and returns their sequence numbers, highest first
// (each one valid when the client reads it).
func (m *mailStore) expunge(name string, uids *imap.SeqSet) ([]uint32, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f, _, _, err := m.folder(name, false)
	if err != nil {
		return nil, err
	}
	if uids != nil {
		uids = resolveStar(uids, f.msgs, true)
	}
	return m.remove(name, f, func(msg *mailMsg) bool {
		return slices.Contains(msg.flags, imap.DeletedFlag) && (uids == nil || uids.Contains(msg.uid))
	})
}

// remove deletes the messages of f that drop reports, files first.
func (m *mailStore) remove(name string, f *folderState, drop func(*mailMsg) bool) ([]uint32, error) {
	dir, err := m.folderPath(name)
	if err != nil {
		return nil, err
	}
	var seqs []uint32
	kept := f.msgs[:0:0]
	for i, msg := range f.msgs {
		if !drop(msg) {
			kept = append(kept, msg)
			continue
		}
		if err := os.Remove(filepath.Join(dir, msgFile(msg.uid))); err != nil && !errors.Is(err, fs.ErrNotExist) {
			kept = append(kept, msg)
			continue
		}
		delete(f.Messages, msg.uid)
		seqs = append(seqs, uint32(i+1))
	}
	f.msgs = kept
	slices.Reverse(seqs)
	if len(seqs) == 0 {
		return nil, nil
	}
	return seqs, m.save()
}

// copied is what a COPY or MOVE did: the source and new UIDs, pairwise,
// the destination's UIDVALIDITY and message count, and (MOVE) the source
// sequence numbers expunged, highest first.
type copied struct {
	src, dst []uint32
	validity uint32
	count    uint32
	gone     []uint32
}

// copyMsgs copies the messages of ids in from into to, keeping their
// flags and INTERNALDATE; move then removes them from from.
func (m *mailStore) copyMsgs(from string, byUID bool, ids *imap.SeqSet, to string, move bool) (copied, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out copied
	f, _, _, err := m.folder(from, false)
	if err != nil {
		return out, err
	}
	t, _, _, err := m.folder(to, false)
	if errors.Is(err, backend.ErrNoSuchMailbox) {
		return out, errTryCreate
	}
	if err != nil {
		return out, err
	}
	dir, err := m.folderPath(from)
	if err != nil {
		return out, err
	}
	ids = resolveStar(ids, f.msgs, byUID)
	picked := map[uint32]bool{}
	for i, msg := range f.msgs {
		if !ids.Contains(pick(byUID, msg.uid, uint32(i+1))) {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(dir, msgFile(msg.uid)))
		if err != nil {
			return out, fmt.Errorf("sandbox: mailbox: %w", err)
		}
		uid, err := m.appendLocked(to, msg.flags, msg.date, raw)
		if err != nil {
			return out, err
		}
		out.src, out.dst = append(out.src, msg.uid), append(out.dst, uid)
		picked[msg.uid] = true
	}
	out.validity, out.count = t.UIDValidity, uint32(len(t.msgs))
	if move && len(picked) > 0 {
		out.gone, err = m.remove(from, f, func(msg *mailMsg) bool { return picked[msg.uid] })
	}
	return out, err
}

// folders are the names of the folders, INBOX first.
func (m *mailStore) folders() ([]string, error) {
	var out []string
	err := filepath.WalkDir(m.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() || p == m.dir {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		rel, err := filepath.Rel(m.dir, p)
		if err == nil {
			out = append(out, canonical(filepath.ToSlash(rel)))
		}
		return err
	})
	slices.SortFunc(out, func(a, b string) int {
		switch {
		case a == mailInbox:
			return -1
		case b == mailInbox:
			return 1
		}
		return strings.Compare(a, b)
	})
	return out, err
}

// hasChildren reports whether name has folders under it.
func (m *mailStore) hasChildren(name string) bool {
	dir, err := m.folderPath(name)
	if err != nil {
		return false
	}
	ents, _ := os.ReadDir(dir)
	return slices.ContainsFunc(ents, func(e fs.DirEntry) bool { return e.IsDir() && !strings.HasPrefix(e.Name(), ".") })
}

// create makes folder name (and its parents).
func (m *mailStore) create(name string) error {
	dir, err := m.folderPath(name)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, err := os.Stat(dir); err == nil {
		return backend.ErrMailboxAlreadyExists
	}
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return fmt.Errorf("sandbox: mailbox: %w", err)
	}
	delete(m.st.Folders, name) // a new incarnation: a new UIDVALIDITY
	_, _, _, err = m.folder(name, true)
	return err
}

// deleteFolder removes name and its messages (not INBOX, not a folder
// with folders under it).
func (m *mailStore) deleteFolder(name string) error {
	if name == mailInbox {
		return errors.New("INBOX cannot be deleted")
	}
	if m.hasChildren(name) {
		return errors.New("folder has children")
	}
	dir, err := m.folderPath(name)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, err := os.Stat(dir); err != nil {
		return backend.ErrNoSuchMailbox
	}
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("sandbox: mailbox: %w", err)
	}
	delete(m.st.Folders, name)
	return m.save()
}

// rename moves folder from (not INBOX) to to; the folder keeps its
// UIDVALIDITY and UIDs.
func (m *mailStore) rename(from, to string) error {
	if from == mailInbox {
		return errors.New("renaming INBOX is not supported")
	}
	src, err := m.folderPath(from)
	if err != nil {
		return err
	}
	dst, err := m.folderPath(to)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, err := os.Stat(src); err != nil {
		return backend.ErrNoSuchMailbox
	}
	if _, err := os.Stat(dst); err == nil {
		return backend.ErrMailboxAlreadyExists
	}
	if err := os.MkdirAll(filepath.Dir(dst), dirMode); err != nil {
		return fmt.Errorf("sandbox: mailbox: %w", err)
	}
	if err := os.Rename(src, dst); err != nil {
		return fmt.Errorf("sandbox: mailbox: %w", err)
	}
	for name, f := range m.st.Folders {
		if name == from || strings.HasPrefix(name, from+mailDelim) {
			delete(m.st.Folders, name)
			m.st.Folders[to+strings.TrimPrefix(name, from)] = f
		}
	}
	return m.save()
}

// resolveStar is ids with "*" standing for the highest UID (or sequence
// number) of msgs, and each range in order, as RFC 3501 reads them: a
// UID FETCH of n:* with n above every UID names the last message.
func resolveStar(ids *imap.SeqSet, msgs []*mailMsg, byUID bool) *imap.SeqSet {
	last := uint32(len(msgs))
	if byUID && len(msgs) > 0 {
		last = msgs[len(msgs)-1].uid
	}
	out := new(imap.SeqSet)
	for _, s := range ids.Set {
		lo, hi := s.Start, s.Stop
		if lo == 0 {
			lo = last
		}
		if hi == 0 {
			hi = last
		}
		if lo == 0 || hi == 0 {
			continue // "*" of an empty folder
		}
		out.AddRange(min(lo, hi), max(lo, hi))
	}
	return out
}

func pick(byUID bool, uid, seq uint32) uint32 {
	if byUID {
		return uid
	}
	return seq
}
