package remote

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"

	"github.com/pkg/sftp"
)

// files returns the connection's SFTP client, opening it on first use.
func (c *SSH) files() (*sftp.Client, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sftp != nil {
		return c.sftp, nil
	}
	fc, err := sftp.NewClient(c.client)
	if err != nil {
		return nil, fmt.Errorf("ssh %s: open sftp (is SFTP enabled on the NAS?): %w", c.where, err)
	}
	c.sftp = fc
	return fc, nil
}

// ReadFile reads path over SFTP, with its permission bits. A missing file
// is an error wrapping fs.ErrNotExist.
func (c *SSH) ReadFile(ctx context.Context, p string) ([]byte, fs.FileMode, error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, fmt.Errorf("ssh %s: read %s: %w", c.where, p, err)
	}
	fc, err := c.files()
	if err != nil {
		return nil, 0, err
	}
	f, err := fc.Open(p)
	if err != nil {
		return nil, 0, fmt.Errorf("ssh %s: read %s: %w", c.where, p, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, 0, fmt.Errorf("ssh %s: read %s: stat: %w", c.where, p, err)
	}
	if st.IsDir() {
		return nil, 0, fmt.Errorf("ssh %s: read %s: is a directory", c.where, p)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return nil, 0, fmt.Errorf("ssh %s: read %s: %w", c.where, p, err)
	}
	return buf.Bytes(), st.Mode().Perm(), nil
}

// WriteFile replaces path atomically over SFTP: the data goes to a
// temporary file in the same directory, which gets mode (and the old file's
// owner, when permitted); the old content is copied to path+PrevSuffix; the
// temporary file is then renamed over path, with posix-rename@openssh.com
// when the server has it. Without that extension a plain SFTP rename cannot
// replace a file, so the target is removed first (not atomic).
// A symbolic link at path is followed: its target is replaced.
func (c *SSH) WriteFile(ctx context.Context, p string, data []byte, mode fs.FileMode) error {
	fail := func(err error) error { return fmt.Errorf("ssh %s: write %s: %w", c.where, p, err) }
	if !path.IsAbs(p) {
		return fail(errors.New("path is not absolute"))
	}
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	fc, err := c.files()
	if err != nil {
		return err
	}
	old, err := fc.Lstat(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		old = nil
	case err != nil:
		return fail(err)
	case old.Mode()&fs.ModeSymlink != 0:
		if p, err = fc.RealPath(p); err != nil {
			return fail(fmt.Errorf("resolve link: %w", err))
		}
		if old, err = fc.Stat(p); errors.Is(err, fs.ErrNotExist) {
			old = nil
		} else if err != nil {
			return fail(err)
		}
	}
	if old != nil && !old.Mode().IsRegular() {
		return fail(errors.New("not a regular file"))
	}

	tmp, err := c.writeTemp(fc, p, data, mode, old)
	if err != nil {
		return fail(err)
	}
	if old != nil {
		if err := c.keepPrevious(ctx, fc, p, old); err != nil {
			_ = fc.Remove(tmp)
			return fail(fmt.Errorf("keep previous: %w", err))
		}
	}
	if err := ctx.Err(); err != nil {
		_ = fc.Remove(tmp)
		return fail(err)
	}
	if err := rename(fc, tmp, p); err != nil {
		_ = fc.Remove(tmp)
		return fail(err)
	}
	return nil
}

// writeTemp writes data to a new temporary file beside p, with mode and,
// when like is not nil, like's owner (best effort: only root may give a file
// away).
func (c *SSH) writeTemp(fc *sftp.Client, p string, data []byte, mode fs.FileMode, like fs.FileInfo) (string, error) {
	tmp := tempName(p)
	f, err := fc.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL)
	if err != nil {
		return "", fmt.Errorf("create temporary file: %w", err)
	}
	_, werr := f.Write(data)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		_ = fc.Remove(tmp)
		return "", fmt.Errorf("write temporary file: %w", err)
	}
	if like != nil {
		if st, ok := like.Sys().(*sftp.FileStat); ok {
			_ = fc.Chown(tmp, int(st.UID), int(st.GID))
		}
	}
	// After the chown, which may clear set-id bits.
	if err := fc.Chmod(tmp, mode); err != nil {
		_ = fc.Remove(tmp)
		return "", fmt.Errorf("chmod temporary file: %w", err)
	}
	return tmp, nil
}

// keepPrevious copies p's current content to p+PrevSuffix, atomically too.
func (c *SSH) keepPrevious(ctx context.Context, fc *sftp.Client, p string, old fs.FileInfo) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f, err := fc.Open(p)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	_, err = f.WriteTo(&buf)
	f.Close()
	if err != nil {
		return err
	}
	prev := p + PrevSuffix
	tmp, err := c.writeTemp(fc, prev, buf.Bytes(), old.Mode().Perm(), old)
	if err != nil {
		return err
	}
	if err := rename(fc, tmp, prev); err != nil {
		_ = fc.Remove(tmp)
		return err
	}
	return nil
}

// rename moves from over to, replacing it.
func rename(fc *sftp.Client, from, to string) error {
	if _, ok := fc.HasExtension("posix-rename@openssh.com"); ok {
		if err := fc.PosixRename(from, to); err != nil {
			return fmt.Errorf("rename: %w", err)
		}
		return nil
	}
	err := fc.Rename(from, to)
	if err == nil {
		return nil
	}
	if _, serr := fc.Lstat(to); serr != nil {
		return fmt.Errorf("rename: %w", err)
	}
	if err := fc.Remove(to); err != nil {
		return fmt.Errorf("rename: remove old: %w", err)
	}
	if err := fc.Rename(from, to); err != nil {
		return fmt.Errorf("rename: %w", err)
	}
	return nil
}

// tempName is a fresh hidden name beside p.
func tempName(p string) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	dir, base := path.Split(p)
	return dir + "." + base + ".itlag-tmp-" + hex.EncodeToString(b[:])
}
