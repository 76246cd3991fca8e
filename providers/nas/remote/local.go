package remote

import (
	"bytes"
	"context"
	"errors"
	"fmt"
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
// Root (through ".." or a symbolic link) are refused. Commands run with
// "sh -c" in Root with ITLAG_ROOT=Root in their environment, so that
// commands written as `cat "${ITLAG_ROOT}/etc/crontab"` work both here and
// over SSH (where ITLAG_ROOT is empty). Used by the sandbox and tests.
type Local struct {
	Root string
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

// ReadFile reads Root+path, with its permission bits.
func (l Local) ReadFile(ctx context.Context, p string) ([]byte, fs.FileMode, error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, fmt.Errorf("local: read %s: %w", p, err)
	}
	root, rel, err := l.open(p)
	if err != nil {
		return nil, 0, err
	}
	defer root.Close()
	st, err := root.Stat(rel)
	if err != nil {
		return nil, 0, fmt.Errorf("local: read %s: %w", p, err)
	}
	if st.IsDir() {
		return nil, 0, fmt.Errorf("local: read %s: is a directory", p)
	}
	data, err := root.ReadFile(rel)
	if err != nil {
		return nil, 0, fmt.Errorf("local: read %s: %w", p, err)
	}
	return data, st.Mode().Perm(), nil
}

// WriteFile replaces Root+path atomically, as Transport says: a temporary
// file beside it, chmod, the old content copied to path+PrevSuffix, rename.
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
	old, err := root.Stat(rel)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		old = nil
	case err != nil:
		return fail(err)
	case !old.Mode().IsRegular():
		return fail(errors.New("not a regular file"))
	}
	tmp, err := writeTempRoot(root, rel, data, mode)
	if err != nil {
		return fail(err)
	}
	if old != nil {
		prevData, err := root.ReadFile(rel)
		if err == nil {
			var ptmp string
			if ptmp, err = writeTempRoot(root, rel+PrevSuffix, prevData, old.Mode().Perm()); err == nil {
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

func writeTempRoot(root *os.Root, rel string, data []byte, mode fs.FileMode) (string, error) {
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
	if err := root.Chmod(tmp, mode); err != nil {
		_ = root.Remove(tmp)
		return "", fmt.Errorf("chmod temporary file: %w", err)
	}
	return tmp, nil
}

// Close does nothing: Local holds no connection.
func (Local) Close() error { return nil }
