package remote

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// ErrUnsafePath is wrapped when a path itlag reads or writes on a host is
// refused: it, or one of its parent directories, is a symbolic link, or a
// parent directory may be written by others. Nothing was read or written.
var ErrUnsafePath = errors.New("unsafe path")

// lstatFunc is an Lstat on the host: the FileInfo of the name itself, not
// of what a link points at; a missing name is an error wrapping
// fs.ErrNotExist.
type lstatFunc func(p string) (fs.FileInfo, error)

// ownerFunc returns the numeric owner of fi, and whether it is known.
type ownerFunc func(fi fs.FileInfo) (uid uint32, ok bool)

// checkPath walks the absolute, clean path p from "/" down with lstat:
// none of its components may be a symbolic link (itlag follows no link it
// did not expect, and it expects none), and no directory on the way may be
// writable by others (o+w: another user could swap a file or a link in),
// except one owned by root with the sticky bit (like /tmp: others may add
// names there but not replace ours). It returns p's own FileInfo, or nil
// when p does not exist (its parents do). Refusals wrap ErrUnsafePath and
// name the component; a missing parent wraps fs.ErrNotExist.
func checkPath(p string, lstat lstatFunc, owner ownerFunc) (fs.FileInfo, error) {
	if !path.IsAbs(p) || path.Clean(p) != p {
		return nil, fmt.Errorf("%s: %w: not an absolute, clean path", p, ErrUnsafePath)
	}
	cur := "/"
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i := -1; i < len(parts); i++ {
		if i >= 0 {
			cur = path.Join(cur, parts[i])
		}
		fi, err := lstat(cur)
		last := i == len(parts)-1
		switch {
		case errors.Is(err, fs.ErrNotExist) && last:
			return nil, nil
		case err != nil:
			return nil, err
		case fi.Mode()&fs.ModeSymlink != 0:
			return nil, fmt.Errorf("%w: %s is a symbolic link (itlag follows no link; replace it with the file or directory itself)", ErrUnsafePath, cur)
		case last:
			return fi, nil
		case !fi.IsDir():
			return nil, fmt.Errorf("%s: %w: not a directory", cur, fs.ErrNotExist)
		case fi.Mode().Perm()&0o002 != 0 && !rootSticky(fi, owner):
			return nil, fmt.Errorf("%w: directory %s is writable by others (mode %04o; make it 0755, or root's with the sticky bit)", ErrUnsafePath, cur, uint32(fi.Mode().Perm()))
		}
	}
	return nil, nil // not reached: the loop returns on its last component
}

// rootSticky reports whether the directory fi is root's with the sticky
// bit: others may create names in it but not rename or remove ours.
func rootSticky(fi fs.FileInfo, owner ownerFunc) bool {
	uid, ok := owner(fi)
	return ok && uid == 0 && fi.Mode()&fs.ModeSticky != 0
}

// readable says why a file checked by checkPath (fi, err) cannot be read:
// it is missing, a directory, or not a regular file; nil when it can.
func readable(fi fs.FileInfo, err error) error {
	switch {
	case err != nil:
		return err
	case fi == nil:
		return fs.ErrNotExist
	case fi.IsDir():
		return errors.New("is a directory")
	case !fi.Mode().IsRegular():
		return fmt.Errorf("%w: not a regular file", ErrUnsafePath)
	}
	return nil
}
