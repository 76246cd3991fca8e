package agefile

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// Ext is the extension every secrets file has.
const Ext = ".age"

// ErrUnsafePath marks a path that is refused: outside the state directory,
// through a symlink, or writable by others.
var ErrUnsafePath = errors.New("unsafe path")

// CheckName checks a secrets file's name as the state writes it: relative
// to the state directory, slash-separated, clean, without "..", ending in
// ".age". It looks at the name only.
func CheckName(name string) error {
	switch {
	case name == "":
		return errors.New("empty path")
	case strings.HasPrefix(name, "/") || strings.Contains(name, `\`):
		return fmt.Errorf("%s: %w: want a path relative to the state directory", name, ErrUnsafePath)
	case !fs.ValidPath(name) || path.Clean(name) != name:
		return fmt.Errorf("%s: %w: want a clean path inside the state directory (no \"..\", \".\" or \"//\")", name, ErrUnsafePath)
	case !strings.HasSuffix(name, Ext) || name == Ext || strings.HasSuffix(name, "/"+Ext):
		return fmt.Errorf("%s: want a file name ending in %s", name, Ext)
	}
	return nil
}

// checkChain checks name's every component in fsys (rooted at the state
// directory): no symlink, nothing writable by others (the root included),
// directories on the way and a regular file at the end. A missing file is
// returned as an error wrapping fs.ErrNotExist.
func checkChain(fsys fs.FS, name string) error {
	if err := CheckName(name); err != nil {
		return err
	}
	fi, err := fs.Lstat(fsys, ".")
	if err != nil {
		return fmt.Errorf("state directory: %w", err)
	}
	if fi.Mode().Perm()&0o002 != 0 {
		return fmt.Errorf("state directory: %w: writable by others (chmod o-w)", ErrUnsafePath)
	}
	parts := strings.Split(name, "/")
	for i := range parts {
		p := strings.Join(parts[:i+1], "/")
		fi, err := fs.Lstat(fsys, p)
		if err != nil {
			return fmt.Errorf("%s: %w", name, unwrapPath(err))
		}
		last := i == len(parts)-1
		switch {
		case fi.Mode()&fs.ModeSymlink != 0:
			return fmt.Errorf("%s: %w: %s is a symlink", name, ErrUnsafePath, p)
		case fi.Mode().Perm()&0o002 != 0:
			return fmt.Errorf("%s: %w: %s is writable by others (chmod o-w)", name, ErrUnsafePath, p)
		case !last && !fi.IsDir():
			return fmt.Errorf("%s: %s is not a directory", name, p)
		case last && !fi.Mode().IsRegular():
			return fmt.Errorf("%s: not a regular file", name)
		}
	}
	return nil
}

// unwrapPath drops the *fs.PathError around err: the caller names the file.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
