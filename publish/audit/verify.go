package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// VerifyError names the first bad line of a trail and why it is bad.
type VerifyError struct {
	// File is the month file's path (Dir joined with its name); Line
	// counts from 1.
	File string
	Line int
	Why  string
}

func (e *VerifyError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Why) }

// Summary is what Verify checked.
type Summary struct {
	Files   int
	Entries int
	// Head is the last entry's seq and hash (0 and Genesis when empty).
	Head Head
	// Anchor is the head the anchor recorded; Anchored is false when
	// there is no anchor or it recorded nothing for this trail.
	Anchor   Head
	Anchored bool
}

// line is one line read from a month file.
type line struct {
	file  string // the path, for errors
	month string // "2026-12"
	n     int
	raw   []byte
	entry Entry
	err   string // why it is not an entry
}

// read reads every month file's lines, oldest first.
func (t *Trail) read() (files int, lines []line, err error) {
	names, err := t.Files()
	if err != nil {
		return 0, nil, err
	}
	for _, name := range names {
		b, err := readFile(t.Dir, name)
		if err != nil {
			return 0, nil, fmt.Errorf("audit: %w", err)
		}
		month := strings.TrimSuffix(name, ".jsonl")
		for i, raw := range bytes.SplitAfter(b, []byte("\n")) {
			if len(raw) == 0 {
				break
			}
			l := line{file: filepath.Join(t.Dir, name), month: month, n: i + 1}
			if raw[len(raw)-1] != '\n' {
				l.err = "a partial line (no newline): an interrupted write, or the file was cut"
			} else {
				l.raw = raw[:len(raw)-1]
				l.err = decode(l.raw, &l.entry)
			}
			lines = append(lines, l)
		}
	}
	return len(names), lines, nil
}

// decode parses one line strictly: an entry, nothing else.
func decode(raw []byte, e *Entry) string {
	if len(bytes.TrimSpace(raw)) == 0 {
		return "an empty line"
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(e); err != nil {
		return "not an audit entry: " + err.Error()
	}
	if dec.More() {
		return "not an audit entry: more than one JSON value"
	}
	return ""
}

// Verify checks the chain: every line an entry, seq rising by exactly 1
// from 1, every prev the hash of the line before (Genesis first), every
// entry in its month's file; then that the files reach the anchor's head
// and that the line at the head's seq is the one recorded. The first bad
// line is returned as a *VerifyError.
func (t *Trail) Verify(ctx context.Context) (Summary, error) {
	var s Summary
	s.Head.Hash = Genesis
	files, lines, err := t.read()
	if err != nil {
		return s, err
	}
	s.Files = files
	prevAt := "the start"
	byseq := map[int64]line{}
	for _, l := range lines {
		bad := func(format string, args ...any) error {
			return &VerifyError{File: l.file, Line: l.n, Why: fmt.Sprintf(format, args...)}
		}
		e := l.entry
		switch {
		case l.err != "":
			return s, bad("%s", l.err)
		case e.Seq != s.Head.Seq+1:
			return s, bad("seq %d, want %d: a line was removed, inserted or reordered", e.Seq, s.Head.Seq+1)
		case e.Prev != s.Head.Hash:
			return s, bad("prev does not match the hash of %s: that line was edited, or a line was removed, inserted or moved", prevAt)
		case e.TS.UTC().Format("2006-01") != l.month:
			return s, bad("made %s, which belongs in %s: the line was moved between month files", e.TS.UTC().Format(time.RFC3339), monthFile(e.TS))
		case e.Action == "":
			return s, bad("no action")
		}
		s.Head = Head{Seq: e.Seq, Hash: Hash(l.raw)}
		s.Entries++
		prevAt = fmt.Sprintf("%s:%d", l.file, l.n)
		byseq[e.Seq] = l
	}
	if t.Anchor == nil {
		return s, nil
	}
	h, ok, err := t.Anchor.Head(ctx, t.Dir)
	if err != nil {
		return s, fmt.Errorf("audit: %w", err)
	}
	if !ok {
		return s, nil
	}
	s.Anchor, s.Anchored = h, true
	if h.Seq > s.Head.Seq {
		file, n := filepath.Join(t.Dir, "(none)"), 1
		if len(lines) > 0 {
			last := lines[len(lines)-1]
			file, n = last.file, last.n+1
		}
		return s, &VerifyError{File: file, Line: n, Why: fmt.Sprintf("the trail ends at seq %d, but the database recorded entries up to seq %d: the tail was removed", s.Head.Seq, h.Seq)}
	}
	if l := byseq[h.Seq]; Hash(l.raw) != h.Hash {
		return s, &VerifyError{File: l.file, Line: l.n, Why: fmt.Sprintf("entry %d differs from the line the database recorded when it was appended: it was edited", h.Seq)}
	}
	return s, nil
}

// Entries are the trail's entries made at or after since (zero: all),
// oldest first. A line that is not an entry is an error naming it; the
// chain itself is Verify's business.
func (t *Trail) Entries(since time.Time) ([]Entry, error) {
	_, lines, err := t.read()
	if err != nil {
		return nil, err
	}
	var out []Entry
	for _, l := range lines {
		if l.err != "" {
			return nil, &VerifyError{File: l.file, Line: l.n, Why: l.err}
		}
		if !l.entry.TS.Before(since) {
			out = append(out, l.entry)
		}
	}
	return out, nil
}
