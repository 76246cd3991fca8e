package importer

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/store/safefile"
)

// ZonePath returns "dns/<zone>.yaml", the zone's file relative to the state
// directory, with the zone name in ASCII (punycode, lowercase: "Café.es"
// → "dns/xn--caf-dma.es.yaml"). Characters that do not belong in a file
// name become "_", so the path always stays inside dns/.
func ZonePath(zone string) string {
	z, err := providers.NormalizeZone(zone)
	if err != nil {
		z = strings.ToLower(strings.TrimSpace(zone))
	}
	return "dns/" + fileName(z) + ".yaml"
}

// DomainPath returns "domains/<registrar>.yaml", the registrar's file
// relative to the state directory.
func DomainPath(registrar string) string {
	return "domains/" + fileName(strings.ToLower(registrar)) + ".yaml"
}

// fileName keeps a-z, 0-9, ".", "-" and "_"; anything else becomes "_".
func fileName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, s)
	if strings.Trim(s, ".") == "" {
		return "_" + s
	}
	return s
}

// Write writes data to filepath.Join(dir, rel), creating directories
// (0o755), atomically: a temporary file in the same directory, synced,
// mode 0o644, then put in place in one step, so a reader sees the old file
// or the whole new one and a crash leaves no partial file (the temporary
// file is removed on every error). rel must be a local path (see
// filepath.IsLocal).
//
// An existing file is never overwritten unless force: then the error wraps
// fs.ErrExist, names the path and says "use --force". Without force the
// file is linked into place, so a file that appears meanwhile is not
// overwritten either.
func Write(dir, rel string, data []byte, force bool) error {
	if !filepath.IsLocal(rel) {
		return fmt.Errorf("importer: write %s: not a path inside %s", rel, dir)
	}
	path := filepath.Join(dir, rel)
	exists := func() error {
		return fmt.Errorf("importer: write %s: the file exists, use --force to overwrite it: %w", path, fs.ErrExist)
	}
	if !force {
		if _, err := os.Lstat(path); err == nil {
			return exists()
		}
	}
	// the directories on the way: created, and none a symlink (the file
	// itself is linked or renamed into place, neither follows one)
	if sub := filepath.Dir(rel); sub != "." {
		if err := safefile.MkdirAll(dir, filepath.ToSlash(sub), 0o755); err != nil {
			return fmt.Errorf("importer: write %s: %w", path, err)
		}
	}
	tmp, err := writeTemp(path, data)
	if err != nil {
		return fmt.Errorf("importer: write %s: %w", path, err)
	}
	defer os.Remove(tmp) // a no-op once renamed
	if force {
		err = os.Rename(tmp, path)
	} else {
		err = os.Link(tmp, path)
		var le *os.LinkError
		switch {
		case errors.Is(err, fs.ErrExist):
			return exists()
		case errors.As(err, &le):
			// hard links unsupported here: check, then rename
			if _, serr := os.Lstat(path); serr == nil {
				return exists()
			}
			err = os.Rename(tmp, path)
		}
	}
	if err != nil {
		return fmt.Errorf("importer: write %s: %w", path, err)
	}
	syncDir(filepath.Dir(path))
	return nil
}

// writeTemp writes data to a new temporary file beside path, hidden and
// named so that the state loader never reads it (".<name>.tmp-*").
func writeTemp(path string, data []byte) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return "", err
	}
	name := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if err == nil {
		err = f.Chmod(0o644)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
		return "", err
	}
	return name, nil
}

// syncDir makes a rename durable where the platform allows; best effort.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
