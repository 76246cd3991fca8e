package mdlink

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"
)

// Broken is one link that does not resolve.
type Broken struct {
	File   string // the page, as named in the fs.FS
	Line   int    // the line of the link (1-based)
	Target string // the link's target as written
	Why    string // what is wrong, e.g. "no such file"
}

// String returns `docs/x.md:12: link "y.md#z": no heading with anchor #z in y.md`.
func (b Broken) String() string {
	return fmt.Sprintf("%s:%d: link %q: %s", b.File, b.Line, b.Target, b.Why)
}

// schemeRE matches a target that is a URL (https:, mailto:, …).
var schemeRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)

// Check checks the relative links of the Markdown files names in fsys
// (slash-separated paths, as fs.FS names them); with no names, of every
// .md file in fsys outside directories whose name starts with a dot.
//
// A link resolves when its target, taken relative to the page (or to the
// root of fsys when it starts with "/"), is a file or directory in fsys,
// and its #anchor, if any, names a heading of that file (or of the page
// itself for "#anchor" alone), which must then be Markdown. Query strings
// are ignored and %-escapes decoded. A target that leads out of fsys does
// not resolve; absolute URLs ("https:", "mailto:", "//host") are not
// checked. Links in code spans and fenced code blocks are ignored.
//
// The broken links come back sorted by file and line. The error is for a
// page of names that cannot be read or a walk of fsys that fails; a
// target that cannot be read is a broken link.
func Check(fsys fs.FS, names ...string) ([]Broken, error) {
	if len(names) == 0 {
		var err error
		if names, err = markdownFiles(fsys); err != nil {
			return nil, fmt.Errorf("mdlink: %w", err)
		}
	}
	c := checker{fsys: fsys, anchors: map[string]map[string]bool{}}
	var broken []Broken
	for _, name := range names {
		text, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("mdlink: %w", err)
		}
		p := parse(text)
		c.anchors[name] = anchors(p.heads)
		for _, l := range p.links {
			if why := c.check(name, l.target); why != "" {
				broken = append(broken, Broken{File: name, Line: l.line, Target: l.target, Why: why})
			}
		}
	}
	slices.SortStableFunc(broken, func(a, b Broken) int {
		return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
	return broken, nil
}

// markdownFiles lists the .md files of fsys, skipping dot directories.
func markdownFiles(fsys fs.FS) ([]string, error) {
	var names []string
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && name != "." && strings.HasPrefix(d.Name(), ".") {
			return fs.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(name, ".md") {
			names = append(names, name)
		}
		return nil
	})
	return names, err
}

type checker struct {
	fsys    fs.FS
	anchors map[string]map[string]bool // Markdown file → its anchors
}

// check returns why target, linked from the page from, does not resolve,
// or "" when it does. A target that cannot be read does not resolve.
func (c *checker) check(from, target string) string {
	if schemeRE.MatchString(target) || strings.HasPrefix(target, "//") {
		return ""
	}
	rel, frag, _ := strings.Cut(target, "#")
	rel, _, _ = strings.Cut(rel, "?")
	if u, err := url.PathUnescape(rel); err == nil {
		rel = u
	}
	if u, err := url.PathUnescape(frag); err == nil {
		frag = u
	}
	dest := from
	if rel != "" {
		if strings.HasPrefix(rel, "/") {
			dest = path.Clean(strings.TrimLeft(rel, "/"))
		} else {
			dest = path.Join(path.Dir(from), rel)
		}
		if dest == ".." || strings.HasPrefix(dest, "../") {
			return "leads out of the files checked"
		}
		info, err := fs.Stat(c.fsys, dest)
		switch {
		case errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrInvalid):
			return "no such file"
		case err != nil:
			return "cannot be read: " + err.Error()
		case frag == "":
			return ""
		case info.IsDir():
			return "an anchor into a directory"
		case !strings.HasSuffix(dest, ".md"):
			return "an anchor into a file that is not Markdown"
		}
	}
	if frag == "" {
		return ""
	}
	as, err := c.anchorsOf(dest)
	if err != nil {
		return "cannot be read: " + err.Error()
	}
	if !as[frag] {
		why := "no heading with anchor #" + frag
		if rel != "" {
			why += " in " + rel
		}
		return why
	}
	return ""
}

func (c *checker) anchorsOf(name string) (map[string]bool, error) {
	if as, ok := c.anchors[name]; ok {
		return as, nil
	}
	text, err := fs.ReadFile(c.fsys, name)
	if err != nil {
		return nil, err
	}
	as := anchors(parse(text).heads)
	c.anchors[name] = as
	return as, nil
}
