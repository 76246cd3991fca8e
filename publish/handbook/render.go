package handbook

import (
	"bytes"
	"embed"
	"fmt"
	"strings"
	"text/template"

	"github.com/lagrieta/itlag/schema"
)

//go:embed templates
var templatesFS embed.FS

// page renders the template name of c's language with b.
func page(c catalogue, name string, b *Book) ([]byte, error) {
	t, err := template.New(name).Funcs(funcs(c)).ParseFS(templatesFS,
		"templates/"+c.lang+"/common.tmpl", "templates/"+c.lang+"/"+name+".md.tmpl")
	if err != nil {
		return nil, fmt.Errorf("template %s/%s: %w", c.lang, name, err)
	}
	var out bytes.Buffer
	if err := t.ExecuteTemplate(&out, name+".md.tmpl", b); err != nil {
		return nil, fmt.Errorf("page %s: %w", name, err)
	}
	return tidy(out.Bytes()), nil
}

// funcs are the templates' helpers: the catalogue's words, and the
// Markdown of code, table cells and pending details.
func funcs(c catalogue) template.FuncMap {
	return template.FuncMap{
		"t":     c.word,
		"title": func(k string) string { return c.titles[k] },
		"file":  func(k string) string { return c.files[k] },
		"code":  func(s string) string { return "`" + strings.ReplaceAll(s, "`", "'") + "`" },
		"cell":  cell,
		"join":  func(sep string, s []string) string { return strings.Join(s, sep) },
		"codes": func(s []string) string {
			q := make([]string, len(s))
			for i, x := range s {
				q[i] = "`" + x + "`"
			}
			return strings.Join(q, ", ")
		},
		// val shows a contact detail: "—" when not given, the pending
		// mark and the field to fill in when pending.
		"val": func(v, path string) string {
			switch v {
			case "":
				return "—"
			case schema.Pending:
				return "**" + c.word("pending") + "** (`" + path + "`)"
			}
			return cell(v)
		},
		"anchor": func(s string) string { return slug(s) },
		// areas are a support line's areas in words
		"areas": func(s []string) string {
			w := make([]string, len(s))
			for i, a := range s {
				w[i] = c.word("area." + a)
			}
			return strings.Join(w, ", ")
		},
		"inc": func(i int) int { return i + 1 },
	}
}

// cell makes s safe in a Markdown table cell.
func cell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}

// tidy trims trailing spaces and collapses runs of blank lines that the
// templates' conditionals leave, and ends the page with one newline.
func tidy(b []byte) []byte {
	lines := strings.Split(string(b), "\n")
	var out []string
	blank := true
	inFence := false
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if strings.HasPrefix(l, "```") {
			inFence = !inFence
		}
		if l == "" && blank && !inFence {
			continue
		}
		blank = l == ""
		out = append(out, l)
	}
	return []byte(strings.TrimRight(strings.Join(out, "\n"), "\n") + "\n")
}
