package remote

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// Local is a Transport on this machine where the directory Root stands for
// the NAS's root: "/etc/crontab" is Root/etc/crontab. Paths that would leave
// Root (through "..") are refused, and no symbolic link under Root is
// followed (see checkPath). Commands run with
// "sh -c" in Root with ITLAG_ROOT=Root in their environment, so that
// commands written as `cat "${ITLAG_ROOT}/etc/crontab"` work both here and
// over SSH (where ITLAG_ROOT is empty). Used by the sandbox and tests.
type Local struct {
	Root string

	// afterTempWrite, when set (tests), is called with a temporary file's
	// path (relative to Root) once the data is in it, before its chmod.
	afterTempWrite func(tmp string)
}

var _ Transport = Local{}

// rel maps an absolute NAS path to a path relative to Root.
func (l Local) rel(p string) (string, error) {
	if l.Root == "" {
		return "", errors.New("local: no root directory")
	}
	if !strings.HasPrefix(p, "/") {
		return "", fmt.Errorf("local: %s: path is not absolute", p)
	}
	depth := 0
	for _, el := range strings.Split(p, "/") {
		switch el {
		case "", ".":
		case "..":
			if depth--; depth < 0 {
				return "", fmt.Errorf("local: %s: path escapes the root", p)
			}
		default:
			depth++
		}
	}
	rel := strings.TrimPrefix(path.Clean(p), "/")
	if rel == "" {
		rel = "."
	}
	return filepath.FromSlash(rel), nil
}

func (l Local) open(p string) (*os.Root, string, error) {
	rel, err := l.rel(p)
	if err != nil {
		return nil, "", err
	}
	root, err := os.OpenRoot(l.Root)
	if err != nil {
		return nil, "", fmt.Errorf("local: %w", err)
	}
	return root, rel, nil
}

// Run runs cmd with "sh -c" in Root, with ITLAG_ROOT set to Root's absolute
// path. Cancelling ctx kills it.
func (l Local) Run(ctx context.Context, cmd string, stdin []byte) (Result, error) {
	abs, err := filepath.Abs(l.Root)
	if err != nil || l.Root == "" {
		return Result{}, fmt.Errorf("local: run: bad root %q", l.Root)
	}
	c := exec.CommandContext(ctx, "sh", "-c", cmd)
	c.Dir = abs
	c.Env = append(os.Environ(), "ITLAG_ROOT="+abs)
	if stdin != nil {
		c.Stdin = bytes.NewReader(stdin)
	}
	var stdout, stderr bytes.Buffer
	c.Stdout, c.Stderr = &stdout, &stderr
	c.WaitDelay = time.Second // children keeping the pipes open
	err = c.Run()
	res := Result{Stdout: stdout.Bytes(), Stderr: stderr.Bytes()}
	if ctx.Err() != nil {
		res.ExitCode = -1
		return res, fmt.Errorf("local: run: %w", ctx.Err())
	}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		res.ExitCode = exit.ExitCode()
		if res.ExitCode < 0 { // killed by a signal
			res.ExitCode = 255
		}
	default:
		return res, fmt.Errorf("local: run: %w", err)
	}
	return res, nil
}

// ReadFile reads Root+path, with its permission bits. Like SSH's, it
// checks the path and its parents under Root first (see checkPath): a
// symbolic link, or a directory others may write, is refused with an error
// wrapping ErrUnsafePath.
func (l Local) ReadFile(ctx context.Context, p string) ([]byte, fs.FileMode, error) {
	fail := func(err error) error { return fmt.Errorf("local: read %s: %w", p, err) }
	if err := ctx.Err(); err != nil {
		return nil, 0, fail(err)
	}
	root, rel, err := l.open(p)
	if err != nil {
		return nil, 0, err
	}
	defer root.Close()
	fi, err := l.check(root, p)
	if err := readable(fi, err); err != nil {
		return nil, 0, fail(err)
	}
	data, err := readChecked(root, rel, fi)
	if err != nil {
		return nil, 0, fail(err)
	}
	return data, fi.Mode().Perm(), nil
}

// check runs checkPath on the NAS path p inside root.
func (l Local) check(root *os.Root, p string) (fs.FileInfo, error) {
	lstat := func(q string) (fs.FileInfo, error) {
		rel, err := l.rel(q)
		if err != nil {
			return nil, err
		}
		return root.Lstat(rel)
	}
	return checkPath(path.Clean(p), lstat, localOwner)
}

// readChecked reads rel, which must still be the file fi (checked with
// Lstat): a name swapped for a link in between is refused.
func readChecked(root *os.Root, rel string, fi fs.FileInfo) ([]byte, error) {
	f, err := root.Open(rel)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !os.SameFile(fi, st) {
		return nil, fmt.Errorf("%w: the file changed while it was opened (replaced by a link?)", ErrUnsafePath)
	}
	return io.ReadAll(f)
}

// WriteFile replaces Root+path atomically, as Transport says: a temporary
// file beside it, created 0600 and exclusively, written, chmod to mode; the
// old content copied to path+PrevSuffix; rename. The path is checked
// first, as ReadFile does: nothing is written through a link.
func (l Local) WriteFile(ctx context.Context, p string, data []byte, mode fs.FileMode) error {
	fail := func(err error) error { return fmt.Errorf("local: write %s: %w", p, err) }
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	root, rel, err := l.open(p)
	if err != nil {
		return err
	}
	defer root.Close()
	old, err := l.check(root, p)
	switch {
	case err != nil:
		return fail(err)
	case old != nil && !old.Mode().IsRegular():
		return fail(errors.New("not a regular file"))
	}
	if old != nil {
		if _, err := l.check(root, path.Clean(p)+PrevSuffix); err != nil {
			return fail(fmt.Errorf("keep previous: %w", err))
		}
	}
	tmp, err := l.writeTempRoot(root, rel, data, mode)
	if err != nil {
		return fail(err)
	}
	if old != nil {
		prevData, err := readChecked(root, rel, old)
		if err == nil {
			var ptmp string
			if ptmp, err = l.writeTempRoot(root, rel+PrevSuffix, prevData, old.Mode().Perm()); err == nil {
				if err = root.Rename(ptmp, rel+PrevSuffix); err != nil {
					_ = root.Remove(ptmp)
				}
			}
		}
		if err != nil {
			_ = root.Remove(tmp)
			return fail(fmt.Errorf("keep previous: %w", err))
		}
	}
	if err := root.Rename(tmp, rel); err != nil {
		_ = root.Remove(tmp)
		return fail(err)
	}
	return nil
}

// writeTempRoot writes data to a new temporary file beside rel, created
// exclusively and 0600 (whatever the umask) so that no one else can open
// it while it holds data, then gives it mode.
func (l Local) writeTempRoot(root *os.Root, rel string, data []byte, mode fs.FileMode) (string, error) {
	tmp := filepath.FromSlash(tempName(filepath.ToSlash(rel)))
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", fmt.Errorf("create temporary file: %w", err)
	}
	_, werr := f.Write(data)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		_ = root.Remove(tmp)
		return "", fmt.Errorf("write temporary file: %w", err)
	}
	if l.afterTempWrite != nil {
		l.afterTempWrite(tmp)
	}
	if err := root.Chmod(tmp, mode); err != nil {
		_ = root.Remove(tmp)
		return "", fmt.Errorf("chmod temporary file: %w", err)
	}
	return tmp, nil
}

// Close does nothing: Local holds no connection.
func (Local) Close() error { return nil }
