package inbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/emersion/go-imap"

	"github.com/lagrieta/itlag/store"
)

// DefaultMaxMessageBytes is the largest message fetched when
// Account.MaxMessageBytes is zero.
const DefaultMaxMessageBytes = 25 << 20

// The bounds of one body fetch: at most batchCount messages, and no more
// than batchBytes (RFC822.SIZE) unless the batch is one message.
const (
	batchCount = 250
	batchBytes = 8 << 20
)

// Pass reads each of a.Folders once and hands every message above the
// folder's cursor to h, in UID order:
//   - the folder is opened with EXAMINE (read-only), or SELECT when MoveTo
//     is set;
//   - a UIDVALIDITY other than the cursor's reads the folder again from
//     the start (the folder is listed in Stats.Reset: h must recognise
//     what it already saw);
//   - a folder whose UIDNEXT shows nothing new costs no FETCH;
//   - metadata first (UID, RFC822.SIZE, INTERNALDATE), then bodies with
//     BODY.PEEK[] (nothing is marked \Seen) in batches; a message above
//     MaxMessageBytes is handed over without its body (TooBig);
//   - after h returned nil for a batch, the messages are moved to MoveTo
//     (when set) and the cursor advances past them.
//
// A message is never deleted except by MoveTo's move. An error (of the
// connection, the server or h) stops the pass; the next pass resumes
// after the last message whose batch was stored. Stats counts what was
// done, also when err is not nil.
func Pass(ctx context.Context, db *store.DB, a Account, h Handler) (st Stats, err error) {
	a = a.withDefaults()
	if slices.Contains(a.Folders, a.MoveTo) {
		return st, fmt.Errorf("inbox: %s: move_to %q is also a folder to read", a.Name, a.MoveTo)
	}
	s, err := dial(ctx, a, nil)
	if err != nil {
		return st, fmt.Errorf("inbox: %s: %w", a.Name, err)
	}
	defer func() {
		s.close()
		st.Commands = s.commands()
	}()
	if a.MoveTo != "" {
		if err := s.canMove(); err != nil {
			return st, fmt.Errorf("inbox: %s: move to %s: %w", a.Name, a.MoveTo, err)
		}
	}
	for _, folder := range a.Folders {
		st.Folders++
		fp := &folderPass{s: s, db: db, a: a, folder: folder, h: h, st: &st}
		if err := fp.run(ctx); err != nil {
			if ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
				err = fmt.Errorf("%w (%v)", ctx.Err(), err)
			}
			return st, fmt.Errorf("inbox: %s: %s: %w", a.Name, folder, err)
		}
	}
	return st, nil
}

// folderPass is one folder's part of a pass.
type folderPass struct {
	s      *session
	db     *store.DB
	a      Account
	folder string
	h      Handler
	st     *Stats

	uidvalidity, last uint32
}

func (p *folderPass) run(ctx context.Context) error {
	verb := "examine"
	if p.a.MoveTo != "" {
		verb = "select"
	}
	mbox, err := p.s.c.Select(p.folder, p.a.MoveTo == "")
	if err != nil {
		return fmt.Errorf("%s: %w", verb, err)
	}
	v, last, _, ok, err := loadCursor(ctx, p.db, p.a.Name, p.folder)
	if err != nil {
		return err
	}
	p.uidvalidity, p.last = mbox.UidValidity, last
	if ok && v != mbox.UidValidity {
		p.st.Reset = append(p.st.Reset, p.folder)
		p.last = 0
	}
	if mbox.Messages == 0 || (mbox.UidNext != 0 && mbox.UidNext <= p.last+1) {
		return p.save(ctx, p.last)
	}
	metas, err := p.fetchMeta()
	if err != nil {
		return err
	}
	p.st.New += len(metas)
	for i := 0; i < len(metas); {
		j := i + 1
		if metas[i].Size <= p.a.MaxMessageBytes {
			n := metas[i].Size
			for j < len(metas) && j-i < batchCount && metas[j].Size <= p.a.MaxMessageBytes && n+metas[j].Size <= batchBytes {
				n += metas[j].Size
				j++
			}
		}
		if err := p.batch(ctx, metas[i:j]); err != nil {
			return err
		}
		i = j
	}
	return nil
}

// fetchMeta asks for UID, RFC822.SIZE and INTERNALDATE above the cursor
// and returns the messages in UID order ("n:*" always answers the last
// message, even below n: those are dropped, as are unilateral FETCHes).
func (p *folderPass) fetchMeta() ([]Fetched, error) {
	set := new(imap.SeqSet)
	set.AddRange(p.last+1, 0)
	items := []imap.FetchItem{imap.FetchUid, imap.FetchRFC822Size, imap.FetchInternalDate}
	var out []Fetched
	err := p.fetch(set, items, func(m *imap.Message) {
		if _, ok := m.Items[imap.FetchRFC822Size]; !ok || m.Uid <= p.last {
			return
		}
		out = append(out, Fetched{Folder: p.folder, UIDValidity: p.uidvalidity, UID: m.Uid,
			Size: int64(m.Size), InternalDate: m.InternalDate, TooBig: int64(m.Size) > p.a.MaxMessageBytes})
	})
	if err != nil {
		return nil, fmt.Errorf("fetch sizes above UID %d: %w", p.last, err)
	}
	slices.SortFunc(out, func(a, b Fetched) int { return int(a.UID) - int(b.UID) })
	return slices.CompactFunc(out, func(a, b Fetched) bool { return a.UID == b.UID }), nil
}

// fetch runs one UID FETCH, handing each message that has a UID to f.
func (p *folderPass) fetch(set *imap.SeqSet, items []imap.FetchItem, f func(*imap.Message)) error {
	ch := make(chan *imap.Message, 64)
	done := make(chan error, 1)
	go func() { done <- p.s.c.UidFetch(set, items, ch) }()
	for m := range ch {
		if m.Uid != 0 {
			f(m)
		}
	}
	return <-done
}

// batch fetches the bodies of ms (unless TooBig), hands them over in
// order, moves them and stores the cursor after the last one handled.
func (p *folderPass) batch(ctx context.Context, ms []Fetched) error {
	bodies := map[uint32][]byte{}
	if ms[0].TooBig {
		// only the header: who sent it and what it is about, for a person
		set := new(imap.SeqSet)
		for _, m := range ms {
			set.AddNum(m.UID)
		}
		sec := &imap.BodySectionName{BodyPartName: imap.BodyPartName{Specifier: imap.HeaderSpecifier}, Peek: true}
		err := p.fetch(set, []imap.FetchItem{imap.FetchUid, sec.FetchItem()}, func(m *imap.Message) {
			if h := m.GetBody(sec); h != nil {
				bodies[m.Uid] = literalBytes(h)
			}
		})
		if err != nil {
			return fmt.Errorf("fetch headers of UIDs %d-%d: %w", ms[0].UID, ms[len(ms)-1].UID, err)
		}
	} else {
		set := new(imap.SeqSet)
		for _, m := range ms {
			set.AddNum(m.UID)
		}
		sec := &imap.BodySectionName{Peek: true}
		err := p.fetch(set, []imap.FetchItem{imap.FetchUid, sec.FetchItem()}, func(m *imap.Message) {
			if body := m.GetBody(sec); body != nil {
				bodies[m.Uid] = literalBytes(body)
			}
		})
		if err != nil {
			return fmt.Errorf("fetch bodies of UIDs %d-%d: %w", ms[0].UID, ms[len(ms)-1].UID, err)
		}
	}
	var handled []uint32
	last := p.last
	var herr error
	for _, m := range ms {
		if !m.TooBig {
			raw, ok := bodies[m.UID]
			if !ok {
				last = m.UID // expunged since the first FETCH: gone
				continue
			}
			m.Raw = raw
			p.st.Fetched++
			p.st.Bytes += int64(len(raw))
		} else {
			m.Header = bodies[m.UID]
			p.st.TooBig++
		}
		if err := p.h(ctx, m); err != nil {
			herr = fmt.Errorf("handle UID %d: %w", m.UID, err)
			break
		}
		handled = append(handled, m.UID)
		last = m.UID
	}
	if len(handled) > 0 && p.a.MoveTo != "" {
		if err := p.s.move(handled, p.a.MoveTo); err != nil {
			return errors.Join(herr, fmt.Errorf("move UIDs %d-%d to %s: %w", handled[0], handled[len(handled)-1], p.a.MoveTo, err))
		}
		p.st.Moved += len(handled)
	}
	if last != p.last {
		if err := p.save(ctx, last); err != nil {
			return errors.Join(herr, err)
		}
	}
	return herr
}

// save stores the cursor at lastUID.
func (p *folderPass) save(ctx context.Context, lastUID uint32) error {
	if err := saveCursor(ctx, p.db, p.a.Name, p.folder, p.uidvalidity, lastUID); err != nil {
		return err
	}
	p.last = lastUID
	return nil
}

// literalBytes is a literal's bytes (go-imap reads each literal whole
// into a bytes.Buffer: no copy then).
func literalBytes(l imap.Literal) []byte {
	if b, ok := l.(*bytes.Buffer); ok {
		return b.Bytes()
	}
	b, _ := io.ReadAll(l)
	return b
}
