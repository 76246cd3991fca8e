package schema

import (
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Most records of a large state are written the same simple way: a block
// mapping or a one-line flow mapping (or a JSON object) of field names and
// one-line scalars. fastItems reads a batch of such records into the nodes
// yaml.v3 would make, at a fraction of yaml.v3's work and garbage; at the
// first thing it does not know (a comment, an escape, a multi-line or
// nested value, an anchor, a tag, a character outside a small set in a
// plain scalar...) it gives up and the batch goes to yaml.v3 (parseItems).
// Scalars keep yaml.v3's resolution: a plain scalar's node has no tag, so
// Node.ShortTag resolves it as yaml.v3 does. TestFastItemsEqualYAML and
// FuzzFastItems hold the nodes to yaml.v3's.

// fastItems parses a batch of a cut list's items, or returns false.
func fastItems(b textBatchSpan) ([]*yaml.Node, bool) {
	f := fastReader{src: string(b.text), line: b.line, col: b.col}
	if b.flow {
		return f.flowItems(b.count)
	}
	return f.blockItems(b.count)
}

// fastReader reads text, knowing the line and column (in characters, from
// 1, as yaml.v3 counts) of its position.
type fastReader struct {
	src       string
	i         int
	line, col int
	slab      []yaml.Node
}

// node returns a new node at the position, from a slab.
func (f *fastReader) node(kind yaml.Kind, style yaml.Style) *yaml.Node {
	if len(f.slab) == cap(f.slab) {
		f.slab = make([]yaml.Node, 0, 512)
	}
	f.slab = append(f.slab, yaml.Node{Kind: kind, Style: style, Line: f.line, Column: f.col})
	return &f.slab[len(f.slab)-1]
}

func (f *fastReader) peek() byte {
	if f.i < len(f.src) {
		return f.src[f.i]
	}
	return 0
}

// advance moves past n bytes of one line.
func (f *fastReader) advance(n int) {
	for range n {
		if f.src[f.i]&0xC0 != 0x80 { // not a UTF-8 continuation byte
			f.col++
		}
		f.i++
	}
}

// newline moves past a line break ("\n" or "\r\n"), or returns false.
func (f *fastReader) newline() bool {
	if f.peek() == '\r' && f.i+1 < len(f.src) && f.src[f.i+1] == '\n' {
		f.i++
	}
	if f.peek() != '\n' {
		return false
	}
	f.i++
	f.line++
	f.col = 1
	return true
}

func (f *fastReader) spaces() int {
	n := 0
	for f.peek() == ' ' {
		f.advance(1)
		n++
	}
	return n
}

// blockItems reads count block sequence items, each a one-line flow
// mapping or a block mapping of one-line scalars, at the first line's
// indentation.
func (f *fastReader) blockItems(count int) ([]*yaml.Node, bool) {
	items := make([]*yaml.Node, 0, count)
	indent := -1
	for f.i < len(f.src) {
		n := f.spaces()
		if indent < 0 {
			indent = n
		}
		if n != indent || f.peek() != '-' {
			return nil, false
		}
		f.advance(1)
		if f.spaces() == 0 {
			return nil, false
		}
		var item *yaml.Node
		if f.peek() == '{' {
			if item = f.flowMap(false); item == nil || !f.lineEnd() {
				return nil, false
			}
		} else if item = f.blockMap(); item == nil {
			return nil, false
		}
		items = append(items, item)
	}
	return items, len(items) == count
}

// lineEnd reads trailing spaces and the line break (or the end).
func (f *fastReader) lineEnd() bool {
	f.spaces()
	return f.i == len(f.src) || f.newline()
}

// blockMap reads a block mapping whose first key is at the position, and
// its following lines at the same column.
func (f *fastReader) blockMap() *yaml.Node {
	m := f.node(yaml.MappingNode, 0)
	m.Tag = "!!map"
	col := f.col
	for {
		k := f.plain(false)
		if k == nil || f.peek() != ':' {
			return nil
		}
		f.advance(1)
		if f.spaces() == 0 {
			return nil
		}
		v := f.scalar(false)
		if v == nil || !f.lineEnd() {
			return nil
		}
		m.Content = append(m.Content, k, v)
		// the next line: a key of this mapping, or something else
		rest := f.src[f.i:]
		n := 0
		for n < len(rest) && rest[n] == ' ' {
			n++
		}
		if n+1 != col || n == len(rest) || rest[n] == '-' {
			return m
		}
		f.advance(n)
	}
}

// flowItems reads count flow mappings separated by commas (the elements
// of a JSON array, without its brackets).
func (f *fastReader) flowItems(count int) ([]*yaml.Node, bool) {
	items := make([]*yaml.Node, 0, count)
	for {
		f.space()
		if f.peek() != '{' {
			return nil, false
		}
		m := f.flowMap(true)
		if m == nil {
			return nil, false
		}
		items = append(items, m)
		f.space()
		if f.i == len(f.src) {
			return items, len(items) == count
		}
		if f.peek() != ',' {
			return nil, false
		}
		f.advance(1)
	}
}

// space reads spaces and line breaks.
func (f *fastReader) space() {
	for f.spaces() > 0 || f.newline() {
	}
}

// flowMap reads "{key: value, ...}"; multiline lets it span lines.
func (f *fastReader) flowMap(multiline bool) *yaml.Node {
	m := f.node(yaml.MappingNode, yaml.FlowStyle)
	m.Tag = "!!map"
	f.advance(1)
	skip := f.spaces
	if multiline {
		skip = func() int { f.space(); return 0 }
	}
	for {
		skip()
		k := f.scalar(true)
		if k == nil || k.Kind != yaml.ScalarNode {
			return nil
		}
		skip()
		if f.peek() != ':' {
			return nil
		}
		f.advance(1)
		if k.Style == 0 && f.peek() != ' ' { // a plain key's colon is followed by a space
			return nil
		}
		skip()
		v := f.scalar(true)
		if v == nil {
			return nil
		}
		m.Content = append(m.Content, k, v)
		skip()
		switch f.peek() {
		case ',':
			f.advance(1)
		case '}':
			f.advance(1)
			return m
		default:
			return nil
		}
	}
}

// scalar reads a one-line scalar: double-quoted without escapes,
// single-quoted without quotes inside, or plain.
func (f *fastReader) scalar(flow bool) *yaml.Node {
	switch f.peek() {
	case '"', '\'':
		return f.quoted()
	}
	return f.plain(flow)
}

func (f *fastReader) quoted() *yaml.Node {
	q := f.peek()
	style := yaml.DoubleQuotedStyle
	if q == '\'' {
		style = yaml.SingleQuotedStyle
	}
	n := f.node(yaml.ScalarNode, style)
	n.Tag = "!!str"
	start := f.i + 1
	end := start
	for end < len(f.src) && f.src[end] != q {
		if c := f.src[end]; c == '\\' || c == '\n' || c == '\r' {
			return nil
		}
		end++
	}
	if end == len(f.src) || !printable(f.src[start:end]) {
		return nil
	}
	n.Value = f.src[start:end]
	f.advance(end + 1 - f.i)
	return n
}

// printable says whether s holds only characters YAML prints as they are
// in a quoted scalar (no control characters, no byte order mark).
func printable(s string) bool {
	for _, r := range s {
		switch {
		case r == utf8.RuneError, r == 0xFEFF, r == 0xFFFE:
			return false
		case r < 0x80:
			if r < 0x20 && r != '\t' || r == 0x7F {
				return false
			}
		case r < 0xA0:
			return false
		}
	}
	return true
}

// plain reads a plain scalar made of letters, digits and ._/@=+:- (and
// spaces inside, in a value), starting with a letter, a digit, "." or
// "/", or a "-" before one; a ":" in it is followed by one of those.
// It ends at a ": " or, in flow, a "," or "}"; it returns nil on
// anything else.
func (f *fastReader) plain(flow bool) *yaml.Node {
	n := f.node(yaml.ScalarNode, 0)
	start, end := f.i, f.i
	if end == len(f.src) {
		return nil
	}
	switch c := f.src[start]; {
	case isAlnum(c) || c == '.' || c == '/' || c == '_':
	case c == '-' && start+1 < len(f.src) && isAlnum(f.src[start+1]):
	default:
		return nil
	}
	for end < len(f.src) {
		c := f.src[end]
		switch {
		case isAlnum(c) || c == '.' || c == '/' || c == '_':
		case c == '-' || c == '@' || c == '=' || c == '+':
		case c == ':':
			if end+1 < len(f.src) && isAlnum(f.src[end+1]) {
				break
			}
			if end+1 < len(f.src) && f.src[end+1] == ' ' && end > start {
				goto done // a key's colon
			}
			return nil
		case c == ' ':
			if end+1 < len(f.src) && f.src[end+1] == '#' {
				return nil // a comment
			}
		case flow && (c == ',' || c == '}'):
			goto done
		case c == '\n' || c == '\r':
			goto done
		default:
			return nil
		}
		end++
	}
done:
	for end > start && f.src[end-1] == ' ' {
		end--
	}
	if end == start {
		return nil
	}
	n.Value = f.src[start:end]
	f.advance(end - f.i)
	return n
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
