package schema

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"cuelang.org/go/cue"
	cueerrors "cuelang.org/go/cue/errors"
	"gopkg.in/yaml.v3"
)

// target says where CUE validated a value: the YAML node the value came
// from, its path and file, and the schema definition it was checked
// against. It turns CUE's errors into problems placed in the YAML.
type target struct {
	file string
	node *yaml.Node // the value that was checked
	path string     // node's path, "" for a file's root
	def  cue.Value  // the definition node was checked against
	// data is what was checked, when it is not just node (files merged).
	data any
}

// errKind orders the kinds of CUE error at one path: the first one found
// explains the path.
type errKind int

const (
	kindCustom     errKind = iota // error("...") in schema.cue
	kindNotAllowed                // a field the definition lacks
	kindMatchN                    // exactly one of several fields
	kindMatchIf                   // a field that goes with another
	kindRequired                  // a required field is missing
	kindValue                     // conflicting value, out of bound
	kindOther
)

type cueErr struct {
	sels []string
	kind errKind
	msg  string
}

// explain turns a CUE validation error into one problem per path,
// collapsing the one-error-per-disjunct noise of CUE.
func (t target) explain(errs []cueErr) []Problem {
	var probs []Problem
	for _, ce := range errs {
		probs = append(probs, t.problem(ce))
	}
	return probs
}

// collect keeps the most telling CUE error of each path, in CUE's order.
func collect(err error) []cueErr {
	byPath := map[string][]cueErr{}
	var order []string
	for _, e := range cueerrors.Errors(err) {
		ce := classify(e)
		if ce.kind < 0 {
			continue
		}
		key := pathKey(ce.sels)
		if _, ok := byPath[key]; !ok {
			order = append(order, key)
		}
		byPath[key] = append(byPath[key], ce)
	}
	// Evaluation errors ("cannot use "yes" (type string) as type bool" in
	// a rule's condition) follow from another error: report them only
	// when there is no other.
	others := false
	for _, errs := range byPath {
		others = others || slices.ContainsFunc(errs, func(e cueErr) bool { return e.kind != kindOther })
	}
	var out []cueErr
	for _, key := range order {
		errs := byPath[key]
		best := slices.MinFunc(errs, func(a, b cueErr) int { return int(a.kind) - int(b.kind) })
		if best.kind == kindRequired && underMatchN(byPath, best.sels) {
			continue // the matchN error on the parent says it better
		}
		if best.kind == kindOther && others {
			continue
		}
		if best.kind == kindMatchIf && errorBelow(byPath, best.sels) {
			continue // a field inside is wrong: its own error says it better
		}
		out = append(out, best)
	}
	return out
}

// errorBelow reports whether a path under sels has an error.
func errorBelow(byPath map[string][]cueErr, sels []string) bool {
	for _, errs := range byPath {
		for _, e := range errs {
			if len(e.sels) > len(sels) && slices.Equal(e.sels[:len(sels)], sels) {
				return true
			}
		}
	}
	return false
}

// underMatchN reports whether the parent of sels failed a matchN.
func underMatchN(byPath map[string][]cueErr, sels []string) bool {
	if len(sels) == 0 {
		return false
	}
	for _, e := range byPath[strings.Join(sels[:len(sels)-1], "\x00")] {
		if e.kind == kindMatchN {
			return true
		}
	}
	return false
}

// classify reads one CUE error; kind -1 means "noise, skip".
func classify(e cueerrors.Error) cueErr {
	sels := slices.Clone(e.Path())
	// Drop the wrapper field or the definition the data was unified with.
	if len(sels) > 0 && (sels[0] == "out" || strings.HasPrefix(sels[0], "#")) {
		sels = sels[1:]
	}
	for i, s := range sels {
		if u, err := strconv.Unquote(s); err == nil && strings.HasPrefix(s, `"`) {
			sels[i] = u
		}
	}
	format, args := e.Msg()
	// Formats CUE does not produce itself come from error() in schema.cue.
	ce := cueErr{sels: sels, kind: kindCustom, msg: fmt.Sprintf(format, args...)}
	switch {
	case strings.HasSuffix(format, "errors in empty disjunction:"):
		ce.kind = -1
	case format == "field not allowed":
		ce.kind = kindNotAllowed
	case format == "field is required but not present":
		ce.kind = kindRequired
	case format == "required field missing: %s" && len(args) == 1:
		// A comprehension needed the missing field: place it at the field.
		ce.kind = kindRequired
		ce.sels = append(ce.sels, fmt.Sprint(args[0]))
	case strings.Contains(format, "does not satisfy") && slices.Contains(args, any("matchN")):
		ce.kind = kindMatchN
	case strings.Contains(format, "does not satisfy") && slices.Contains(args, any("matchIf")):
		ce.kind = kindMatchIf
	case strings.HasPrefix(format, "conflicting values"),
		strings.HasPrefix(format, "invalid value"),
		strings.HasPrefix(format, "incompatible list lengths"):
		ce.kind = kindValue
	case strings.Contains(format, "%"), strings.HasPrefix(format, "cannot"):
		ce.kind = kindOther
	}
	return ce
}

// problem places one error in the YAML and words it.
func (t target) problem(e cueErr) Problem {
	node, key, path, found := lookup(t.node, t.path, e.sels)
	pos := node
	var msg string
	switch e.kind {
	case kindCustom:
		msg = e.msg
	case kindNotAllowed:
		if key != nil {
			pos = key
		}
		parent := schemaAt(t.def, e.sels[:max(len(e.sels)-1, 0)])
		msg = "field not allowed, want one of " + strings.Join(fieldNames(parent), ", ")
	case kindMatchN:
		want := matchNFields(schemaAt(t.def, e.sels))
		var have []string
		if m, ok := lookupData(t.data, e.sels).(map[string]any); ok && t.data != nil {
			for _, k := range want {
				if _, ok := m[k]; ok {
					have = append(have, k)
				}
			}
		} else if node.Kind == yaml.MappingNode {
			for i := 0; i < len(node.Content); i += 2 {
				if slices.Contains(want, node.Content[i].Value) {
					have = append(have, node.Content[i].Value)
				}
			}
		}
		what := "none of them"
		if len(have) > 0 {
			what = strings.Join(have, " and ")
		}
		quantity := "exactly one"
		if strings.Contains(e.msg, ">=") {
			quantity = "at least one" // matchN(>=1, …)
		}
		msg = fmt.Sprintf("has %s, want %s of %s", what, quantity, strings.Join(want, ", "))
	case kindMatchIf:
		msg = matchIfMessage(schemaAt(t.def, e.sels), lookupData(t.data, e.sels), node, path)
	case kindRequired:
		msg = "field is required"
		if want := describeSchema(schemaAt(t.def, e.sels)); !strings.ContainsAny(want, "=~&|") {
			msg += ", want " + want
		}
	case kindValue:
		if !found {
			msg = e.msg
			break
		}
		msg = describeYAML(node, path) + " is not allowed, want " + describeSchema(schemaAt(t.def, e.sels))
	default:
		msg = e.msg
	}
	return Problem{File: t.file, Line: pos.Line, Col: pos.Column, Path: path, Msg: msg}
}
