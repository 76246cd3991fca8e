package schema

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"cuelang.org/go/cue"
	"gopkg.in/yaml.v3"
)

// schemaAt follows CUE path selectors through a schema definition: list
// indices become "any element", fields are looked up whether regular,
// optional or required.
func schemaAt(def cue.Value, sels []string) cue.Value {
	cur := def
	for _, s := range sels {
		if cur.IncompleteKind()&cue.ListKind != 0 && cur.IncompleteKind()&cue.StructKind == 0 {
			cur = cur.LookupPath(cue.MakePath(cue.AnyIndex))
			continue
		}
		sel := cue.Str(s)
		next := cur.LookupPath(cue.MakePath(sel))
		if !next.Exists() {
			next = cur.LookupPath(cue.MakePath(sel.Optional()))
		}
		if !next.Exists() {
			next = cur.LookupPath(cue.MakePath(sel.Required()))
		}
		if !next.Exists() {
			next = cur.LookupPath(cue.MakePath(cue.AnyString))
		}
		cur = next
	}
	return cur
}

// fieldNames lists the fields a struct schema allows, in schema order.
func fieldNames(def cue.Value) []string {
	it, err := def.Fields(cue.Optional(true))
	if err != nil {
		return nil
	}
	var names []string
	for it.Next() {
		names = append(names, it.Selector().Unquoted())
	}
	return names
}

var matchNCall = regexp.MustCompile(`matchN\([^\[]*\[((?s).*?)\]\)`)
var requiredField = regexp.MustCompile(`([A-Za-z_][A-Za-z0-9_]*)!:`)

// matchNFields names the required fields of the alternatives of def's
// matchN (the kinds a credential reference may be: env, file, age), else
// all of def's fields.
func matchNFields(def cue.Value) []string {
	m := matchNCall.FindStringSubmatch(fmt.Sprint(cue.Dereference(def)))
	if m == nil {
		return fieldNames(def)
	}
	var names []string
	for _, f := range requiredField.FindAllStringSubmatch(m[1], -1) {
		if !slices.Contains(names, f[1]) {
			names = append(names, f[1])
		}
	}
	return names
}

var matchIfCall = regexp.MustCompile(`matchIf\(\{\s*([A-Za-z_][A-Za-z0-9_]*)!: _\s*\}, \{\s*([A-Za-z_][A-Za-z0-9_]*)!: _`)

// matchIfMessage words a failed matchIf({X!: _}, {Y!: _}, {Y?: _|_}):
// field Y goes with field X, and only with it.
func matchIfMessage(def cue.Value, data any, node *yaml.Node, path string) string {
	m := matchIfCall.FindStringSubmatch(fmt.Sprint(cue.Dereference(def)))
	if m == nil {
		return describeYAML(node, path) + " is not allowed, want " + describeSchema(def)
	}
	x, y := m[1], m[2]
	if d, ok := data.(map[string]any); ok {
		if _, has := d[x]; !has {
			return fmt.Sprintf("has %s without %s, want %s only beside %s", y, x, y, x)
		}
	} else if node != nil && !slices.ContainsFunc(node.Content, func(n *yaml.Node) bool { return n.Value == x }) {
		return fmt.Sprintf("has %s without %s, want %s only beside %s", y, x, y, x)
	}
	return fmt.Sprintf("has %s without %s, want %s beside %s: %s", x, y, y, x, describeSchema(def.LookupPath(cue.MakePath(cue.Str(y).Optional()))))
}

// describeSchema says what a schema value allows, for "want ..." in
// messages: the doc comment of a definition it refers to ("an IPv4
// address like 203.0.113.10"), "one of A, AAAA" for a set of strings, "a
// mapping with fields x, y" for a struct, else the CUE constraint itself,
// defaults left out.
func describeSchema(s cue.Value) string { return describe(s, 0) }

func describe(s cue.Value, depth int) string {
	if !s.Exists() {
		return "nothing here"
	}
	if _, p := s.ReferencePath(); len(p.Selectors()) > 0 {
		if doc := docLine(cue.Dereference(s)); doc != "" {
			return doc
		}
	}
	s = cue.Dereference(s)
	k := s.IncompleteKind()
	if k&cue.StructKind != 0 || k == cue.BottomKind {
		if names := fieldNames(s); len(names) > 0 {
			return "a mapping with fields " + strings.Join(names, ", ")
		}
	}
	if k == cue.ListKind {
		return "a list"
	}
	op, args := s.Expr()
	if d, ok := s.Default(); ok && op == cue.OrOp {
		// The default is one of the other alternatives, by convention
		// (*"auto" | #TTL): leave it out.
		args = slices.DeleteFunc(slices.Clone(args), func(a cue.Value) bool {
			return a.IsConcrete() && fmt.Sprint(a) == fmt.Sprint(d)
		})
		if len(args) == 1 {
			return describe(args[0], depth+1)
		}
	}
	switch op {
	case cue.NoOp:
		if len(args) == 1 && depth < 4 { // a default left out
			if d := describe(args[0], depth+1); d != "" {
				return d
			}
		}
	case cue.AndOp:
		parts := make([]string, len(args))
		for i, a := range args {
			parts[i] = fmt.Sprint(a)
		}
		return friendly(strings.Join(parts, " & "))
	case cue.OrOp:
		return describeAlternatives(args, depth)
	}
	return friendly(fmt.Sprint(s))
}

// docLine is the doc comment of a value on one line, if it is a phrase
// describing values ("an IPv4 address like 203.0.113.10": it starts in
// lower case), else "".
func docLine(v cue.Value) string {
	var parts []string
	for _, d := range v.Doc() {
		parts = append(parts, strings.TrimSpace(d.Text()))
	}
	doc := strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
	if doc == "" || !unicode.IsLower([]rune(doc)[0]) {
		return ""
	}
	return doc
}

// friendly rewords the CUE constraints users meet most.
func friendly(s string) string {
	switch s {
	case `string & !=""`:
		return "a non-empty string"
	case "uint16", "uint & <=65535":
		return "an int from 0 to 65535"
	}
	return s
}

// describeAlternatives words a disjunction: its alternatives minus the
// concrete ones (defaults) that another alternative already covers.
func describeAlternatives(alts []cue.Value, depth int) string {
	type alt struct {
		text string
		v    cue.Value
	}
	var list []alt
	seen := map[string]bool{}
	for _, a := range alts {
		text := fmt.Sprint(a)
		if seen[text] {
			continue
		}
		seen[text] = true
		if a.IsConcrete() {
			if x, err := a.String(); err == nil {
				text = x
			}
		} else if depth < 4 {
			text = describe(a, depth+1)
		}
		list = append(list, alt{text, a})
	}
	var out []string
	for _, a := range list {
		covered := false
		for _, o := range list {
			if a.v.IsConcrete() && !o.v.IsConcrete() && o.v.Subsume(a.v) == nil {
				covered = true
			}
		}
		if !covered {
			out = append(out, a.text)
		}
	}
	if len(out) == 1 && !strings.HasPrefix(out[0], `"`) && len(list) > 1 {
		return out[0]
	}
	return "one of " + strings.Join(out, ", ")
}
