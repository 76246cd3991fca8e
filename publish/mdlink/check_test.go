package mdlink

import (
	"errors"
	"io/fs"
	"slices"
	"testing"
	"testing/fstest"
)

// tree returns the files every case of TestCheck links into, plus its page
// at docs/page.md.
func tree(page string) fstest.MapFS {
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	return fstest.MapFS{
		"README.md":         file("# Proyecto\n"),
		"docs/page.md":      file(page),
		"docs/other.md":     file("# Otra página\n\n## Qué hacer si…\n\n## Duplicado\n\n## Duplicado\n\n```\n## En código\n```\n"),
		"docs/diagram.svg":  file("<svg/>"),
		"docs/ops/index.md": file("# Índice\n"),
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name, page string
		want       []string // Broken.String() of each, in order
	}{
		{"good links", "# Página\n\n## Aquí\n\nVea [otra](other.md), [qué](other.md#qué-hacer-si), " +
			"[escapado](other.md#qu%C3%A9-hacer-si), [aquí](#aquí), [raíz](../README.md#proyecto),\n" +
			"[absoluto](/docs/other.md \"título\"), [ops](ops/), [dir](.), ![diagrama](diagram.svg),\n" +
			"[con query](other.md?plain=1#duplicado), [<ángulos>](<other.md>) y [vacío](#).\n\n" +
			"[![insignia](diagram.svg)](ops/index.md#índice)\n\n[ref]: other.md#duplicado-1\n", nil},
		{"URLs not checked", "[web](https://example.org/x.md#nope), [correo](mailto:it@example.org), " +
			"[relativo al protocolo](//example.org/y), <https://example.org/z>\n", nil},
		{"code ignored", "`[no](missing.md)`, ``[ni](`missing.md`)``, `varias\n[líneas](missing.md)`\n\n" +
			"```md\n[en un bloque](missing.md)\n```\n\n~~~\n[tampoco](missing.md)\n~~~\n", nil},
		{"missing file", "Texto.\n\nVea\n[x](missing.md) y [y](sub/missing.svg).\n",
			[]string{`docs/page.md:4: link "missing.md": no such file`, `docs/page.md:4: link "sub/missing.svg": no such file`}},
		{"missing anchor", "[x](other.md#nope)\n",
			[]string{`docs/page.md:1: link "other.md#nope": no heading with anchor #nope in other.md`}},
		{"anchor in a code block is no heading", "[x](other.md#en-código)\n",
			[]string{`docs/page.md:1: link "other.md#en-código": no heading with anchor #en-código in other.md`}},
		{"same-page anchor", "# Arriba\n\n[x](#arriba) [y](#abajo)\n",
			[]string{`docs/page.md:3: link "#abajo": no heading with anchor #abajo`}},
		{"duplicate heading suffix", "[1](other.md#duplicado-1) [2](other.md#duplicado-2)\n",
			[]string{`docs/page.md:1: link "other.md#duplicado-2": no heading with anchor #duplicado-2 in other.md`}},
		{"anchor into a file that is not Markdown", "![x](diagram.svg#a) [d](ops#b)\n",
			[]string{`docs/page.md:1: link "diagram.svg#a": an anchor into a file that is not Markdown`,
				`docs/page.md:1: link "ops#b": an anchor into a directory`}},
		{"out of the tree", "[x](../../etc/passwd)\n",
			[]string{`docs/page.md:1: link "../../etc/passwd": leads out of the files checked`}},
		{"reference definition", "[x][r]\n\n[r]: missing.md\n",
			[]string{`docs/page.md:3: link "missing.md": no such file`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			broken, err := Check(tree(tt.page), "docs/page.md")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, b := range broken {
				got = append(got, b.String())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Check =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

// TestCheckAll checks every .md file when no name is given, skipping dot
// directories, and sorts by file and line.
func TestCheckAll(t *testing.T) {
	fsys := tree("[b](b.md)\n[a](a.md)\n")
	fsys["a.md"] = &fstest.MapFile{Data: []byte("\n[z](z.md)\n")}
	fsys[".git/x.md"] = &fstest.MapFile{Data: []byte("[nope](nope.md)\n")}
	broken, err := Check(fsys)
	if err != nil {
		t.Fatal(err)
	}
	want := []Broken{
		{File: "a.md", Line: 2, Target: "z.md", Why: "no such file"},
		{File: "docs/page.md", Line: 1, Target: "b.md", Why: "no such file"},
		{File: "docs/page.md", Line: 2, Target: "a.md", Why: "no such file"},
	}
	if !slices.Equal(broken, want) {
		t.Errorf("Check =\n%+v\nwant\n%+v", broken, want)
	}
}

func TestCheckMissingPage(t *testing.T) {
	_, err := Check(tree(""), "docs/nope.md")
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Check of a missing page: err = %v, want fs.ErrNotExist", err)
	}
}
