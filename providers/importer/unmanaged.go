package importer

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/lagrieta/itlag/providers"
)

// rule is an unmanaged rule as written: a name glob and a type glob.
type rule struct{ name, typ string }

// unmanagedNode renders one unmanaged rule per distinct name and type of
// the skipped records, sorted, each under comments saying which records it
// covers and why they were not declared.
func unmanagedNode(skipped []Skipped) *yaml.Node {
	why := map[rule][]string{}
	for _, s := range skipped {
		r := rule{nameGlob(s.Record.Name), typeGlob(s.Record.Type)}
		why[r] = append(why[r], oneLine(fmt.Sprintf("skipped %s %s %s: %s",
			show(s.Record.Name), show(s.Record.Type), excerpt(s.Record.Content, 40), s.Reason)))
	}
	rules := make([]rule, 0, len(why))
	for r := range why {
		rules = append(rules, r)
	}
	slices.SortFunc(rules, func(a, b rule) int { return cmp.Or(cmp.Compare(a.name, b.name), cmp.Compare(a.typ, b.typ)) })
	seq := &yaml.Node{Kind: yaml.SequenceNode}
	for _, r := range rules {
		n := mapping(yaml.FlowStyle, key("name"), str(r.name, false), key("type"), str(r.typ, false))
		n.HeadComment = "# " + strings.Join(why[r], "\n# ")
		seq.Content = append(seq.Content, n)
	}
	return seq
}

// show shows a record name or type in a comment: as it is when it is a
// plain name, else Go-quoted.
func show(name string) string {
	if strings.Contains(name, " ") {
		return excerpt(name, 40)
	}
	if plainSafe(name) || name == "@" || strings.HasPrefix(name, "*.") && plainSafe(name[2:]) {
		return name
	}
	return excerpt(name, 40)
}

// nameGlob returns an unmanaged name glob (path.Match syntax, as
// reconcile.Unmanaged uses) that matches exactly the canonical name of a
// record named name: glob characters are escaped ("*.apps" → `\*.apps`).
// Characters the schema's name globs cannot hold (spaces, control
// characters) and, in names that do not normalise, characters beyond ASCII
// become "?", so that the rule always loads and still covers the record.
func nameGlob(name string) string {
	n := strings.ToLower(name)
	if nn, err := providers.NormalizeName(name); err == nil {
		n = nn
	}
	var b strings.Builder
	for _, c := range n {
		switch {
		case c == '*', c == '?', c == '[', c == ']', c == '\\':
			b.WriteByte('\\')
			b.WriteRune(c)
		case c >= utf8.RuneSelf, c < 0x20, c == 0x7f, unicode.IsSpace(c):
			b.WriteByte('?')
		default:
			b.WriteRune(c)
		}
	}
	if b.Len() == 0 {
		return "@"
	}
	return b.String()
}

// typeGlob returns a type glob matching type t: t upper-cased, characters
// outside A-Z (which the schema's type globs cannot hold, as in "TYPE65")
// replaced by "?"; "*" when t is empty.
func typeGlob(t string) string {
	if t == "" {
		return "*"
	}
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r
		}
		return '?'
	}, strings.ToUpper(t))
}
