package handbook

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/lagrieta/itlag/store/safefile"
)

// Manifest is the file, in the handbook's directory, listing the files
// itlag wrote there: the next run removes those it no longer writes, and
// never touches any other file of the directory.
const Manifest = ".itlag-handbook"

// Write writes files into dir (created if missing) and removes the files
// of the previous run it no longer writes. A file whose content is
// unchanged is not rewritten; a file the previous run did not write is
// never replaced (an error says so); nothing is followed through a
// symlink. It
// returns the paths it changed or removed, relative to dir, sorted: none
// when the handbook was up to date.
func Write(dir string, files Files) ([]string, error) {
	old, err := Owned(dir)
	if err != nil {
		return nil, err
	}
	var changed []string
	names := slices.Sorted(maps.Keys(files))
	for _, name := range names {
		rel := name
		cur, err := readFile(dir, rel)
		if err != nil {
			return changed, err
		}
		if cur != nil && bytes.Equal(cur, files[name]) {
			continue
		}
		if cur != nil && !slices.Contains(old, name) {
			// nothing lost: a file itlag did not write is never replaced
			return changed, fmt.Errorf("%s exists and was not written by itlag handbook: move it away, or write the handbook elsewhere (handbook.out, --out)", filepath.Join(dir, filepath.FromSlash(name)))
		}
		if err := safefile.WriteFile(dir, rel, files[name], 0o644); err != nil {
			return changed, err
		}
		changed = append(changed, rel)
	}
	for _, name := range old {
		if _, ok := files[name]; ok {
			continue
		}
		rel := name
		if err := safefile.Remove(dir, rel); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return changed, err
		}
		changed = append(changed, rel)
	}
	manifest := []byte(strings.Join(names, "\n") + "\n")
	rel := Manifest
	if cur, err := readFile(dir, rel); err != nil {
		return changed, err
	} else if !bytes.Equal(cur, manifest) {
		if err := safefile.WriteFile(dir, rel, manifest, 0o644); err != nil {
			return changed, err
		}
		changed = append(changed, rel)
	}
	slices.Sort(changed)
	return changed, nil
}

// Owned lists the files the previous run wrote into dir, as its manifest
// says (none at first), relative to dir.
func Owned(dir string) ([]string, error) {
	b, err := readFile(dir, Manifest)
	if err != nil || b == nil {
		return nil, err
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		// a hand-edited manifest never names a file outside the handbook
		if l = strings.TrimSpace(l); l != "" && filepath.IsLocal(l) {
			out = append(out, path.Clean(l))
		}
	}
	return out, nil
}

// readFile reads root/rel without following a symlink; nil when it does
// not exist.
func readFile(root, rel string) ([]byte, error) {
	b, err := safefile.ReadFile(root, rel)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return b, err
}
