package schema

import (
	"bytes"
	"errors"
	"io"

	"gopkg.in/yaml.v3"
)

// A large state is almost all records. yaml.v3 builds a file's whole node
// tree before anything can be checked (about 1.5 KB a record: 300 MB for
// 200,000), so the loader cuts each zone's block-style records list out of
// the file's text first: the rest of the file (the skeleton) is parsed
// with the list left empty, and the records are parsed later, a batch of
// items at a time, by the goroutine that checks them.
//
// The cut is made on lines, where YAML's block structure is visible: an
// item of a block sequence starts with "- " at the sequence's indentation,
// and everything of the item is on the lines after it that are indented
// more (block scalars and plain scalars cannot come back to the item's
// column). A quoted scalar or a flow collection may break those rules over
// several lines; cut there, a batch is not valid YAML on its own, and the
// loader then parses the file whole (see load). The skeleton is checked to
// hold an empty list exactly where each cut list was, so a "records:" line
// that is not a zone's records key (in a block scalar, say) undoes the cut.

// recordList is one zone's records list cut out of a file.
type recordList struct {
	// seqLine and seqCol are where the skeleton's empty list in its
	// place starts (1-based).
	seqLine, seqCol int
	// insert is where the skeleton gets " []" (after a block list's
	// key), or -1 (a JSON list: its brackets stay).
	insert int
	// flow: the items are a JSON array's elements, not block items.
	flow  bool
	items []itemSpan
	// used: the list's records are checked (a records key given twice
	// is a problem, and its second list is not).
	used bool
}

// unusedCutWrong says whether a list cut out of the parts' file but not
// checked is not valid YAML on its own: the file is then to be parsed
// whole, which says where (as it does when a checked list's batch does
// not parse).
func unusedCutWrong(parts []part) bool {
	if len(parts) == 0 {
		return false
	}
	for _, l := range parts[0].lists { // the file's lists, shared by its parts
		if l.used {
			continue
		}
		for _, b := range l.batches(parts[0].data, recordsPerBatch) {
			if _, ok := fastMaps(b); ok {
				continue
			}
			if _, ok := parseItems(b); !ok {
				return true
			}
		}
	}
	return false
}

// itemSpan is one list item's text: a block item's from the start of its
// first line to the end of its last, a JSON element's from its first byte
// to its last; line and col are where start is (1-based).
type itemSpan struct {
	start, end, line, col int
}

// batches groups the list's items by n: each batch's text and first line.
func (l *recordList) batches(data []byte, n int) []textBatchSpan {
	var out []textBatchSpan
	for i := 0; i < len(l.items); i += n {
		j := min(i+n, len(l.items))
		out = append(out, textBatchSpan{
			text:  data[l.items[i].start:l.items[j-1].end],
			line:  l.items[i].line,
			col:   l.items[i].col,
			count: j - i,
			flow:  l.flow,
		})
	}
	return out
}

// textBatchSpan is the text of consecutive items of a cut list.
type textBatchSpan struct {
	text      []byte
	line, col int // where text starts in the file
	count     int // items in text
	flow      bool
}

var recordsKey = []byte("records:")

// splitRecordLists finds the block-style records lists of data and returns
// the skeleton (data with each list's items blanked out, so that every
// other line and column is unchanged, and " []" after each cut block
// list's key) and the lists. It returns nil, nil when there is nothing to
// cut.
func splitRecordLists(data []byte) ([]byte, []recordList) {
	if !bytes.Contains(data, []byte("records")) {
		return nil, nil
	}
	lines := splitLines(data)
	var lists []recordList
	if trimmed := bytes.TrimLeft(data, " \t\r\n"); len(trimmed) > 0 && trimmed[0] == '{' {
		lists = cutJSONLists(data, lines)
	} else {
		for i := 0; i < len(lines); i++ {
			l, next, ok := cutList(data, lines, i)
			if ok {
				lists = append(lists, l)
				i = next - 1
			}
		}
	}
	if len(lists) == 0 {
		return nil, nil
	}
	skel := make([]byte, 0, len(data)+3*len(lists))
	prev := 0
	for _, l := range lists {
		if l.insert >= 0 {
			skel = append(skel, data[prev:l.insert]...)
			skel = append(skel, " []"...)
			prev = l.insert
		}
		skel = append(skel, data[prev:l.items[0].start]...)
		skel = blank(skel, data[l.items[0].start:l.items[len(l.items)-1].end])
		prev = l.items[len(l.items)-1].end
	}
	skel = append(skel, data[prev:]...)
	return skel, lists
}

// blank appends text blanked out to skel: its line breaks, and spaces for
// what is on its last line (where the file goes on after it). Every line
// and column after text stays where it was.
func blank(skel, text []byte) []byte {
	last := bytes.LastIndexByte(text, '\n')
	skel = append(skel, bytes.Repeat([]byte{'\n'}, bytes.Count(text, []byte{'\n'}))...)
	return append(skel, bytes.Repeat([]byte{' '}, len(text)-last-1)...)
}

// lineSpan is one line of a file: its bytes without the line break, and
// the offset just past the break.
type lineSpan struct {
	start, end, next int
}

func splitLines(data []byte) []lineSpan {
	lines := make([]lineSpan, 0, bytes.Count(data, []byte{'\n'})+1)
	for start := 0; start < len(data); {
		end := bytes.IndexByte(data[start:], '\n')
		next := start + end + 1
		if end < 0 {
			end, next = len(data)-start, len(data)
		}
		end += start
		if end > start && data[end-1] == '\r' {
			end--
		}
		lines = append(lines, lineSpan{start, end, next})
		start = next
	}
	return lines
}

// lineKind is what cutList needs to know of a line.
type lineKind int

const (
	lineBlank   lineKind = iota // empty, spaces or a comment only
	lineContent                 // anything else, indented with spaces
	lineTab                     // a tab in its indentation: not cut
)

// classifyLine returns a line's kind, its indentation and whether it starts a
// block sequence item ("-" then a space or the line's end).
func classifyLine(line []byte) (kind lineKind, indent int, dash bool) {
	for indent < len(line) && line[indent] == ' ' {
		indent++
	}
	rest := line[indent:]
	switch {
	case len(rest) == 0 || rest[0] == '#':
		return lineBlank, indent, false
	case rest[0] == '\t':
		if len(bytes.TrimLeft(rest, " \t")) == 0 {
			return lineBlank, indent, false
		}
		return lineTab, indent, false
	}
	dash = rest[0] == '-' && (len(rest) == 1 || rest[1] == ' ')
	return lineContent, indent, dash
}

// cutList looks at lines[i] for a records key ("records:", maybe after
// "- ", with nothing but a comment after it) followed by a block sequence,
// and returns the list and the index of the first line after it.
func cutList(data []byte, lines []lineSpan, i int) (recordList, int, bool) {
	line := data[lines[i].start:lines[i].end]
	kind, key, dash := classifyLine(line)
	if kind != lineContent {
		return recordList{}, 0, false
	}
	if dash { // "- records:": the key of an item's mapping
		key++
		for key < len(line) && line[key] == ' ' {
			key++
		}
	}
	if !bytes.HasPrefix(line[key:], recordsKey) {
		return recordList{}, 0, false
	}
	// a key's colon is followed by a space or the line's end; then
	// nothing, or a comment
	rest := line[key+len(recordsKey):]
	after := bytes.TrimLeft(rest, " \t")
	if len(rest) > 0 && (len(after) == len(rest) || (len(after) > 0 && after[0] != '#')) {
		return recordList{}, 0, false
	}
	l := recordList{seqLine: i + 1, seqCol: key + len(recordsKey) + 2, insert: lines[i].start + key + len(recordsKey)}
	itemIndent, compact := -1, false
	last := -1 // the last content line of the list
	j := i + 1
	for ; j < len(lines); j++ {
		kind, indent, dash := classifyLine(data[lines[j].start:lines[j].end])
		if kind == lineBlank {
			continue
		}
		if kind == lineTab {
			return recordList{}, 0, false
		}
		if itemIndent < 0 { // the first item says how the list is written
			if !dash || indent < key {
				return recordList{}, 0, false
			}
			itemIndent, compact = indent, indent == key
		}
		inside := indent > key || (compact && indent == key && dash)
		if !inside {
			break
		}
		if indent == itemIndent && dash {
			if n := len(l.items); n > 0 {
				l.items[n-1].end = lines[j].start
			}
			l.items = append(l.items, itemSpan{start: lines[j].start, line: j + 1, col: 1})
		}
		last = j
	}
	if last < 0 {
		return recordList{}, 0, false
	}
	l.items[len(l.items)-1].end = lines[last].next
	return l, last + 1, true
}

// claimLists finds, in the skeleton's documents, the empty list each cut
// list left as a zone's records, and returns the lists by that node. It
// returns false unless every list is found exactly once: the file is then
// to be parsed whole.
func claimLists(parts []part, lists []recordList) (map[*yaml.Node]*recordList, bool) {
	at := make(map[[2]int]*recordList, len(lists))
	for i := range lists {
		at[[2]int{lists[i].seqLine, lists[i].seqCol}] = &lists[i]
	}
	claimed := make(map[*yaml.Node]*recordList, len(lists))
	for _, p := range parts {
		zones, _, _, found := lookup(p.root, "", []string{"zones"})
		if !found || zones.Kind != yaml.SequenceNode {
			continue
		}
		for _, z := range zones.Content {
			if z.Kind != yaml.MappingNode {
				continue
			}
			for k := 0; k+1 < len(z.Content); k += 2 {
				key, val := z.Content[k], z.Content[k+1]
				l := at[[2]int{val.Line, val.Column}]
				if key.Value != "records" || l == nil {
					continue
				}
				if val.Kind != yaml.SequenceNode || val.Style&yaml.FlowStyle == 0 || len(val.Content) != 0 {
					return nil, false
				}
				claimed[val] = l
			}
		}
	}
	return claimed, len(claimed) == len(lists)
}

// parseItems parses a batch of a cut list's items: a block sequence of
// count items whose nodes are at their lines in the file. It returns false
// when the text is not that (the cut was wrong, or the YAML is not valid:
// the file is then parsed whole, which says where).
func parseItems(b textBatchSpan) (items []*yaml.Node, ok bool) {
	defer func() {
		if recover() != nil {
			items, ok = nil, false
		}
	}()
	text, shift := b.text, b.line-1
	if b.flow { // "[", then the elements where they were in the file, then "]"
		text = make([]byte, 0, len(b.text)+b.col+4)
		text = append(text, "[\n"...)
		text = append(text, bytes.Repeat([]byte{' '}, b.col-1)...)
		text = append(append(text, b.text...), "\n]"...)
		shift = b.line - 2
	}
	dec := yaml.NewDecoder(bytes.NewReader(text))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil || len(doc.Content) != 1 {
		return nil, false
	}
	var more yaml.Node
	if err := dec.Decode(&more); !errors.Is(err, io.EOF) {
		return nil, false
	}
	seq := doc.Content[0]
	if seq.Kind != yaml.SequenceNode || (seq.Style&yaml.FlowStyle != 0) != b.flow || len(seq.Content) != b.count {
		return nil, false
	}
	shiftLines(seq, shift)
	return seq.Content, true
}

// shiftLines adds d to the line of n and of every node under it.
func shiftLines(n *yaml.Node, d int) {
	n.Line += d
	for _, c := range n.Content {
		shiftLines(c, d)
	}
}
