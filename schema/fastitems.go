package schema

import (
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Most records of a large state are written the same simple way: a block
// mapping or a one-line flow mapping (or a JSON object) of field names and
// one-line scalars. fastMaps reads a batch of such records at a fraction
// of yaml.v3's work and garbage: the loader checks them from fastMap.data,
// and makes the nodes yaml.v3 would make (fastMap.node) only to say where
// a problem is. At the first thing it does not know (a comment, an escape,
// a multi-line or nested value, an anchor, a tag, a character outside a
// small set in a plain scalar...) it gives up and the batch goes to yaml.v3
// (parseItems). Scalars keep yaml.v3's resolution: a plain scalar is
// resolved by Node.ShortTag, as yaml.v3 does. TestFastItemsEqualYAML and
// FuzzFastItems hold fastMap.node to yaml.v3's nodes and fastMap.data to
// what the converter makes of them.

// fastScalar is a one-line scalar as fastMaps reads it.
type fastScalar struct {
	value     string
	style     yaml.Style // 0 (plain), yaml.DoubleQuotedStyle or yaml.SingleQuotedStyle
	line, col int
}

// fastMap is one record as fastMaps reads it: a mapping of scalars.
type fastMap struct {
	line, col int
	flow      bool
	lo, hi    int          // its keys and values in pairs, while reading
	pairs     []fastScalar // key, value, key, value...
}

// fastMaps reads a batch of a cut list's items, or returns false.
func fastMaps(b textBatchSpan) ([]fastMap, bool) {
	f := fastReader{src: string(b.text), line: b.line, col: b.col, pairs: make([]fastScalar, 0, 10*b.count)}
	var ok bool
	var ms []fastMap
	if b.flow {
		ms, ok = f.flowItems(b.count)
	} else {
		ms, ok = f.blockItems(b.count)
	}
	if !ok {
		return nil, false
	}
	for i := range ms {
		ms[i].pairs = f.pairs[ms[i].lo:ms[i].hi:ms[i].hi]
	}
	return ms, true
}

// nodesOf is ms as the nodes yaml.v3 makes.
func nodesOf(ms []fastMap) []*yaml.Node {
	nodes := make([]*yaml.Node, len(ms))
	for i := range ms {
		nodes[i] = ms[i].node()
	}
	return nodes
}

// node is m as yaml.v3 makes it.
func (m *fastMap) node() *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: m.line, Column: m.col}
	if m.flow {
		n.Style = yaml.FlowStyle
	}
	n.Content = make([]*yaml.Node, len(m.pairs))
	for i, s := range m.pairs {
		n.Content[i] = &yaml.Node{Kind: yaml.ScalarNode, Style: s.style, Value: s.value, Line: s.line, Column: s.col}
		if s.style != 0 {
			n.Content[i].Tag = "!!str"
		}
	}
	return n
}

// data is what the converter makes of m's node (the keys are plain
// names), or false when a key comes twice (the converter says where).
// tmp is a node to resolve plain scalars with, as yaml.v3 does.
func (m *fastMap) data(tmp *yaml.Node) (map[string]any, bool) {
	d := make(map[string]any, len(m.pairs)/2)
	for i := 0; i+1 < len(m.pairs); i += 2 {
		k, v := m.pairs[i], m.pairs[i+1]
		if _, dup := d[k.value]; dup {
			return nil, false
		}
		if v.style != 0 {
			d[k.value] = v.value
			continue
		}
		*tmp = yaml.Node{Kind: yaml.ScalarNode, Value: v.value}
		d[k.value] = scalar(tmp)
	}
	return d, true
}

// maxKey is the longest key fastMaps reads, in bytes: YAML wants a key
// written without "?" within 1,024 characters of its colon.
const maxKey = 1000

// fastReader reads text, knowing the line and column (in characters, from
// 1, as yaml.v3 counts) of its position.
type fastReader struct {
	src       string
	i         int
	line, col int
	pairs     []fastScalar // of every mapping read
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
func (f *fastReader) blockItems(count int) ([]fastMap, bool) {
	items := make([]fastMap, 0, count)
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
		var item fastMap
		var ok bool
		if f.peek() == '{' {
			if item, ok = f.flowMap(false); !ok || !f.lineEnd() {
				return nil, false
			}
		} else if item, ok = f.blockMap(); !ok {
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
func (f *fastReader) blockMap() (fastMap, bool) {
	m := fastMap{line: f.line, col: f.col, lo: len(f.pairs)}
	col := f.col
	for {
		start := f.i
		k, ok := f.plain(false)
		if !ok || f.peek() != ':' || f.i-start > maxKey {
			return m, false
		}
		f.advance(1)
		if f.spaces() == 0 {
			return m, false
		}
		v, ok := f.scalar(false)
		if !ok || !f.lineEnd() {
			return m, false
		}
		f.pairs = append(f.pairs, k, v)
		m.hi = len(f.pairs)
		// the next line: a key of this mapping, or something else
		rest := f.src[f.i:]
		n := 0
		for n < len(rest) && rest[n] == ' ' {
			n++
		}
		if n+1 != col || n == len(rest) || rest[n] == '-' {
			return m, true
		}
		f.advance(n)
	}
}

// flowItems reads count flow mappings separated by commas (the elements
// of a JSON array, without its brackets).
func (f *fastReader) flowItems(count int) ([]fastMap, bool) {
	items := make([]fastMap, 0, count)
	for {
		f.space()
		if f.peek() != '{' {
			return nil, false
		}
		m, ok := f.flowMap(true)
		if !ok {
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
func (f *fastReader) flowMap(multiline bool) (fastMap, bool) {
	m := fastMap{line: f.line, col: f.col, flow: true, lo: len(f.pairs), hi: len(f.pairs)}
	f.advance(1)
	skip := f.spaces
	if multiline {
		skip = func() int { f.space(); return 0 }
	}
	for {
		skip()
		start := f.i
		k, ok := f.scalar(true)
		if !ok {
			return m, false
		}
		f.spaces() // a key and its colon are on one line
		if f.peek() != ':' || f.i-start > maxKey {
			return m, false
		}
		f.advance(1)
		if k.style == 0 && f.peek() != ' ' { // a plain key's colon is followed by a space
			return m, false
		}
		skip()
		v, ok := f.scalar(true)
		if !ok {
			return m, false
		}
		f.pairs = append(f.pairs, k, v)
		m.hi = len(f.pairs)
		skip()
		switch f.peek() {
		case ',':
			f.advance(1)
		case '}':
			f.advance(1)
			return m, true
		default:
			return m, false
		}
	}
}

// scalar reads a one-line scalar: double-quoted without escapes,
// single-quoted without quotes inside, or plain.
func (f *fastReader) scalar(flow bool) (fastScalar, bool) {
	switch f.peek() {
	case '"', '\'':
		return f.quoted()
	}
	return f.plain(flow)
}

func (f *fastReader) quoted() (fastScalar, bool) {
	q := f.peek()
	n := fastScalar{style: yaml.DoubleQuotedStyle, line: f.line, col: f.col}
	if q == '\'' {
		n.style = yaml.SingleQuotedStyle
	}
	start := f.i + 1
	end := start
	for end < len(f.src) && f.src[end] != q {
		if c := f.src[end]; c == '\\' || c == '\n' || c == '\r' {
			return n, false
		}
		end++
	}
	if end == len(f.src) || !printable(f.src[start:end]) {
		return n, false
	}
	n.value = f.src[start:end]
	f.advance(end + 1 - f.i)
	return n, true
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
func (f *fastReader) plain(flow bool) (fastScalar, bool) {
	n := fastScalar{line: f.line, col: f.col}
	start, end := f.i, f.i
	if end == len(f.src) {
		return n, false
	}
	switch c := f.src[start]; {
	case isAlnum(c) || c == '.' || c == '/' || c == '_':
	case c == '-' && start+1 < len(f.src) && isAlnum(f.src[start+1]):
	default:
		return n, false
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
			return n, false
		case c == ' ':
			if end+1 < len(f.src) && f.src[end+1] == '#' {
				return n, false // a comment
			}
		case flow && (c == ',' || c == '}'):
			goto done
		case c == '\n' || c == '\r':
			goto done
		default:
			return n, false
		}
		end++
	}
done:
	for end > start && f.src[end-1] == ' ' {
		end--
	}
	if end == start {
		return n, false
	}
	n.value = f.src[start:end]
	f.advance(end - f.i)
	return n, true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
