package schema

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/lagrieta/itlag/schema/statetest"
)

// fastCases are record lists (a state's "records:" key and its items);
// fast says whether fastItems reads them (else yaml.v3 does).
var fastCases = []struct {
	name, list string
	fast       bool
}{
	{"block", `    records:
      - name: www
        type: A
        value: 192.0.2.1
        proxied: true
      -   name: "@"
          type: 'MX'
          value: mx.example.net
          priority: 10
      - name: _dmarc.x-y
        type: TXT
        value: "v=DMARC1; p=reject; rua=mailto:dmarc@example.net"
        ttl: 3600
        comment: "ünïcode, tab	and all"
`, true},
	{"flow", `    records:
      - {name: www, type: A, value: 192.0.2.1, proxied: true}
      - {name: "@", "type": MX, value: mx.example.net, priority: -1}
      - {name: txt, type: TXT, value: v=spf1 include:x.example -all, ttl: 1e3}
      - {name: a, type: A, value: 0x1F, proxied: null, comment: 1.5, priority: True}
`, true},
	{"a key twice", "    records:\n      - {name: www, name: x, type: A, ttl: 0o17, proxied: yes, priority: 1_000}\n", true},
	{"crlf", "    records:\r\n      - name: www\r\n        type: A\r\n      - {name: a, type: A}\r\n", true},
	{"a comment", "    records:\n      - name: www # the site\n        type: A\n", false},
	{"a comment line", "    records:\n      - name: www\n      # next\n      - name: x\n", false},
	{"an escape", "    records:\n      - {name: www, value: \"a\\tb\"}\n", false},
	{"a quote in a single-quoted scalar", "    records:\n      - {name: 'it''s'}\n", false},
	{"a multi-line plain scalar", "    records:\n      - name: www\n        value: one\n          two\n", false},
	{"a nested mapping", "    records:\n      - name: www\n        value:\n          x: 1\n", false},
	{"an anchor", "    records:\n      - &a {name: www}\n", false},
	{"a tag", "    records:\n      - {name: !!str 1}\n", false},
	{"an empty value", "    records:\n      - {name: www, value: }\n", false},
	{"a colon at the end", "    records:\n      - name: www:\n", false},
	{"a flow list value", "    records:\n      - {name: [a]}\n", false},
	{"a scalar item", "    records:\n      - www\n", false},
	{"an at sign first", "    records:\n      - {name: @x}\n", false},
	{"a control character", "    records:\n      - {name: \"a\x01\"}\n", false},
	{"a colon and a space in a value", "    records:\n      - name: a: b\n", false},
}

// TestFastItemsEqualYAML: what fastItems reads, it reads into the nodes
// yaml.v3 makes; it reads the simple cases, and gives up on the others.
func TestFastItemsEqualYAML(t *testing.T) {
	for _, tc := range fastCases {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte("zones:\n  - name: a.example\n" + tc.list)
			fast := assertFastEqualYAML(t, data)
			if fast != tc.fast {
				t.Errorf("fastItems read it: %v, want %v", fast, tc.fast)
			}
		})
	}
	t.Run("json", func(t *testing.T) {
		data := []byte(`{"zones": [{"name": "a.example", "records": [{"name": "www", "type": "A", "value": "192.0.2.1", "proxied": true},
  {"name": "é", "type": "TXT",
   "value": "v=spf1 -all", "ttl": 3600},{"name":"x","priority":-5}]}]}`)
		if !assertFastEqualYAML(t, data) {
			t.Error("fastItems did not read the JSON records")
		}
	})
	for _, style := range []statetest.Style{statetest.Block, statetest.Flow, statetest.JSON} {
		t.Run("generated "+string(style), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "state.yaml")
			if err := statetest.WriteLarge(path, 2*recordsPerBatch+5, style); err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !assertFastEqualYAML(t, data) {
				t.Error("fastItems did not read the generated records")
			}
		})
	}
}

// assertFastEqualYAML cuts data's records lists and checks that each batch
// fastItems reads gives yaml.v3's nodes; it returns whether it read all.
func assertFastEqualYAML(t *testing.T, data []byte) bool {
	t.Helper()
	if _, lists := splitRecordLists(data); len(lists) == 0 {
		t.Fatalf("no records list cut out of\n%s", data)
	}
	return fastEqualYAML(t, data)
}

// fastEqualYAML is assertFastEqualYAML, for data with or without lists.
func fastEqualYAML(t *testing.T, data []byte) bool {
	t.Helper()
	_, lists := splitRecordLists(data)
	all := true
	for _, l := range lists {
		for _, b := range l.batches(data, recordsPerBatch) {
			fast, ok := fastItems(b)
			if !ok {
				all = false
				continue
			}
			assertFastData(t, b)
			slow, ok := parseItems(b)
			if !ok {
				t.Fatalf("fastItems read a batch yaml.v3 does not:\n%q", b.text)
			}
			if f, s := dumpNodes(fast), dumpNodes(slow); f != s {
				t.Fatalf("fastItems:\n%s\nyaml.v3:\n%s", f, s)
			}
		}
	}
	return all
}

// fastItems is fastMaps as nodes.
func fastItems(b textBatchSpan) ([]*yaml.Node, bool) {
	ms, ok := fastMaps(b)
	if !ok {
		return nil, false
	}
	return nodesOf(ms), true
}

// assertFastData checks that the data fastMaps makes of each record is
// what the converter makes of its node.
func assertFastData(t *testing.T, b textBatchSpan) {
	t.Helper()
	ms, _ := fastMaps(b)
	var tmp yaml.Node
	for _, m := range ms {
		d, ok := m.data(&tmp)
		c := converter{file: "state.yaml"}
		want := c.value(m.node(), "", nil)
		if !ok {
			if len(c.probs) == 0 {
				t.Fatalf("data() refused %+v, the converter found no problem", m)
			}
			continue
		}
		if !reflect.DeepEqual(any(d), want) || len(c.probs) > 0 {
			t.Fatalf("data() = %#v, the converter: %#v %v", d, want, c.probs)
		}
	}
}

// dumpNodes writes what the loader reads of nodes, one per line.
func dumpNodes(nodes []*yaml.Node) string {
	var b strings.Builder
	var dump func(n *yaml.Node, depth int)
	dump = func(n *yaml.Node, depth int) {
		fmt.Fprintf(&b, "%*s%d style=%d tag=%s value=%q at %d:%d\n", 2*depth, "", n.Kind, n.Style, n.ShortTag(), n.Value, n.Line, n.Column)
		for _, c := range n.Content {
			dump(c, depth+1)
		}
	}
	for _, n := range nodes {
		dump(n, 0)
	}
	return b.String()
}

// FuzzFastItems: a records list fastItems reads, yaml.v3 reads the same.
func FuzzFastItems(f *testing.F) {
	for _, tc := range fastCases {
		f.Add(tc.list)
	}
	f.Fuzz(func(t *testing.T, list string) {
		fastEqualYAML(t, []byte("zones:\n  - name: a.example\n"+list))
	})
}
