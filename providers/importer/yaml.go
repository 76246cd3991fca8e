package importer

import (
	"bytes"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// str is a string scalar. It is plain only when plainSafe says so; free
// text (quote) is always quoted. Quoted strings use double quotes, or
// single quotes when that avoids escaping a `"` or `\` (CAA values).
func str(s string, quote bool) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if quote || !plainSafe(s) {
		n.Style = yaml.DoubleQuotedStyle
		if strings.ContainsAny(s, `"\`) && singleQuotable(s) {
			n.Style = yaml.SingleQuotedStyle
		}
	}
	return n
}

func intNode(i int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(i)}
}

func boolNode(b bool) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(b)}
}

// mapping builds a mapping node from key, value pairs.
func mapping(style yaml.Style, kv ...*yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.MappingNode, Style: style, Content: kv}
}

func key(k string) *yaml.Node { return str(k, false) }

// yamlWords are the plain scalars that some YAML reader (1.1 or 1.2) takes
// as a boolean or null rather than a string; compared case-insensitively.
var yamlWords = map[string]bool{
	"y": true, "n": true, "yes": true, "no": true, "on": true, "off": true,
	"true": true, "false": true, "null": true,
}

// plainSafe reports whether s can be written as a plain scalar, in block or
// flow context, and be read back as the string s by any YAML 1.1 or 1.2
// reader. It is deliberately narrow: host names, relative names and IPv4
// addresses pass; anything else is quoted.
func plainSafe(s string) bool {
	if s == "" || s[len(s)-1] == ' ' {
		return false
	}
	c := s[0]
	if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '_', c == '.', c == '-', c == '/', c == '=', c == '+':
		case c == ' ' && s[i-1] != ' ':
		default:
			return false
		}
	}
	if yamlWords[strings.ToLower(s)] {
		return false
	}
	if s[0] >= '0' && s[0] <= '9' {
		// numbers, dates, sexagesimals: only a dotted quad stays plain
		return dottedQuad(s)
	}
	return true
}

// dottedQuad reports whether s is four dot-separated runs of 1–3 digits.
func dottedQuad(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return false
	}
	for _, p := range parts {
		if len(p) == 0 || len(p) > 3 || strings.Trim(p, "0123456789") != "" {
			return false
		}
	}
	return true
}

// singleQuotable reports whether s reads well single-quoted: one line of
// printable characters without surrounding spaces.
func singleQuotable(s string) bool {
	if strings.TrimSpace(s) != s {
		return false
	}
	for _, r := range s {
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// commentBlock renders header as comment lines, each prefixed "# " ("#"
// alone for an empty line). An empty header renders nothing.
func commentBlock(header string) []byte {
	header = strings.TrimRight(header, "\r\n")
	if strings.TrimSpace(header) == "" {
		return nil
	}
	var b bytes.Buffer
	for l := range strings.SplitSeq(header, "\n") {
		l = strings.TrimRight(oneLine(l), " ")
		if l == "" {
			b.WriteString("#\n")
			continue
		}
		b.WriteString("# ")
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// oneLine makes s safe inside a YAML comment: control characters and line
// breaks become spaces.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r == utf8.RuneError || !unicode.IsPrint(r) && r != '\t' {
			return ' '
		}
		return r
	}, s)
}

// excerpt shows s in a comment: Go-quoted, cut to about n characters.
func excerpt(s string, n int) string {
	if utf8.RuneCountInString(s) > n {
		s = string([]rune(s)[:n]) + "…"
	}
	return strconv.Quote(s)
}

// encode renders header then the document root.
func encode(header string, root *yaml.Node) ([]byte, error) {
	var b bytes.Buffer
	b.Write(commentBlock(header))
	e := yaml.NewEncoder(&b)
	e.SetIndent(2)
	if err := e.Encode(root); err != nil {
		return nil, err
	}
	if err := e.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
