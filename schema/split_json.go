package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"sort"
	"unicode/utf8"
)

// errNotCut says that a JSON file is not of the shape cutJSONLists knows:
// it is parsed whole.
var errNotCut = errors.New("not a JSON state to cut")

// cutJSONLists finds the records arrays of a JSON state's zones
// ({"zones": [{"records": [...]}]}) with encoding/json's tokens, and
// returns them as lists of elements. It returns nil when data is not JSON
// of that shape (YAML's flow style, for one, is not JSON): the file is
// then parsed whole.
func cutJSONLists(data []byte, lines []lineSpan) []recordList {
	c := jsonCutter{dec: json.NewDecoder(bytes.NewReader(data)), data: data, lines: lines}
	err := c.object(func(key string) error {
		if key != "zones" {
			return c.skip()
		}
		return c.array(func() error {
			return c.object(func(key string) error {
				if key != "records" {
					return c.skip()
				}
				return c.list()
			})
		})
	})
	if err != nil {
		return nil
	}
	if _, err := c.dec.Token(); !errors.Is(err, io.EOF) {
		return nil // more than one JSON value
	}
	return c.lists
}

// jsonCutter walks a JSON state with one decoder.
type jsonCutter struct {
	dec   *json.Decoder
	data  []byte
	lines []lineSpan
	lists []recordList
}

// delim reads the next token and wants it to be d.
func (c *jsonCutter) delim(d json.Delim) error {
	tok, err := c.dec.Token()
	if err != nil {
		return err
	}
	if tok != d {
		return errNotCut
	}
	return nil
}

// object reads an object, calling field for each key with the decoder
// before its value (which field must read).
func (c *jsonCutter) object(field func(key string) error) error {
	if err := c.delim('{'); err != nil {
		return err
	}
	for c.dec.More() {
		tok, err := c.dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		if err := field(key); err != nil {
			return err
		}
	}
	return c.delim('}')
}

// array reads an array, calling elem for each element.
func (c *jsonCutter) array(elem func() error) error {
	if err := c.delim('['); err != nil {
		return err
	}
	for c.dec.More() {
		if err := elem(); err != nil {
			return err
		}
	}
	return c.delim(']')
}

// skip reads a value whole.
func (c *jsonCutter) skip() error {
	var raw json.RawMessage
	return c.dec.Decode(&raw)
}

// list reads a records array and adds its elements as a list.
func (c *jsonCutter) list() error {
	if err := c.delim('['); err != nil {
		return err
	}
	open := int(c.dec.InputOffset()) - 1
	l := recordList{insert: -1, flow: true}
	l.seqLine, l.seqCol = c.position(open)
	for c.dec.More() {
		start := int(c.dec.InputOffset())
		if err := c.skip(); err != nil {
			return err
		}
		end := int(c.dec.InputOffset())
		for start < end && bytes.IndexByte([]byte(" \t\r\n,"), c.data[start]) >= 0 {
			start++
		}
		line, col := c.position(start)
		l.items = append(l.items, itemSpan{start: start, end: end, line: line, col: col})
	}
	if err := c.delim(']'); err != nil {
		return err
	}
	if len(l.items) > 0 {
		c.lists = append(c.lists, l)
	}
	return nil
}

// position is where offset is, as yaml.v3 counts: lines and characters
// from 1.
func (c *jsonCutter) position(offset int) (line, col int) {
	i := sort.Search(len(c.lines), func(i int) bool { return c.lines[i].next > offset })
	if i == len(c.lines) {
		i--
	}
	return i + 1, utf8.RuneCount(c.data[c.lines[i].start:offset]) + 1
}
