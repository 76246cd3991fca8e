package agefile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
)

// ReadFile reads name from the state directory dir after the path checks
// (the file exists, no symlink on the way, nothing writable by others):
// the directory is opened as an os.Root, so nothing outside it is reached.
func ReadFile(dir, name string) ([]byte, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("state directory: %w", err)
	}
	defer root.Close()
	return readFile(root.FS(), name)
}

// WriteFile replaces (or creates) name in the state directory dir with
// data, atomically: a temporary file beside it, synced, renamed over it.
// The same path checks as ReadFile hold for the directories on the way and
// for the old file; missing directories are created (0755). The file is
// written 0644: it is encrypted, and meant to be committed.
func WriteFile(dir, name string, data []byte) error {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return fmt.Errorf("state directory: %w", err)
	}
	defer root.Close()
	if err := checkChain(root.FS(), name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if d := path.Dir(name); d != "." {
		if err := root.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("%s: %w", name, unwrapPath(err))
		}
		// the directories now exist: check them again (a symlink raced in)
		if err := checkChain(root.FS(), d+"/x"+Ext); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	tmp := path.Join(path.Dir(name), "."+path.Base(name)+".tmp-"+hex.EncodeToString(rnd[:]))
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("%s: %w", name, unwrapPath(err))
	}
	_, werr := f.Write(data)
	if werr == nil {
		werr = f.Sync()
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = root.Rename(tmp, name)
	}
	if werr != nil {
		_ = root.Remove(tmp)
		return fmt.Errorf("%s: write: %w", name, unwrapPath(werr))
	}
	return nil
}
