package schema

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"cuelang.org/go/cue"
)

// The free text of records (names, values, comments) is checked against
// simple CUE definitions (#RecordName, #Value.A, #Comment, ...). Checking
// thousands of strings by CUE unification costs a third of a load, so a
// definition made only of forms whose CUE meaning on a string is known
// exactly is compiled into a Go predicate instead. The schema stays the
// only source of truth: the predicate is built from the definition's
// expression, and a definition with any other form gets no predicate (the
// text check then asks CUE).

// maxPredDepth bounds how deep compileTextPred follows references and
// nested conjunctions (a reference cycle ends there).
const maxPredDepth = 32

// compileTextPred returns a predicate that accepts exactly the strings
// that unify with v, or an error naming the part of v it does not know.
// It knows a conjunction (&) of:
//
//   - string
//   - a string literal "lit" and the bound =="lit"
//   - the bounds !="lit", =~"re" and !~"re" (CUE matches with Go's regexp)
//   - strings.MaxRunes(n) and strings.MinRunes(n)
//   - references to values made of these
//
// Anything else (a disjunction, a default, another bound or builtin, a
// bytes literal) yields an error and no predicate.
func compileTextPred(v cue.Value) (func(string) bool, error) {
	if err := v.Err(); err != nil {
		return nil, err
	}
	c := predCompiler{str: v.Context().CompileString("string")}
	if err := c.add(v, 0); err != nil {
		return nil, err
	}
	checks := c.checks
	return func(s string) bool {
		// cue.Context.Encode turns invalid UTF-8 into U+FFFD this way
		// before CUE sees the string.
		if !utf8.ValidString(s) {
			s = strings.ToValidUTF8(s, string(utf8.RuneError))
		}
		for _, ok := range checks {
			if !ok(s) {
				return false
			}
		}
		return true
	}, nil
}

// predCompiler collects the checks of one definition's conjuncts.
type predCompiler struct {
	str    cue.Value // the type string, to recognise it
	checks []func(string) bool
}

// add adds the checks of v, one conjunct or a conjunction of them.
func (c *predCompiler) add(v cue.Value, depth int) error {
	if depth > maxPredDepth {
		return fmt.Errorf("%v: nested more than %d deep", v, maxPredDepth)
	}
	if _, ok := v.Default(); ok {
		return fmt.Errorf("%v: a default", v)
	}
	op, args := v.Expr()
	switch op {
	case cue.AndOp:
		for _, a := range args {
			if err := c.add(a, depth+1); err != nil {
				return err
			}
		}
		return nil
	case cue.SelectorOp:
		root, path := v.ReferencePath()
		if !root.Exists() || len(path.Selectors()) == 0 {
			return fmt.Errorf("%v: a selector that is not a reference", v)
		}
		return c.add(root.LookupPath(path), depth+1)
	case cue.EqualOp, cue.NotEqualOp, cue.RegexMatchOp, cue.NotRegexMatchOp:
		return c.bound(v, op, args)
	case cue.CallOp:
		return c.call(v, args)
	case cue.NoOp:
		return c.single(v)
	}
	return fmt.Errorf("%v: operator %v", v, op)
}

// bound adds a bound: ==, !=, =~ or !~ with a string literal.
func (c *predCompiler) bound(v cue.Value, op cue.Op, args []cue.Value) error {
	if len(args) != 1 || !args[0].IsConcrete() || args[0].Kind() != cue.StringKind {
		return fmt.Errorf("%v: a bound on something other than a string literal", v)
	}
	lit, err := args[0].String()
	if err != nil {
		return err
	}
	switch op {
	case cue.EqualOp:
		c.checks = append(c.checks, func(s string) bool { return s == lit })
	case cue.NotEqualOp:
		c.checks = append(c.checks, func(s string) bool { return s != lit })
	case cue.RegexMatchOp, cue.NotRegexMatchOp:
		re, err := regexp.Compile(lit) // as CUE compiles =~ and !~
		if err != nil {
			return fmt.Errorf("%v: %w", v, err)
		}
		want := op == cue.RegexMatchOp
		c.checks = append(c.checks, func(s string) bool { return re.MatchString(s) == want })
	}
	return nil
}

// call adds strings.MaxRunes(n) or strings.MinRunes(n).
func (c *predCompiler) call(v cue.Value, args []cue.Value) error {
	if len(args) == 0 {
		return fmt.Errorf("%v: a call without a function", v)
	}
	// A builtin prints as its package and name, whatever the import
	// is called.
	fn := fmt.Sprint(args[0])
	if fn != "strings.MaxRunes" && fn != "strings.MinRunes" {
		return fmt.Errorf("%v: builtin %s", v, fn)
	}
	if len(args) != 2 || !args[1].IsConcrete() {
		return fmt.Errorf("%v: %s not with one argument", v, fn)
	}
	n, err := args[1].Int64()
	if err != nil {
		return fmt.Errorf("%v: %w", v, err)
	}
	if fn == "strings.MaxRunes" {
		c.checks = append(c.checks, func(s string) bool { return int64(utf8.RuneCountInString(s)) <= n })
	} else {
		c.checks = append(c.checks, func(s string) bool { return int64(utf8.RuneCountInString(s)) >= n })
	}
	return nil
}

// single adds a value without an operator: a string literal, or the
// type string itself.
func (c *predCompiler) single(v cue.Value) error {
	if v.IncompleteKind() != cue.StringKind {
		return fmt.Errorf("%v: not a string", v)
	}
	if v.IsConcrete() {
		lit, err := v.String()
		if err != nil {
			return err
		}
		c.checks = append(c.checks, func(s string) bool { return s == lit })
		return nil
	}
	// Of string kind, no default, and every string an instance: string.
	if err := v.Subsume(c.str); err != nil {
		return fmt.Errorf("%v: a string constraint the text check does not know", v)
	}
	return nil
}
