package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"time"

	"github.com/lagrieta/itlag/store/safefile"
)

// Trail is an audit trail: the month files in Dir, and the Anchor (nil:
// none) that records the head.
type Trail struct {
	// Dir holds the month files ("<repo>/audit").
	Dir string
	// Anchor records every appended line and the head; nil when no
	// local database is available (Verify then cannot see a truncated
	// tail).
	Anchor Anchor
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

// ErrTruncated says the files end before the anchor's head.
var ErrTruncated = errors.New("the trail ends before the head the database recorded")

var monthName = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}\.jsonl$`)

// Files are the month files' names, oldest first.
func (t *Trail) Files() ([]string, error) {
	ents, err := os.ReadDir(t.Dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	var out []string
	for _, e := range ents {
		if monthName.MatchString(e.Name()) {
			out = append(out, e.Name())
		}
	}
	slices.Sort(out)
	return out, nil
}

// Append adds e to the trail under the directory's lock: Seq and Prev
// follow the last line, TS is now (UTC, to the second) unless set; the
// line goes to TS's month file, then to the anchor. It returns the entry
// written.
func (t *Trail) Append(ctx context.Context, e Entry) (Entry, error) {
	if err := safeDir(t.Dir, true); err != nil {
		return Entry{}, fmt.Errorf("audit: %w", err)
	}
	unlock, err := lockDir(ctx, t.Dir)
	if err != nil {
		return Entry{}, fmt.Errorf("audit: lock %s: %w", t.Dir, err)
	}
	defer unlock()
	return t.appendLocked(ctx, e)
}

// Ready reports whether an Append would succeed as far as the trail
// goes: the directory safe (created if missing), the last line whole, the
// files reaching the anchor's head. An apply asks before changing
// anything, so that nothing is changed that cannot be recorded.
func (t *Trail) Ready(ctx context.Context) error {
	if err := safeDir(t.Dir, true); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	unlock, err := lockDir(ctx, t.Dir)
	if err != nil {
		return fmt.Errorf("audit: lock %s: %w", t.Dir, err)
	}
	defer unlock()
	_, _, err = t.head(ctx)
	return err
}

// head is the last line's seq and hash, refused when the files end before
// the anchor's head.
func (t *Trail) head(ctx context.Context) (int64, string, error) {
	seq, prev, err := t.lastLine()
	if err != nil {
		return 0, "", fmt.Errorf("audit: %w", err)
	}
	if t.Anchor != nil {
		h, ok, err := t.Anchor.Head(ctx, t.Dir)
		if err != nil {
			return 0, "", fmt.Errorf("audit: %w", err)
		}
		if ok && h.Seq > seq {
			return 0, "", fmt.Errorf("audit: %s: %w (seq %d, the files end at %d); run \"itlag audit verify\"", t.Dir, ErrTruncated, h.Seq, seq)
		}
	}
	return seq, prev, nil
}

// appendLocked is Append with the directory locked.
func (t *Trail) appendLocked(ctx context.Context, e Entry) (Entry, error) {
	seq, prev, err := t.head(ctx)
	if err != nil {
		return Entry{}, err
	}
	if e.TS.IsZero() {
		now := time.Now
		if t.Now != nil {
			now = t.Now
		}
		e.TS = now()
	}
	e.TS = e.TS.UTC().Truncate(time.Second)
	e.Seq, e.Prev = seq+1, prev
	line, err := encode(e)
	if err != nil {
		return Entry{}, fmt.Errorf("audit: %w", err)
	}
	name := monthFile(e.TS)
	if err := appendLine(t.Dir, name, line); err != nil {
		return Entry{}, fmt.Errorf("audit: %w", err)
	}
	if t.Anchor != nil {
		if err := t.Anchor.Record(ctx, t.Dir, e.Seq, Hash(line), line); err != nil {
			return e, fmt.Errorf("audit: %s: entry %d written, but not anchored: %w", name, e.Seq, err)
		}
	}
	return e, nil
}

// lastLine is the last line's seq and hash (0 and Genesis for an empty
// trail). A last file that does not end in a newline is refused.
func (t *Trail) lastLine() (int64, string, error) {
	files, err := t.Files()
	if err != nil {
		return 0, "", err
	}
	for i := len(files) - 1; i >= 0; i-- {
		b, err := readFile(t.Dir, files[i])
		if err != nil {
			return 0, "", err
		}
		if len(b) == 0 {
			continue
		}
		if b[len(b)-1] != '\n' {
			return 0, "", fmt.Errorf("%s ends in a partial line; run \"itlag audit verify\"", files[i])
		}
		b = b[:len(b)-1]
		line := b[bytes.LastIndexByte(b, '\n')+1:]
		var head struct {
			Seq int64 `json:"seq"`
		}
		if err := json.Unmarshal(line, &head); err != nil || head.Seq < 1 {
			return 0, "", fmt.Errorf("%s: the last line is not an entry; run \"itlag audit verify\"", files[i])
		}
		return head.Seq, Hash(line), nil
	}
	return 0, Genesis, nil
}

// appendLine appends line and a newline to dir/name in one write, through
// safefile (no symlink, no hard link, no directory others can write), and
// syncs it.
func appendLine(dir, name string, line []byte) error {
	f, err := safefile.Append(dir, name, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(append(slices.Clip(line), '\n')); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", filepath.Join(dir, name), err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("sync %s: %w", filepath.Join(dir, name), err)
	}
	return f.Close()
}

// readFile reads dir/name through safefile (never through a symlink).
func readFile(dir, name string) ([]byte, error) {
	f, err := safefile.OpenFile(dir, name, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", filepath.Join(dir, name), err)
	}
	return b, nil
}

// safeDir refuses a trail directory that is a symlink, or that it or its
// parent is writable by others (without the sticky bit); create makes it
// (0755) when missing.
func safeDir(dir string, create bool) error {
	fi, err := os.Lstat(dir)
	if errors.Is(err, os.ErrNotExist) && create {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("create %s: %w", dir, err)
		}
		fi, err = os.Lstat(dir)
	}
	if err != nil {
		return err
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		return fmt.Errorf("%s is a symlink; refusing to follow it", dir)
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	if err := checkWritable(dir); err != nil {
		return err
	}
	return checkWritable(filepath.Dir(dir))
}

// checkWritable refuses a directory that others may write (unless sticky).
func checkWritable(dir string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if m := fi.Mode(); m&0o002 != 0 && m&os.ModeSticky == 0 {
		return fmt.Errorf("%s is writable by others (mode %v); refusing it", dir, m.Perm())
	}
	return nil
}
