package agefile

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"

	"gopkg.in/yaml.v3"
)

// keyName is what a key in a secrets file looks like: NOIP_PASSWORD.
var keyName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*$`)

// CheckKey checks a key's name.
func CheckKey(key string) error {
	if !keyName.MatchString(key) {
		return fmt.Errorf("key %q: want letters, digits, _ . - (like NOIP_PASSWORD)", key)
	}
	return nil
}

// Parse reads a decrypted secrets file: a YAML map of KEY: value, values
// scalars (a number is kept as written), keys unique. An empty document is
// an empty map. Errors give a line, never the text.
func Parse(plaintext []byte) (map[string]string, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(plaintext, &doc); err != nil {
		return nil, errors.New("not valid YAML (" + lineOf(err) + ")")
	}
	out := map[string]string{}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return out, nil
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: want a map of KEY: value", m.Line)
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("line %d: want a map of KEY: value", k.Line)
		}
		if err := CheckKey(k.Value); err != nil {
			return nil, fmt.Errorf("line %d: %w", k.Line, err)
		}
		if _, dup := out[k.Value]; dup {
			return nil, fmt.Errorf("line %d: key %s twice", k.Line, k.Value)
		}
		if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
			return nil, fmt.Errorf("line %d: key %s: want a text value", v.Line, k.Value)
		}
		out[k.Value] = v.Value
	}
	return out, nil
}

// lineOf keeps the position of a YAML error and drops the rest, which may
// quote the document.
func lineOf(err error) string {
	if m := regexp.MustCompile(`line \d+`).FindString(err.Error()); m != "" {
		return m
	}
	return "syntax error"
}

// Set returns the document with key set to value: the key's value
// replaced where it is (comments and order kept), or appended.
func Set(plaintext []byte, key, value string) ([]byte, error) {
	if err := CheckKey(key); err != nil {
		return nil, err
	}
	if _, err := Parse(plaintext); err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(plaintext, &doc); err != nil {
		return nil, errors.New("not valid YAML (" + lineOf(err) + ")")
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		doc = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{{Kind: yaml.MappingNode, Tag: "!!map"}}}
	}
	m := doc.Content[0]
	val := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: value}
	found := false
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			val.HeadComment, val.LineComment = m.Content[i+1].HeadComment, m.Content[i+1].LineComment
			m.Content[i+1] = val
			found = true
		}
	}
	if !found {
		m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, val)
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, fmt.Errorf("key %s: cannot encode", key)
	}
	return buf.Bytes(), nil
}

// Diff names the keys added, changed and removed from old to new (names
// only, sorted).
func Diff(old, new map[string]string) (added, changed, removed []string) {
	for k, v := range new {
		o, ok := old[k]
		switch {
		case !ok:
			added = append(added, k)
		case o != v:
			changed = append(changed, k)
		}
	}
	for k := range old {
		if _, ok := new[k]; !ok {
			removed = append(removed, k)
		}
	}
	slices.Sort(added)
	slices.Sort(changed)
	slices.Sort(removed)
	return added, changed, removed
}
