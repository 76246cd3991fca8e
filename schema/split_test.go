package schema

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/lagrieta/itlag/schema/statetest"
)

const splitHead = "providers:\n  cloudflare:\n    api_token: {env: CLOUDFLARE_API_TOKEN}\n"

// splitCases are states whose records lists are, or look as if they could
// be, cut out of the text. cut is how many lists parseFile cuts (and the
// skeleton's parse accepts); retry says that a batch of them does not
// parse on its own, so that the load reads the file whole. The load is the
// same cut or whole either way (TestSplitEqualsWhole).
var splitCases = []struct {
	name  string
	text  string
	cut   int
	retry bool
}{
	{"block", splitHead + `zones:
  - name: a.example
    provider: cloudflare
    records:
      - name: www
        type: A
        value: 192.0.2.1
      - name: "@"
        type: MX
        value: mx.example.net
        priority: 10
    purge: true
`, 1, false},
	{"compact list and comments at any indentation", splitHead + `zones:
- name: a.example
  provider: cloudflare
  records:   # the web
  - name: www
    type: A
# a comment at the start of a line
    value: 192.0.2.1

  - {name: api, type: A, value: 192.0.2.2}
  # the last comment
- name: b.example
  provider: cloudflare
  records:
  - {name: www, type: CNAME, value: a.example}
`, 2, false},
	{"records as the zone's first key", splitHead + `zones:
  - records:
    - {name: www, type: A, value: 192.0.2.1}
    name: a.example
    provider: cloudflare
`, 1, false},
	{"crlf", strings.ReplaceAll(splitHead+"zones:\n  - name: a.example\n    provider: cloudflare\n    records:\n      - name: www\n        type: A\n        value: 192.0.2.1\n", "\n", "\r\n"), 1, false},
	{"block scalar and multi-line plain scalar", splitHead + `zones:
  - name: a.example
    provider: cloudflare
    records:
      - name: txt
        type: TXT
        value: |
          - name: not an item
          records:
        comment: a plain scalar
          over two lines
      - name: www
        type: A
        value: 192.0.2.1
`, 1, false},
	{"records: in a block scalar, not a key", splitHead + `handbook:
  organisation: LaGrieta
  language: es
  faq:
    - q: |
        records:
          - name: x
      a: the text above is a question
zones:
  - name: a.example
    provider: cloudflare
    records: [{name: www, type: A, value: 192.0.2.1}]
`, 0, false},
	{"a quoted scalar over lines, a line like an item", splitHead + `zones:
  - name: a.example
    provider: cloudflare
    records:
      - name: txt
        type: TXT
        value: "first
      - second"
      - name: www
        type: A
        value: 192.0.2.1
`, 1, true},
	{"a flow list over lines", splitHead + `zones:
  - name: a.example
    provider: cloudflare
    records:
      - {name: www, type: A,
      - value: 192.0.2.1}
`, 1, true},
	{"an alias to an anchor in another item", splitHead + `zones:
  - name: a.example
    provider: cloudflare
    records:
      - &www {name: www, type: A, value: 192.0.2.1}
      - *www
`, 1, false},
	{"a tab in the indentation", splitHead + "zones:\n  - name: a.example\n    provider: cloudflare\n    records:\n      - name: www\n\t  type: A\n", 0, false},
	{"invalid records and a duplicate key", splitHead + `zones:
  - name: a.example
    provider: cloudflare
    records:
      - name: www
        type: A
        value: not an address
      - name: www
        name: again
        type: CNAME
        value: b.example
    records:
      - {name: x, type: A, value: 192.0.2.9}
`, 2, false},
	{"a records key outside zones", splitHead + `zones:
  - name: a.example
    provider: cloudflare
    records: []
policy:
  records:
    - x
`, 0, false},
	{"two documents", splitHead + `zones:
  - name: a.example
    provider: cloudflare
    records:
      - {name: www, type: A, value: 192.0.2.1}
---
zones:
  - name: b.example
    provider: cloudflare
    records:
      - {name: www, type: A, value: 192.0.2.2}
`, 2, false},
	{"json", `{"providers": {"cloudflare": {"api_token": {"env": "CLOUDFLARE_API_TOKEN"}}},
 "zones": [{"name": "é.example", "provider": "cloudflare", "records": [{"name": "www", "type": "A", "value": "192.0.2.1"},
   {"name": "txt", "type": "TXT",
    "value": "v=spf1 -all", "comment": "ünïcode"}, {"name": "x", "type": "A", "value": 7}]},
  {"name": "b.example", "provider": "cloudflare", "records": []}]}
`, 1, false},
	{"json with a trailing comma is YAML, not JSON", `{"providers": {"cloudflare": {"api_token": {"env": "CLOUDFLARE_API_TOKEN"}}},
 "zones": [{"name": "a.example", "provider": "cloudflare", "records": [{"name": "www", "type": "A", "value": "192.0.2.1"},]}]}
`, 0, false},
	{"not valid YAML in a record", splitHead + `zones:
  - name: a.example
    provider: cloudflare
    records:
      - name: www
        type: A
        value: [192.0.2.1
`, 1, true},
}

// TestSplitRecordLists: each case is cut as many times as it says, into
// a skeleton with the same lines, which parses and holds the lists.
func TestSplitRecordLists(t *testing.T) {
	for _, tc := range splitCases {
		t.Run(tc.name, func(t *testing.T) {
			skel, lists := splitRecordLists([]byte(tc.text))
			if lists != nil && bytes.Count(skel, []byte("\n")) != strings.Count(tc.text, "\n") {
				t.Errorf("the skeleton has %d lines, want %d:\n%s", bytes.Count(skel, []byte("\n")), strings.Count(tc.text, "\n"), skel)
			}
			parts, probs := parseFile("state.yaml", []byte(tc.text), false)
			cut := 0
			if len(probs) == 0 && len(parts) > 0 {
				cut = len(parts[0].lists)
			}
			if cut != tc.cut {
				t.Errorf("cut %d lists, want %d (found %d before the skeleton's check)\nskeleton:\n%s", cut, tc.cut, len(lists), skel)
			}
			retry := false
			for _, l := range lists {
				for _, b := range l.batches([]byte(tc.text), recordsPerBatch) {
					if _, ok := parseItems(b); !ok {
						retry = true
					}
				}
			}
			if retry != tc.retry {
				t.Errorf("a batch does not parse: %v, want %v", retry, tc.retry)
			}
		})
	}
}

// TestSplitEqualsWhole: whether its records lists are cut out or not, a
// state loads to the same State or the same problems.
func TestSplitEqualsWhole(t *testing.T) {
	for _, tc := range splitCases {
		t.Run(tc.name, func(t *testing.T) {
			assertSplitEqualsWhole(t, []byte(tc.text))
		})
	}
	t.Run("an alias across batches", func(t *testing.T) {
		var b strings.Builder
		b.WriteString(splitHead + "zones:\n  - name: a.example\n    provider: cloudflare\n    records:\n")
		b.WriteString("      - &first {name: www, type: A, value: 192.0.2.1}\n")
		for i := range recordsPerBatch + 5 {
			fmt.Fprintf(&b, "      - {name: h%d, type: A, value: 192.0.2.1}\n", i)
		}
		b.WriteString("      - *first\n")
		assertSplitEqualsWhole(t, []byte(b.String()))
	})
}

func assertSplitEqualsWhole(t *testing.T, data []byte) {
	t.Helper()
	fsys := fstest.MapFS{"state.yaml": {Data: data}}
	name := func(rel string) string { return rel }
	cut, cutErr := load(context.Background(), fsys, loadMode{ageFiles: true}, name)
	whole, wholeErr := load(context.Background(), fsys, loadMode{ageFiles: true, whole: true}, name)
	if fmt.Sprint(cutErr) != fmt.Sprint(wholeErr) {
		t.Fatalf("cut: %v\nwhole: %v", cutErr, wholeErr)
	}
	if !reflect.DeepEqual(cut, whole) {
		t.Fatalf("cut: %+v\nwhole: %+v", cut, whole)
	}
}

// The generated states of every style are cut, so the large ones are read
// a batch at a time.
func TestSplitGenerated(t *testing.T) {
	for _, style := range []statetest.Style{statetest.Block, statetest.Flow, statetest.JSON} {
		t.Run(string(style), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "state.yaml")
			if err := statetest.WriteLarge(path, 2*statetest.PerZone+3, style); err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			parts, probs := parseFile("state.yaml", data, false)
			if len(probs) > 0 || len(parts) != 1 || len(parts[0].lists) != 3 {
				t.Fatalf("parseFile() = %d parts, %v; want one part with 3 lists cut", len(parts), probs)
			}
			assertSplitEqualsWhole(t, data)
		})
	}
}

// FuzzSplit: any bytes load the same, their records lists cut or not.
// Seeds: the cases above and testdata/fuzz/FuzzSplit.
func FuzzSplit(f *testing.F) {
	for _, tc := range splitCases {
		f.Add([]byte(tc.text))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		assertSplitEqualsWhole(t, data)
	})
}
