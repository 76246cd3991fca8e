package audit

import (
	"bytes"
	"context"
	"fmt"
)

// Snapshot is a trail's lines as they were, for Rebase.
type Snapshot struct{ lines []line }

// Snapshot reads the trail as it is now.
func (t *Trail) Snapshot() (Snapshot, error) {
	_, lines, err := t.read()
	if err != nil {
		return Snapshot{}, err
	}
	for _, l := range lines {
		if l.err != "" {
			return Snapshot{}, &VerifyError{File: l.file, Line: l.n, Why: l.err}
		}
	}
	return Snapshot{lines: lines}, nil
}

// Rebase puts back the entries of s that the trail no longer holds, after
// the files were replaced by another copy of the trail that shares a
// prefix with s (drift --push lost a race: the branch was reset onto the
// remote's head, which another run had extended). The entries after the
// common prefix are appended again on top of the trail as it now is: new
// seq and prev, the rest (ts, actor, action, target, detail) as they
// were; the anchor forgets their old seqs first. It returns how many were
// appended.
func (t *Trail) Rebase(ctx context.Context, s Snapshot) (int, error) {
	unlock, err := lockDir(ctx, t.Dir)
	if err != nil {
		return 0, fmt.Errorf("audit: lock %s: %w", t.Dir, err)
	}
	defer unlock()
	_, now, err := t.read()
	if err != nil {
		return 0, err
	}
	k := 0
	for k < len(s.lines) && k < len(now) && bytes.Equal(s.lines[k].raw, now[k].raw) && now[k].err == "" {
		k++
	}
	lost := s.lines[k:]
	if len(lost) == 0 {
		return 0, nil
	}
	if t.Anchor != nil {
		if err := t.Anchor.Rewind(ctx, t.Dir, int64(k)); err != nil {
			return 0, fmt.Errorf("audit: %w", err)
		}
	}
	for i, l := range lost {
		if _, err := t.appendLocked(ctx, l.entry); err != nil {
			return i, err
		}
	}
	return len(lost), nil
}
