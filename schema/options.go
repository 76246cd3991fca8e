package schema

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"
)

// DefaultMaxFileSize is the largest state file Load reads when
// LoadOptions.MaxFileSize is 0: 64 MiB, some 600k records.
const DefaultMaxFileSize = 64 << 20

// MaxFileSizeEnv is the environment variable the itlag command reads the
// per-file limit from (see ParseFileSize); the problem of a file over the
// limit names it.
const MaxFileSizeEnv = "ITLAG_MAX_STATE_FILE"

// LoadOptions say how LoadContext reads a state directory.
type LoadOptions struct {
	// MaxFileSize is the largest state file read, in bytes; 0 is
	// DefaultMaxFileSize. A larger file is a problem naming the file and
	// the limit, found before the file is read.
	MaxFileSize int64
	// AllowEmpty: a directory without state files is an empty State (an
	// import starts from nothing), not a problem.
	AllowEmpty bool
}

// LoadContext is Load with options, abandoned when ctx ends: ctx is
// checked between files and between batches of records, and the error
// then says the load was interrupted and wraps context.Cause(ctx) (and
// ctx.Err()). Decoding one file's YAML is not interrupted; MaxFileSize
// bounds how long that takes.
func LoadContext(ctx context.Context, dir string, opts LoadOptions) (*State, error) {
	return loadDir(ctx, dir, loadMode{ageFiles: true, allowEmpty: opts.AllowEmpty, maxFileSize: opts.MaxFileSize})
}

// ParseFileSize parses a file size limit as MaxFileSizeEnv holds it: a
// number of bytes, or a number with a unit KiB, MiB, GiB (powers of 1024)
// or KB, MB, GB (powers of 1000): "64MiB", "100MB", "1048576".
func ParseFileSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("file size %q: want a positive number of bytes, optionally with a unit (KiB, MiB, GiB, KB, MB, GB), e.g. 64MiB", s)
	}
	return n * mult, nil
}

// sizeString says a size in bytes the way people read it: 64 MiB, 7.2 KiB.
func sizeString(n int64) string {
	unit := func(div float64, name string) string {
		return strings.TrimSuffix(strconv.FormatFloat(float64(n)/div, 'f', 1, 64), ".0") + " " + name
	}
	switch {
	case n >= 1<<30:
		return unit(1<<30, "GiB")
	case n >= 1<<20:
		return unit(1<<20, "MiB")
	case n >= 1<<10:
		return unit(1<<10, "KiB")
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// errTooLarge is a state file over the size limit.
type errTooLarge struct {
	size int64 // -1: unknown (the file grew past the limit while read)
	max  int64
}

func (e *errTooLarge) Error() string {
	size := "larger than"
	if e.size >= 0 {
		size = fmt.Sprintf("%s (%d bytes), over", sizeString(e.size), e.size)
	}
	return fmt.Sprintf("is %s the limit of %s (%d bytes) for one state file, refusing to read it; want the records split over several files, or a higher limit (%s)",
		size, sizeString(e.max), e.max, MaxFileSizeEnv)
}

// readLimited reads the file rel of fsys, refusing one over max bytes:
// by its size before reading, and by reading at most max+1 bytes.
func readLimited(fsys fs.FS, rel string, max int64) ([]byte, error) {
	f, err := fsys.Open(rel)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var buf bytes.Buffer
	if fi, err := f.Stat(); err == nil {
		if fi.Size() > max {
			return nil, &errTooLarge{size: fi.Size(), max: max}
		}
		buf.Grow(int(fi.Size()) + bytes.MinRead)
	}
	if _, err := buf.ReadFrom(io.LimitReader(f, max+1)); err != nil {
		return nil, err
	}
	if int64(buf.Len()) > max {
		return nil, &errTooLarge{size: -1, max: max}
	}
	return buf.Bytes(), nil
}

// interruptedError is a load abandoned because its context ended.
type interruptedError struct {
	what       string
	cause, err error
}

func (e *interruptedError) Error() string {
	return e.what + ": interrupted: " + e.cause.Error()
}

func (e *interruptedError) Unwrap() []error { return []error{e.cause, e.err} }

// interrupted returns an error if ctx has ended, saying what was
// interrupted and why.
func interrupted(ctx context.Context, what string) error {
	err := ctx.Err()
	if err == nil {
		return nil
	}
	return &interruptedError{what: what, cause: context.Cause(ctx), err: err}
}
