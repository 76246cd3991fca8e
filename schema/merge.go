package schema

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// origin is where a merged field was first declared.
type origin struct {
	file string
	path string
	key  *yaml.Node
	val  *yaml.Node
}

// merger merges the maps (providers, policy) of all files into one value,
// the way CUE unifies them: a field declared in two files must have the
// same value in both; maps merge field by field.
type merger struct {
	data    map[string]any
	origins map[string]origin // by path: "providers.cloudflare.api_url"
	probs   []Problem
}

func newMerger() *merger {
	return &merger{data: map[string]any{}, origins: map[string]origin{}}
}

// add merges the mapping entry key: val of one file's top level.
func (m *merger) add(file string, key, val *yaml.Node) {
	m.merge(m.data, file, "", key, val)
}

func (m *merger) merge(dst map[string]any, file, parent string, key, val *yaml.Node) {
	path := joinKey(parent, key.Value)
	old, exists := dst[key.Value]
	if !exists {
		c := converter{file: file}
		dst[key.Value] = c.value(val, path, nil)
		m.record(file, path, key, val)
		return
	}
	if sub, ok := old.(map[string]any); ok && val.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(val.Content); i += 2 {
			m.merge(sub, file, path, val.Content[i], val.Content[i+1])
		}
		return
	}
	c := converter{file: file}
	if reflect.DeepEqual(old, c.value(val, path, nil)) {
		return
	}
	o := m.origins[path]
	m.probs = append(m.probs, Problem{
		File: file, Line: val.Line, Col: val.Column, Path: path,
		Msg: fmt.Sprintf("%s conflicts with %s at %s:%d:%d, want the same value in every file",
			describeYAML(val, path), describeYAML(o.val, path), o.file, o.val.Line, o.val.Column),
	})
}

// record notes where path and the fields below it were declared.
func (m *merger) record(file, path string, key, val *yaml.Node) {
	m.origins[path] = origin{file: file, path: path, key: key, val: val}
	if val.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(val.Content); i += 2 {
		k := val.Content[i]
		m.record(file, joinKey(path, k.Value), k, val.Content[i+1])
	}
}

// explain places errors found in the merged value at the file that first
// declared the deepest field on the error's path.
func (m *merger) explain(v *validator, errs []cueErr) []Problem {
	var probs []Problem
	for _, ce := range errs {
		n := len(ce.sels)
		for ; n > 0; n-- {
			if _, ok := m.origins[keyPath(ce.sels[:n])]; ok {
				break
			}
		}
		if n == 0 { // no file declared any of it: cannot happen for data errors
			probs = append(probs, Problem{Path: keyPath(ce.sels), Msg: ce.msg})
			continue
		}
		prefix := keyPath(ce.sels[:n])
		o := m.origins[prefix]
		t := target{file: o.file, node: o.val, path: o.path, def: schemaAt(v.cue().state.def, ce.sels[:n]), data: lookupData(m.data, ce.sels[:n])}
		sub := ce
		sub.sels = ce.sels[n:]
		p := t.problem(sub)
		// Name the other files that declared part of the value.
		var also []string
		for _, k := range slices.Sorted(maps.Keys(m.origins)) {
			if x := m.origins[k]; x.file != o.file && (k == prefix || strings.HasPrefix(k, prefix+".") || strings.HasPrefix(k, prefix+"[")) {
				also = append(also, fmt.Sprintf("%s:%d:%d", x.file, x.key.Line, x.key.Column))
			}
		}
		if len(also) > 0 {
			p.Msg += " (merged with " + strings.Join(also, ", ") + ")"
		}
		probs = append(probs, p)
	}
	return probs
}

// keyPath joins field selectors the way joinKey does: providers.godaddy,
// domains["lagrieta.es"].expires.
func keyPath(sels []string) string {
	p := ""
	for _, s := range sels {
		p = joinKey(p, s)
	}
	return p
}

// lookupData follows map fields in merged data.
func lookupData(data any, sels []string) any {
	for _, s := range sels {
		m, ok := data.(map[string]any)
		if !ok {
			return nil
		}
		data = m[s]
	}
	return data
}

// stateData is the merged providers and policy as CUE decodes them.
type stateData struct {
	Providers     Providers               `json:"providers"`
	Policy        Policy                  `json:"policy"`
	Domains       map[string]Domain       `json:"domains"`
	Subscriptions map[string]Subscription `json:"subscriptions"`
	DDNS          map[string]DDNSHost     `json:"ddns"`
	NAS           map[string]NAS          `json:"nas"`
	Backups       map[string]Backup       `json:"backups"`
	Monitors      map[string]Monitor      `json:"monitors"`
	Monitoring    Monitoring              `json:"monitoring"`
	Alerts        Alerts                  `json:"alerts"`
	Secrets       Secrets                 `json:"secrets"`
	Exposure      *Exposure               `json:"exposure"`
	Mail          map[string]MailAccount  `json:"mail"`
	MailRules     map[string]MailRule     `json:"mail_rules"`
	Contacts      Contacts                `json:"contacts"`
	Handbook      *Handbook               `json:"handbook"`
}

// decode validates the merged maps against #State and decodes them with
// defaults filled.
func (m *merger) decode(v *validator) (stateData, []Problem) {
	var d stateData
	if _, ok := m.data["policy"]; !ok {
		m.data["policy"] = map[string]any{}
	}
	if _, ok := m.data["monitoring"]; !ok {
		m.data["monitoring"] = map[string]any{}
	}
	out, errs := v.check(v.cue().state, m.data)
	if len(errs) > 0 {
		return d, m.explain(v, errs)
	}
	if err := out.Decode(&d); err != nil {
		return d, []Problem{{Msg: fmt.Sprintf("cannot decode providers and policy: %v", err)}}
	}
	return d, nil
}

// declaredAt is where each top-level section and each entry of a map
// section was first declared, by path ("nas", "nas.office").
func (m *merger) declaredAt() map[string]Pos {
	out := map[string]Pos{}
	put := func(path string) {
		if o, ok := m.origins[path]; ok && o.key != nil {
			out[path] = Pos{File: o.file, Line: o.key.Line, Col: o.key.Column}
		}
	}
	for top, v := range m.data {
		put(top)
		if sub, ok := v.(map[string]any); ok {
			for k := range sub {
				put(joinKey(top, k))
			}
		}
	}
	return out
}
