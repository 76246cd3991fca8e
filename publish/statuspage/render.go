package statuspage

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"os"
	"sync"

	"github.com/lagrieta/itlag/store/safefile"
)

//go:embed page.html.tmpl
var pageTemplate string

// tmpl is the page's template, parsed on first use: every itlag command
// links this package, few render a page.
var tmpl = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("page").Parse(pageTemplate))
})

// Render writes p as one self-contained HTML document to w. Nothing is
// written to w if rendering fails.
func Render(w io.Writer, p Page) error {
	var buf bytes.Buffer
	if err := tmpl().Execute(&buf, newView(p)); err != nil {
		return fmt.Errorf("statuspage: render: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("statuspage: render: write: %w", err)
	}
	return nil
}

// Write renders p to dir/index.html atomically: it writes a temporary file
// in dir and renames it over index.html, so readers see the old page or the
// new one, never a part; an index.html that is a symlink is refused, not
// followed. It creates dir if needed.
func Write(dir string, p Page) error {
	var buf bytes.Buffer
	if err := Render(&buf, p); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("statuspage: write %s: %w", dir, err)
	}
	if err := safefile.WriteFile(dir, "index.html", buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("statuspage: %w", err)
	}
	return nil
}
