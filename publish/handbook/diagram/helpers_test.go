package diagram

import (
	"bytes"
	"encoding/xml"
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/schema"
)

var update = flag.Bool("update", false, "rewrite testdata/*.svg from the current output")

// load loads a state directory relative to the repository's root.
func load(t *testing.T, dir string) *schema.State {
	t.Helper()
	st, err := schema.Load(filepath.Join("..", "..", "..", dir))
	if err != nil {
		t.Fatalf("load %s: %v", dir, err)
	}
	return st
}

// draw is Draw that fails the test on error.
func draw(t testing.TB, st *schema.State, lang string) []byte {
	t.Helper()
	svg, err := Draw(st, lang)
	if err != nil {
		t.Fatalf("Draw(%s): %v", lang, err)
	}
	return svg
}

// node is an XML element with everything in it.
type node struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Text    string     `xml:",chardata"`
	Nodes   []node     `xml:",any"`
}

func (n node) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// parse decodes svg strictly, failing the test when it is not well-formed
// XML or has anything after the root element.
func parse(t testing.TB, svg []byte) node {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(svg))
	d.Strict = true
	var root node
	if err := d.Decode(&root); err != nil {
		t.Fatalf("not well-formed XML: %v\n%s", err, svg)
	}
	if _, err := d.Token(); err == nil {
		if rest := strings.TrimSpace(string(svg[d.InputOffset():])); rest != "" {
			t.Fatalf("content after the root element: %.80q", rest)
		}
	}
	if root.XMLName.Local != "svg" || root.XMLName.Space != "http://www.w3.org/2000/svg" {
		t.Fatalf("root is %v, want svg in the SVG namespace", root.XMLName)
	}
	return root
}

// walk calls f on n and every element under it.
func walk(n node, f func(node)) {
	f(n)
	for _, c := range n.Nodes {
		walk(c, f)
	}
}

// drawnBox is a box as the document shows it: its <title> and its texts.
type drawnBox struct {
	title string
	texts []string // name, tag (if any), lines: as drawn, maybe cut
	tag   string
}

// boxes are the document's boxes, in document order.
func boxes(root node) []drawnBox {
	var out []drawnBox
	walk(root, func(n node) {
		if n.XMLName.Local != "g" || n.attr("class") != "box" {
			return
		}
		var b drawnBox
		for _, c := range n.Nodes {
			switch c.XMLName.Local {
			case "title":
				b.title = c.Text
			case "text":
				b.texts = append(b.texts, c.Text)
				if c.attr("class") == "tag" {
					b.tag = c.Text
				}
			}
		}
		out = append(out, b)
	})
	return out
}
