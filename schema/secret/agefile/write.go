package agefile

import (
	"fmt"
	"os"

	"github.com/lagrieta/itlag/store/safefile"
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
// data, atomically, through package safefile: a temporary file beside it,
// synced, renamed over it; no symlink followed and no directory writable by
// others on the way; missing directories are created (0755). The file is
// written 0644: it is encrypted, and meant to be committed.
func WriteFile(dir, name string, data []byte) error {
	if err := safefile.WriteFile(dir, name, data, 0o644); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}
