package schema

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/cuecontext"
)

// textCorpus is the strings on which the text predicates must agree with
// CUE: edges of the record definitions and of the forms compileTextPred
// knows.
var textCorpus = []string{
	"", " ", "a", "@", "*", "*.a", "www", "host0", "a.b", "a.", ".", "..",
	"a b", " a", "a ", "\t", "a\tb", "\n", "a\n", "\na", "a\r\n", "a\x00b",
	"a\u00a0b", "a\u2003", "a\u0085", "é", "日本語", "ñandú.", "😀", "👩‍👩‍👧",
	"\xff", "a\xffb", "a\xff\xfeb", "\xc3", "lit", "LIT", "lit ", "xlit", "b", "zz",
	// IPv4 and IPv6
	"203.0.113.10", "1.2.3.4", "0.0.0.0", "255.255.255.255", "256.1.1.1",
	"1234.1.1.1", "1.2.3", "1.2.3.4.", "1.2.3.4.5", ".1.2.3.4", "1.2.3.4\n",
	"1..3.4", "a.b.c.d", "١.٢.٣.٤", "１.2.3.4", "::1", "2001:db8::1", ":",
	"fe80::1%eth0", "a:b", "1.2.3.4:",
	// other values
	"mx1.example.net", "v=spf1 -all", `"quoted"`, `0 issue "letsencrypt.org"`,
	// rune counts around 2, 3, 5 and 100 with multibyte characters
	"ab", "abc", "äb", "äbç", "äbçd", "abcde", "abcdef",
	strings.Repeat("a", 99), strings.Repeat("a", 100), strings.Repeat("a", 101),
	strings.Repeat("é", 100), strings.Repeat("é", 101),
	strings.Repeat("日", 99) + "a", strings.Repeat("日", 100) + "a",
	strings.Repeat("😀", 100), strings.Repeat("😀", 101),
	strings.Repeat("\xff", 100), strings.Repeat("\xff", 101), strings.Repeat("a\xff", 51),
}

// recordTextDefs are the definitions that check free text: of records
// (see checkRecord), and zone names (see checkPart).
func recordTextDefs(v *validator) []string {
	defs := slices.Clone(textDefs)
	for _, typ := range v.facts.types {
		defs = append(defs, "#Value."+typ)
	}
	return defs
}

// cueAccepts reports whether CUE accepts s for def, checked as checkTexts
// checks without a predicate.
func cueAccepts(v *validator, def, s string) bool {
	return len(v.checkTextList(v.textList(def), []string{s})) == 0
}

// TestTextPredRecords: every definition that checks record text compiles
// to a predicate (a schema change that loses the fast path fails here),
// and the predicate agrees with CUE on the corpus.
func TestTextPredRecords(t *testing.T) {
	v, err := newValidator()
	if err != nil {
		t.Fatal(err)
	}
	for _, def := range recordTextDefs(v) {
		t.Run(def, func(t *testing.T) {
			ok, err := compileTextPred(v.cue().schema.LookupPath(cue.ParsePath(def)))
			if err != nil {
				t.Fatalf("compileTextPred(%s) error %v, want a predicate", def, err)
			}
			agree(t, v, def, ok, textCorpus)
		})
	}
}

// agree checks that ok and CUE's def accept the same strings of corpus,
// and that corpus has strings of both kinds (else the test proves little).
func agree(t *testing.T, v *validator, def string, ok func(string) bool, corpus []string) {
	t.Helper()
	seen := map[bool]int{}
	for _, s := range corpus {
		want := cueAccepts(v, def, s)
		if got := ok(s); got != want {
			t.Errorf("predicate(%q) = %v, CUE says %v", s, got, want)
		}
		seen[want]++
	}
	if seen[true] == 0 || seen[false] == 0 {
		t.Errorf("corpus: %d strings accepted, %d refused; want some of both", seen[true], seen[false])
	}
}

// TestTextPredForms: each form the compiler knows gives a predicate that
// agrees with CUE; any other form gives none. Each case is the definition
// #Case beside the definitions of textFormsPrelude.
func TestTextPredForms(t *testing.T) {
	tests := []struct {
		name, expr string
		wantPred   bool
		// #Case is not valid CUE: else the schema must compile, so that
		// a case without a predicate is one for the form it shows
		invalid bool
	}{
		{"string", `string`, true, false},
		{"literal", `"lit"`, true, false},
		{"equal", `=="lit"`, true, false},
		{"not equal", `string & !="lit"`, true, false},
		{"match", `=~"^[a-z]+$"`, true, false},
		{"not match", `string & !~"\\s"`, true, false},
		{"max runes", `strings.MaxRunes(3)`, true, false},
		{"min runes", `string & strings.MinRunes(2)`, true, false},
		{"import alias", `str.MaxRunes(5) & str.MinRunes(2)`, true, false},
		{"references", `#Min & #Max & #NotMatch & !="abc" & =~"b"`, true, false},
		{"nested reference", `#Nested.x.y`, true, false},
		{"reference and more", `#Nested.x.y & strings.MaxRunes(2)`, true, false},
		{"reference to a literal", `#Lit`, true, false},

		{"disjunction", `=~"a" | =~"b"`, false, false},
		{"disjunction in a reference", `#Disj & string`, false, false},
		{"default", `*"a" | string`, false, false},
		{"default in a conjunction", `string & (*"a" | string)`, false, false},
		{"unknown builtin", `strings.HasPrefix("a")`, false, false},
		{"unknown bound", `string & <"m"`, false, false},
		{"bytes pattern", `=~'a'`, false, false},
		{"top", `_`, false, false},
		{"int", `int`, false, false},
		{"string or bytes", `string | bytes`, false, false},
		{"struct", `{a: string}`, false, false},
		{"error", `string & error("no")`, false, true},
		{"bad regexp", `string & =~"("`, false, true},
		{"bottom", `"a" & "b"`, false, true},
		{"cycle", `#Case & string`, false, false},
	}
	ctx := cuecontext.New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ctx.CompileString(textFormsPrelude + "#Case: " + tt.expr + "\n")
			def := s.LookupPath(cue.ParsePath("#Case"))
			if err := s.Err(); err != nil && !tt.invalid {
				t.Fatal(err)
			}
			ok, err := compileTextPred(def)
			if !tt.wantPred {
				if ok != nil || err == nil {
					t.Fatalf("compileTextPred(%s) = a predicate, %v; want none and an error", tt.expr, err)
				}
				t.Logf("no predicate: %v", err)
				return
			}
			if err != nil {
				t.Fatalf("compileTextPred(%s) error %v, want a predicate", tt.expr, err)
			}
			if tt.expr == "string" {
				for _, s := range textCorpus {
					if !ok(s) {
						t.Errorf("predicate(%q) = false, want true (any string)", s)
					}
				}
				return
			}
			v := &validator{c: &compiled{ctx: ctx, schema: s}, lists: map[string]cue.Value{}}
			agree(t, v, "#Case", ok, textCorpus)
		})
	}
}

// textFormsPrelude has the definitions the cases of TestTextPredForms
// refer to.
const textFormsPrelude = `
import (
	"strings"
	str "strings"
)
#Lit: "lit"
#Min: string & strings.MinRunes(2)
#Max: str.MaxRunes(3)
#NotMatch: !~"\\s"
#Nested: x: y: #Min & #Max & =~"b"
#Disj: =~"a" | =~"b"
`

// TestCheckTextsFallback: checkTexts finds the same bad strings with the
// predicates and with CUE (the fallback of a definition without one).
func TestCheckTextsFallback(t *testing.T) {
	fast, err := newValidator()
	if err != nil {
		t.Fatal(err)
	}
	slow, err := newValidator()
	if err != nil {
		t.Fatal(err)
	}
	texts := textBatch{}
	for _, def := range recordTextDefs(fast) {
		texts[def] = map[string]bool{}
		for _, s := range textCorpus {
			texts[def][s] = true
		}
		if fast.textPred(def) == nil {
			t.Fatalf("%s has no predicate", def)
		}
		slow.facts.preds[def] = nil // no predicate: CUE checks
	}
	gotFast, err := fast.checkTexts(context.Background(), texts, "test")
	if err != nil {
		t.Fatal(err)
	}
	gotSlow, err := slow.checkTexts(context.Background(), texts, "test")
	if err != nil {
		t.Fatal(err)
	}
	if len(gotSlow) == 0 {
		t.Fatal("CUE found no bad string in the corpus")
	}
	if !maps.EqualFunc(gotFast, gotSlow, maps.Equal) {
		t.Errorf("bad strings with predicates:\n%v\nwith CUE:\n%v", gotFast, gotSlow)
	}
}

// FuzzTextPred: on any string the record text predicates agree with CUE.
func FuzzTextPred(f *testing.F) {
	for _, s := range textCorpus {
		f.Add(s)
	}
	v, err := newValidator()
	if err != nil {
		f.Fatal(err)
	}
	defs := recordTextDefs(v)
	f.Fuzz(func(t *testing.T, s string) {
		for _, def := range defs {
			ok := v.textPred(def)
			if ok == nil {
				t.Fatalf("%s has no predicate", def)
			}
			if got, want := ok(s), cueAccepts(v, def, s); got != want {
				t.Errorf("%s: predicate(%q) = %v, CUE says %v", def, s, got, want)
			}
		}
	})
}
