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
// is an error wrapping fs.ErrNotExist. The path and each of its parents are
// checked first (see checkPath): a symbolic link, or a parent directory
// others may write, is refused with an error wrapping ErrUnsafePath, and
// the file opened must still be the one checked.
func (c *SSH) ReadFile(ctx context.Context, p string) ([]byte, fs.FileMode, error) {
	fail := func(err error) error { return fmt.Errorf("ssh %s: read %s: %w", c.where, p, err) }
	if err := ctx.Err(); err != nil {
		return nil, 0, fail(err)
	}
	fc, err := c.files()
	if err != nil {
		return nil, 0, err
	}
	fi, err := checkPath(p, fc.Lstat, sftpOwner)
	if err := readable(fi, err); err != nil {
		return nil, 0, fail(err)
	}
	f, err := fc.Open(p)
	if err != nil {
		return nil, 0, fail(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, 0, fail(fmt.Errorf("stat: %w", err))
	}
	// SFTP cannot open without following a link: what was opened must be
	// what was checked, or the name was swapped in between.
	if !sameFile(fi, st) {
		return nil, 0, fail(fmt.Errorf("%w: the file changed while it was opened (replaced by a link?)", ErrUnsafePath))
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return nil, 0, fail(err)
	}
	return buf.Bytes(), st.Mode().Perm(), nil
}

// sftpOwner is the numeric owner SFTP reports.
func sftpOwner(fi fs.FileInfo) (uint32, bool) {
	st, ok := fi.Sys().(*sftp.FileStat)
	if !ok {
		return 0, false
	}
	return st.UID, true
}

// sameFile reports whether two SFTP stats agree on what SFTP shows of a
// file's identity (it has no inode numbers): type, mode, owner, size and
// modification time.
func sameFile(a, b fs.FileInfo) bool {
	sa, oka := a.Sys().(*sftp.FileStat)
	sb, okb := b.Sys().(*sftp.FileStat)
	if !oka || !okb {
		return false
	}
	return a.Mode() == b.Mode() && sa.UID == sb.UID && sa.GID == sb.GID &&
		a.Size() == b.Size() && a.ModTime().Equal(b.ModTime())
}

// WriteFile replaces path atomically over SFTP: the data goes to a file in
// a private temporary directory beside it (see writeTemp), which gets mode
// (and the old file's owner, when permitted); the old content is copied to
// path+PrevSuffix the same way; the file is then renamed over path, with
// posix-rename@openssh.com when the server has it. Without that extension a
// plain SFTP rename cannot replace a file, so the target is removed first
// (not atomic).
//
// The path and each of its parents are checked first (see checkPath): a
// symbolic link anywhere, or a parent directory others may write, is
// refused with an error wrapping ErrUnsafePath, and nothing is written.
// The rename replaces the name itself, never what a link there points at.
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
	old, err := checkPath(p, fc.Lstat, sftpOwner)
	if err != nil {
		return fail(err)
	}
	if old != nil && !old.Mode().IsRegular() {
		return fail(errors.New("not a regular file"))
	}
	if old != nil {
		if err := c.keepPrevious(ctx, fc, p, old); err != nil {
			return fail(fmt.Errorf("keep previous: %w", err))
		}
	}
	tmp, cleanup, err := c.writeTemp(fc, p, data, mode, old)
	if err != nil {
		return fail(err)
	}
	defer cleanup()
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	if err := rename(fc, tmp, p); err != nil {
		return fail(err)
	}
	return nil
}

// writeTemp writes data to a new file in a new private directory beside p
// and returns the file's path and a function removing what is left. SFTP
// creates files and directories with the server's default mode (0666 or
// 0777, less its umask) and cannot be told another, so the directory is
// made 0700, and checked to be so, before the file is created in it: no
// one else can open the file while it holds data, even for a moment. The
// file then gets like's owner (best effort: only root may give a file away)
// and mode, before the caller renames it into place.
func (c *SSH) writeTemp(fc *sftp.Client, p string, data []byte, mode fs.FileMode, like fs.FileInfo) (string, func(), error) {
	dir := tempName(p)
	if err := fc.Mkdir(dir); err != nil {
		return "", nil, fmt.Errorf("create temporary directory: %w", err)
	}
	tmp := path.Join(dir, "data")
	cleanup := func() {
		_ = fc.Remove(tmp)
		_ = fc.RemoveDirectory(dir)
	}
	fail := func(err error) (string, func(), error) { cleanup(); return "", nil, err }
	if err := fc.Chmod(dir, 0o700); err != nil {
		return fail(fmt.Errorf("chmod temporary directory: %w", err))
	}
	if fi, err := fc.Lstat(dir); err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o700 {
		return fail(fmt.Errorf("%w: temporary directory %s is not a private directory", ErrUnsafePath, dir))
	}
	f, err := fc.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL)
	if err != nil {
		return fail(fmt.Errorf("create temporary file: %w", err))
	}
	_, werr := f.Write(data)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		return fail(fmt.Errorf("write temporary file: %w", err))
	}
	if c.afterTempWrite != nil {
		c.afterTempWrite(tmp)
	}
	if like != nil {
		if st, ok := like.Sys().(*sftp.FileStat); ok {
			_ = fc.Chown(tmp, int(st.UID), int(st.GID))
		}
	}
	// After the chown, which may clear set-id bits.
	if err := fc.Chmod(tmp, mode); err != nil {
		return fail(fmt.Errorf("chmod temporary file: %w", err))
	}
	return tmp, cleanup, nil
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
	st, err := f.Stat()
	if err == nil && !sameFile(old, st) {
		err = fmt.Errorf("%w: the file changed while it was opened (replaced by a link?)", ErrUnsafePath)
	}
	if err == nil {
		_, err = f.WriteTo(&buf)
	}
	f.Close()
	if err != nil {
		return err
	}
	prev := p + PrevSuffix
	if _, err := checkPath(prev, fc.Lstat, sftpOwner); err != nil {
		return err
	}
	tmp, cleanup, err := c.writeTemp(fc, prev, buf.Bytes(), old.Mode().Perm(), old)
	if err != nil {
		return err
	}
	defer cleanup()
	return rename(fc, tmp, prev)
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
