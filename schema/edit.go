package schema

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"

	"gopkg.in/yaml.v3"
)

// ErrNoSuchField is returned by SetScalar when the file does not declare
// the field.
var ErrNoSuchField = errors.New("no such field")

// SetScalar replaces the value of the single-line scalar at path (map
// keys from the document's top, like nas, office, host_key) in the YAML
// file src with value, written double-quoted. Only that value's bytes
// change: comments, order, spacing and the rest of the file stay as they
// are. The node is found by parsing src (yaml.v3 nodes carry their line
// and column), not by matching text. A value spanning lines, an alias or a
// non-scalar is an error saying to edit the file by hand.
func SetScalar(src []byte, path []string, value string) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 {
		return nil, ErrNoSuchField
	}
	n := doc.Content[0]
	for _, key := range path {
		if n.Kind != yaml.MappingNode {
			return nil, ErrNoSuchField
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				next = n.Content[i+1]
			}
		}
		if next == nil {
			return nil, ErrNoSuchField
		}
		n = next
	}
	if n.Kind != yaml.ScalarNode || n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return nil, fmt.Errorf("line %d: not a one-line value: edit it by hand", n.Line)
	}
	lines := bytes.SplitAfter(src, []byte("\n"))
	if n.Line < 1 || n.Line > len(lines) {
		return nil, fmt.Errorf("line %d: out of the file", n.Line)
	}
	line := lines[n.Line-1]
	start := n.Column - 1
	end, err := scalarEnd(line, start, n.Style)
	if err != nil {
		return nil, fmt.Errorf("line %d: %w: edit it by hand", n.Line, err)
	}
	var out bytes.Buffer
	for _, l := range lines[:n.Line-1] {
		out.Write(l)
	}
	out.Write(line[:start])
	out.WriteString(strconv.Quote(value))
	out.Write(line[end:])
	for _, l := range lines[n.Line:] {
		out.Write(l)
	}
	return out.Bytes(), nil
}

// scalarEnd is where the scalar starting at line[start] ends.
func scalarEnd(line []byte, start int, style yaml.Style) (int, error) {
	if start < 0 || start >= len(line) {
		return 0, errors.New("value not found on its line")
	}
	switch {
	case style&yaml.DoubleQuotedStyle != 0:
		for i := start + 1; i < len(line); i++ {
			switch line[i] {
			case '\\':
				i++
			case '"':
				return i + 1, nil
			}
		}
	case style&yaml.SingleQuotedStyle != 0:
		for i := start + 1; i < len(line); i++ {
			if line[i] == '\'' {
				if i+1 < len(line) && line[i+1] == '\'' {
					i++
					continue
				}
				return i + 1, nil
			}
		}
	default: // plain: up to " #", a flow separator or the line's end
		end := start
		for i := start; i < len(line); i++ {
			c := line[i]
			if c == '\n' || c == '\r' || c == ',' || c == '}' || c == ']' || (c == '#' && i > 0 && (line[i-1] == ' ' || line[i-1] == '\t')) {
				break
			}
			if c != ' ' && c != '\t' {
				end = i + 1
			}
		}
		return end, nil
	}
	return 0, errors.New("the quoted value continues on the next line")
}
