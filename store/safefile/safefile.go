package safefile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// ErrSymlink is wrapped when a path component is a symlink.
var ErrSymlink = errors.New("is a symlink, refusing to follow it")

// ErrWritable is wrapped when a directory may be written by others.
var ErrWritable = errors.New("is writable by other users, refusing to use it")

// ErrNotRegular is wrapped when a file is not a plain file.
var ErrNotRegular = errors.New("is not a regular file")

// CheckDir refuses dir when it is not a directory or when users other than
// its owner may write into it (mode o+w, sticky bit or not: a state or data
// directory others can add files to cannot be trusted).
func CheckDir(dir string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s: not a directory", dir)
	}
	if fi.Mode().Perm()&0o002 != 0 {
		return fmt.Errorf("%s %w (mode %v); chmod o-w %s", dir, ErrWritable, fi.Mode().Perm(), dir)
	}
	return nil
}

// WriteFile writes data to base/rel atomically, with mode perm exactly
// (not narrowed by the umask), creating base and the missing directories
// of rel with mode 0755 (0700 when perm gives others no access).
func WriteFile(base, rel string, data []byte, perm fs.FileMode) (err error) {
	dir, name, err := parent(base, rel, dirPerm(perm))
	if err != nil {
		return err
	}
	defer dir.Close()
	if err := checkFile(dir, base, rel, name, false); err != nil {
		return err
	}
	tmp := "." + name + ".tmp-" + random()
	f, err := dir.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return fmt.Errorf("write %s: %w", display(base, rel), err)
	}
	defer func() {
		if err != nil {
			f.Close()
			dir.Remove(tmp)
		}
	}()
	if err := f.Chmod(perm); err != nil {
		return fmt.Errorf("write %s: %w", display(base, rel), err)
	}
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", display(base, rel), err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", display(base, rel), err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", display(base, rel), err)
	}
	if err := dir.Rename(tmp, name); err != nil {
		return fmt.Errorf("write %s: %w", display(base, rel), err)
	}
	return nil
}

// OpenFile opens base/rel with flag (os.O_RDWR|os.O_CREATE, say; O_TRUNC
// is refused: a file is replaced with WriteFile, never emptied in place),
// creating it with mode perm and the missing directories of rel. The file
// must be a regular file with one link.
func OpenFile(base, rel string, flag int, perm fs.FileMode) (*os.File, error) {
	if flag&os.O_TRUNC != 0 {
		return nil, fmt.Errorf("open %s: O_TRUNC is not allowed, write the file with WriteFile", display(base, rel))
	}
	dir, name, err := parent(base, rel, dirPerm(perm))
	if err != nil {
		return nil, err
	}
	defer dir.Close()
	if err := checkFile(dir, base, rel, name, true); err != nil {
		return nil, err
	}
	f, err := dir.OpenFile(name, flag, perm)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", display(base, rel), err)
	}
	fi, err := f.Stat()
	if err == nil {
		err = checkOpened(fi)
	}
	if err == nil {
		// the name must still be this file: no symlink swapped in between
		var li fs.FileInfo
		if li, err = dir.Lstat(name); err == nil && !os.SameFile(li, fi) {
			err = fmt.Errorf("changed while it was opened")
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open %s: %w", display(base, rel), err)
	}
	return f, nil
}

// Append opens base/rel for appending, created with mode perm when
// missing (see OpenFile).
func Append(base, rel string, perm fs.FileMode) (*os.File, error) {
	return OpenFile(base, rel, os.O_WRONLY|os.O_APPEND|os.O_CREATE, perm)
}

// MkdirAll creates base/rel and its missing parents with mode perm,
// checking each as WriteFile does.
func MkdirAll(base, rel string, perm fs.FileMode) error {
	dir, name, err := parent(base, rel, perm)
	if err != nil {
		return err
	}
	defer dir.Close()
	if name == "." {
		return nil
	}
	sub, err := child(dir, base, rel, name, perm)
	if err != nil {
		return err
	}
	return sub.Close()
}

// Remove removes the file base/rel; a missing file is no error. A symlink
// on the way is refused; a symlink as the file itself is removed (not
// followed).
func Remove(base, rel string) error {
	dir, name, err := parent(base, rel, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer dir.Close()
	if err := dir.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove %s: %w", display(base, rel), err)
	}
	return nil
}

// parent opens the directory holding base/rel as a Root, creating missing
// directories with mkdir (none when 0), and returns it with the file's
// name.
func parent(base, rel string, mkdir fs.FileMode) (*os.Root, string, error) {
	clean := path.Clean(filepath.ToSlash(rel))
	if path.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") || clean == "." {
		return nil, "", fmt.Errorf("%s: want a file name below %s", rel, base)
	}
	fi, err := os.Stat(base)
	if errors.Is(err, fs.ErrNotExist) && mkdir != 0 {
		// base is the caller's choice (--out DIR): created as named
		if err = os.MkdirAll(base, mkdir); err == nil {
			fi, err = os.Stat(base)
		}
	}
	if err != nil {
		return nil, "", err
	}
	if err := checkDirInfo(fi, base); err != nil {
		return nil, "", err
	}
	dir, err := os.OpenRoot(base)
	if err != nil {
		return nil, "", err
	}
	parts := strings.Split(clean, "/")
	for i, p := range parts[:len(parts)-1] {
		sub, err := child(dir, base, strings.Join(parts[:i+1], "/"), p, mkdir)
		dir.Close()
		if err != nil {
			return nil, "", err
		}
		dir = sub
	}
	return dir, parts[len(parts)-1], nil
}

// child opens the directory name in dir (rel below base, for errors),
// creating it with mode mkdir when missing and mkdir is not 0.
func child(dir *os.Root, base, rel, name string, mkdir fs.FileMode) (*os.Root, error) {
	fi, err := dir.Lstat(name)
	if errors.Is(err, fs.ErrNotExist) && mkdir != 0 {
		if err = dir.Mkdir(name, mkdir); err == nil || errors.Is(err, fs.ErrExist) {
			fi, err = dir.Lstat(name)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", display(base, rel), err)
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return nil, fmt.Errorf("%s %w", display(base, rel), ErrSymlink)
	}
	if err := checkDirInfo(fi, display(base, rel)); err != nil {
		return nil, err
	}
	return dir.OpenRoot(name)
}

func checkDirInfo(fi fs.FileInfo, name string) error {
	if !fi.IsDir() {
		return fmt.Errorf("%s: not a directory", name)
	}
	if m := fi.Mode(); m.Perm()&0o002 != 0 && m&fs.ModeSticky == 0 {
		return fmt.Errorf("%s %w (mode %v)", name, ErrWritable, m.Perm())
	}
	return nil
}

// checkFile refuses a symlink or a non-regular file at name; a missing
// file is fine. inPlace also refuses a file with several links.
func checkFile(dir *os.Root, base, rel, name string, inPlace bool) error {
	fi, err := dir.Lstat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: %w", display(base, rel), err)
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return fmt.Errorf("%s %w", display(base, rel), ErrSymlink)
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s %w", display(base, rel), ErrNotRegular)
	}
	if inPlace {
		if err := checkOpened(fi); err != nil {
			return fmt.Errorf("%s: %w", display(base, rel), err)
		}
	}
	return nil
}

// checkOpened refuses a file that is not regular or has several links.
func checkOpened(fi fs.FileInfo) error {
	if !fi.Mode().IsRegular() {
		return ErrNotRegular
	}
	if n := links(fi); n > 1 {
		return fmt.Errorf("has %d hard links, refusing to write to it", n)
	}
	return nil
}

func dirPerm(perm fs.FileMode) fs.FileMode {
	if perm&0o077 == 0 {
		return 0o700
	}
	return 0o755
}

func display(base, rel string) string { return filepath.Join(base, filepath.FromSlash(rel)) }

func random() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// ReadFile reads base/rel, refusing a symlink on the way or as the file
// itself; a missing file or directory is an fs.ErrNotExist error. It
// creates nothing.
func ReadFile(base, rel string) ([]byte, error) {
	dir, name, err := parent(base, rel, 0)
	if err != nil {
		return nil, err
	}
	defer dir.Close()
	li, err := dir.Lstat(name)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", display(base, rel), err)
	}
	if !li.Mode().IsRegular() {
		return nil, fmt.Errorf("read %s: not a regular file (a symlink is never followed)", display(base, rel))
	}
	b, err := dir.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", display(base, rel), err)
	}
	return b, nil
}
