package handbook

import (
	"errors"
	"fmt"
	"path"
	"strings"
	"testing/fstest"

	"github.com/lagrieta/itlag/ops/backup"
	"github.com/lagrieta/itlag/publish/handbook/diagram"
	"github.com/lagrieta/itlag/publish/mdlink"
	"github.com/lagrieta/itlag/schema"
)

// Options say how the repository names the state.
type Options struct {
	// StateDir is the state directory relative to the repository's root
	// ("infra-state"), as the pages' commands name it.
	StateDir string
}

// Files are the handbook's files by path relative to its directory.
type Files map[string][]byte

// ErrNotDeclared is Build's error for a state that declares no handbook.
var ErrNotDeclared = errors.New(`the state declares no handbook: add handbook: {organisation: NAME, language: es} to it`)

// Build renders the handbook of st in the language it declares: the
// index, each included page, the architecture diagram and one recovery
// page per backup job. It is a pure function of st and o (the same state
// gives the same bytes), and it refuses a handbook with a link that does
// not resolve.
func Build(st *schema.State, o Options) (Files, error) {
	if st.Handbook == nil {
		return nil, ErrNotDeclared
	}
	c, err := catalogueFor(st.Handbook.Language)
	if err != nil {
		return nil, fmt.Errorf("handbook: %w", err)
	}
	if o.StateDir == "" {
		o.StateDir = "."
	}
	b, err := newBook(st, o, c)
	if err != nil {
		return nil, fmt.Errorf("handbook: %w", err)
	}
	files := Files{}
	for _, name := range append([]string{"index"}, sectionKeys(b)...) {
		p, err := page(c, name, b)
		if err != nil {
			return nil, fmt.Errorf("handbook: %w", err)
		}
		files[c.files[name]] = p
	}
	if st.Handbook.Includes("architecture") {
		svg, err := diagram.Draw(st, c.lang)
		if err != nil {
			return nil, fmt.Errorf("handbook: diagram: %w", err)
		}
		files[c.files["diagram"]] = svg
	}
	if st.Handbook.Includes("recovery") {
		jobs, err := backup.JobsFromStateUnresolved(st)
		if err != nil {
			return nil, fmt.Errorf("handbook: %w", err)
		}
		for _, j := range jobs {
			rb, err := backup.Runbook(j, c.lang)
			if err != nil {
				return nil, fmt.Errorf("handbook: %w", err)
			}
			files[c.runbookFile(j.Name)] = []byte(rb)
		}
	}
	if err := checkLinks(files); err != nil {
		return nil, fmt.Errorf("handbook: %w", err)
	}
	return files, nil
}

func sectionKeys(b *Book) []string {
	var out []string
	for _, s := range b.Sections {
		out = append(out, s.Key)
	}
	return out
}

// checkLinks refuses files with a relative link or anchor that does not
// resolve among them.
func checkLinks(files Files) error {
	fsys := fstest.MapFS{}
	for p, data := range files {
		fsys[p] = &fstest.MapFile{Data: data}
	}
	broken, err := mdlink.Check(fsys)
	if err != nil {
		return err
	}
	if len(broken) > 0 {
		var lines []string
		for _, b := range broken {
			lines = append(lines, b.String())
		}
		return fmt.Errorf("broken links:\n%s", strings.Join(lines, "\n"))
	}
	return nil
}

// slug is the anchor of a heading, as the pages link to it.
func slug(heading string) string { return mdlink.Slug(heading) }

// Dir is where the handbook of st is written, relative to the
// repository's root.
func Dir(st *schema.State) string {
	if st.Handbook == nil {
		return ""
	}
	return path.Clean(st.Handbook.Out)
}
