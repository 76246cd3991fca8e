package schema

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// part is one YAML document of one file.
type part struct {
	file string     // the name problems use
	root *yaml.Node // a mapping node (nil documents are skipped)
	// lists are the records lists cut out of the file, by the empty
	// list the skeleton has in their place; data is the file's text.
	lists map[*yaml.Node]*recordList
	data  []byte
}

// parseFile parses a file's documents, its block-style records lists cut
// out (see splitRecordLists) unless whole is set or the cut does not hold:
// then it parses the file whole.
func parseFile(file string, data []byte, whole bool) ([]part, []Problem) {
	if !whole {
		if skel, lists := splitRecordLists(data); lists != nil {
			parts, probs := parseYAML(file, skel)
			if len(probs) == 0 {
				if claimed, ok := claimLists(parts, lists); ok {
					for i := range parts {
						parts[i].lists, parts[i].data = claimed, data
					}
					return parts, nil
				}
			}
		}
	}
	return parseYAML(file, data)
}

var yamlLine = regexp.MustCompile(`line (\d+)(?:, column (\d+))?`)

// parseYAML splits data into its documents. Each document of a
// multi-document file is a part of the state of its own, as if it were a
// file; list indices in problem paths count within the document. Empty and
// null documents declare nothing.
func parseYAML(file string, data []byte) (parts []part, probs []Problem) {
	defer func() {
		// yaml.v3 is third-party code fed untrusted input: a panic in it
		// is a problem with the file, not a crash.
		if r := recover(); r != nil {
			parts = nil
			probs = []Problem{{File: file, Line: 1, Col: 1, Msg: fmt.Sprintf("not valid YAML (%v), want a YAML mapping", r)}}
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return parts, nil
		}
		if err != nil {
			return nil, []Problem{yamlProblem(file, err)}
		}
		if len(doc.Content) == 0 {
			continue
		}
		root := doc.Content[0]
		if root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null" {
			continue
		}
		parts = append(parts, part{file: file, root: root})
	}
}

// yamlProblem turns a yaml.v3 error ("yaml: line 3: did not find expected
// key") into a problem at that line.
func yamlProblem(file string, err error) Problem {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	p := Problem{File: file, Line: 1, Col: 1}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		p.Line, _ = strconv.Atoi(m[1])
		if m[2] != "" {
			p.Col, _ = strconv.Atoi(m[2])
		}
		msg = strings.TrimPrefix(strings.Replace(msg, m[0], "", 1), ": ")
	}
	p.Msg = "not valid YAML: " + strings.TrimSpace(msg)
	return p
}

// converter turns YAML nodes into plain Go values (map[string]any, []any,
// string, int64, float64, bool, nil) for CUE, collecting problems CUE
// cannot see: duplicate keys, aliases, non-string keys.
type converter struct {
	file  string
	probs []Problem
}

func (c *converter) problem(n *yaml.Node, path, msg string) {
	c.probs = append(c.probs, Problem{File: c.file, Line: n.Line, Col: n.Column, Path: path, Msg: msg})
}

// value converts n; path is n's path for problems. skip, when not nil, is
// called for each mapping entry and may return a replacement value (used to
// leave records out of the skeleton).
func (c *converter) value(n *yaml.Node, path string, skip func(path string, v *yaml.Node) (any, bool)) any {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil
		}
		return c.value(n.Content[0], path, skip)
	case yaml.AliasNode:
		c.problem(n, path, "YAML aliases are not allowed, want the value written out")
		return nil
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		seen := make(map[string]int, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode || k.Tag == "!!merge" || k.ShortTag() == "!!merge" {
				c.problem(k, path, "this key is not allowed, want a plain field name")
				continue
			}
			kp := joinKey(path, k.Value)
			if line, dup := seen[k.Value]; dup {
				c.problem(k, kp, fmt.Sprintf("duplicate field (first at line %d), want each field once", line))
				continue
			}
			seen[k.Value] = k.Line
			if skip != nil {
				if r, ok := skip(kp, v); ok {
					m[k.Value] = r
					continue
				}
			}
			m[k.Value] = c.value(v, kp, skip)
		}
		return m
	case yaml.SequenceNode:
		l := make([]any, len(n.Content))
		for i, e := range n.Content {
			l[i] = c.value(e, joinIndex(path, i), skip)
		}
		return l
	case yaml.ScalarNode:
		return scalar(n)
	}
	return nil
}

// scalar resolves a YAML scalar the way YAML 1.2's core schema does.
// Values that do not fit a Go number stay strings, so CUE reports them.
func scalar(n *yaml.Node) any {
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		switch n.Value { // the common spellings, without reflection
		case "true":
			return true
		case "false":
			return false
		}
		var b bool
		if n.Decode(&b) == nil {
			return b
		}
	case "!!int":
		if i, err := strconv.ParseInt(n.Value, 10, 64); err == nil {
			return i
		}
		var i int64
		if n.Decode(&i) == nil {
			return i
		}
	case "!!float":
		var f float64
		if n.Decode(&f) == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
			return f
		}
	}
	return n.Value
}

// describeYAML words n for a problem at path. A value is quoted only in
// the parts of the state that hold public data (records, domains,
// subscriptions, policy, monitoring); elsewhere (credential references,
// alert routes, NAS files, the document itself: an env file read as YAML)
// a value may be a secret pasted in the wrong place, so only its kind and
// length are said.
func describeYAML(n *yaml.Node, path string) string {
	if n == nil {
		return "value"
	}
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	v := scalar(n)
	if !publicPath(path) {
		switch v := v.(type) {
		case nil:
			return "null"
		case bool:
			return n.Value
		case string:
			return fmt.Sprintf("a string (%d characters)", len([]rune(v)))
		}
		return "a number"
	}
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		if n.ShortTag() == "!!str" {
			return quote(v)
		}
	}
	return n.Value // as written: 42, true, 1e400
}

// publicPath reports whether path lies in a part of the state whose values
// are public data that problems may quote.
func publicPath(path string) bool {
	// a credential reference's env, file and age fields name where a
	// secret is, never the secret
	for _, ref := range []string{".env", ".file", ".age"} {
		if strings.HasSuffix(path, ref) {
			return true
		}
	}
	for _, top := range []string{"zones", "domains", "subscriptions", "policy", "monitoring"} {
		if path == top || strings.HasPrefix(path, top+".") || strings.HasPrefix(path, top+"[") {
			return true
		}
	}
	return false
}

// joinKey appends a field to a path in the style zones[0].records[3].type.
func joinKey(path, key string) string {
	if key == "" || strings.ContainsAny(key, ".[]\" \t\n") {
		return path + "[" + strconv.Quote(key) + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

func joinIndex(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}

// lookup walks n along CUE path selectors. It returns the deepest node
// reached, the key node of the last field reached (nil for list items), the
// path of what it found in our style, and whether the whole path exists.
func lookup(n *yaml.Node, path string, sels []string) (node, key *yaml.Node, p string, ok bool) {
	node = n
	p = path
	for i, s := range sels {
		switch node.Kind {
		case yaml.MappingNode:
			found := false
			for j := 0; j+1 < len(node.Content); j += 2 {
				if node.Content[j].Value == s {
					key, node = node.Content[j], node.Content[j+1]
					p = joinKey(p, s)
					found = true
					break
				}
			}
			if !found {
				return node, key, restPath(p, sels[i:]), false
			}
		case yaml.SequenceNode:
			idx, err := strconv.Atoi(s)
			if err != nil || idx < 0 || idx >= len(node.Content) {
				return node, key, restPath(p, sels[i:]), false
			}
			key, node = nil, node.Content[idx]
			p = joinIndex(p, idx)
		default:
			return node, key, restPath(p, sels[i:]), false
		}
	}
	return node, key, p, true
}

func restPath(p string, sels []string) string {
	for _, s := range sels {
		if _, err := strconv.Atoi(s); err == nil {
			p = p + "[" + s + "]"
			continue
		}
		p = joinKey(p, s)
	}
	return p
}

// quote shows a string in a message, shortened if long.
func quote(s string) string {
	if r := []rune(s); len(r) > 60 {
		s = string(r[:57]) + "..."
	}
	return strconv.Quote(s)
}
