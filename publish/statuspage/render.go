package statuspage

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
)

//go:embed page.html.tmpl
var pageTemplate string

var tmpl = template.Must(template.New("page").Parse(pageTemplate))

// Render writes p as one self-contained HTML document to w. Nothing is
// written to w if rendering fails.
func Render(w io.Writer, p Page) error {
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, newView(p)); err != nil {
		return fmt.Errorf("statuspage: render: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("statuspage: render: write: %w", err)
	}
	return nil
}

// Write renders p to dir/index.html atomically: it writes a temporary file
// in dir and renames it over index.html, so readers see the old page or the
// new one, never a part. It creates dir if needed.
func Write(dir string, p Page) (err error) {
	var buf bytes.Buffer
	if err := Render(&buf, p); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("statuspage: write %s: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, ".index.html.*")
	if err != nil {
		return fmt.Errorf("statuspage: write %s: %w", dir, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if _, err = f.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("statuspage: write %s: %w", tmp, err)
	}
	if err = f.Chmod(0o644); err != nil {
		return fmt.Errorf("statuspage: write %s: chmod: %w", tmp, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("statuspage: write %s: sync: %w", tmp, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("statuspage: write %s: close: %w", tmp, err)
	}
	dst := filepath.Join(dir, "index.html")
	if err = os.Rename(tmp, dst); err != nil {
		return fmt.Errorf("statuspage: write %s: %w", dst, err)
	}
	return nil
}
