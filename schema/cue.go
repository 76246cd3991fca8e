package schema

import (
	_ "embed"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/cuecontext"
)

//go:embed schema.cue
var schemaSource []byte

// Schema returns the embedded CUE schema, the definition of the format.
func Schema() string { return string(schemaSource) }

// validator checks data against the schema. Building and unifying new
// values in one cue.Context is not documented as safe for concurrent use,
// so each goroutine takes its own validator from the pool. A validator
// compiles the schema into a context of its own only when it first needs
// CUE (cue): a goroutine whose records all hit the shape memo and the
// text predicates never does.
type validator struct {
	c     *compiled // nil until cue is called
	facts *schemaFacts
	key   []byte // a shape's canonical form, being written

	// Memo of record shapes by canonical form: most records share a few
	// shapes. Each load's record check shares one among its goroutines
	// (see checkRecords), so that each load does its own work.
	shapes *shapeMemo
	// lists are the compiled [...#Def] of the text checks, by #Def.
	lists map[string]cue.Value
	uses  int // loads served, see putValidator
}

// compiled is the schema compiled in one cue.Context.
type compiled struct {
	ctx    *cue.Context
	schema cue.Value

	state checker // one file's skeleton (records left out)
	shape checker // #RecordShape: a record with its free text set aside
	names checker // #NameTypes: the record names of one zone
}

// schemaFacts is what every validator shares: plain Go data taken from the
// schema once, safe for concurrent use.
type schemaFacts struct {
	types []string // the record types #Value knows
	// valueDefs is "#Value.A" and the like, by record type.
	valueDefs map[string]string
	// preds are the text checks compiled to Go (see compileTextPred), by
	// #Def; nil for a definition that has none.
	preds map[string]func(string) bool
}

// textDefs are the definitions checked as free text besides #Value.T.
var textDefs = []string{"#RecordName", "#Comment", "#ZoneName"}

// checker is a schema definition that data is validated against.
type checker struct {
	def cue.Value
	// wrapper "out: #X", when set: filling out with data closes it against
	// #X (Value.Unify with a bare definition does not). Records are
	// unified with their definition directly, which is twice as fast, and
	// their unknown fields found from the definition's field list.
	wrapper cue.Value
}

// memoLimit bounds the shape memo; a full memo is emptied.
const memoLimit = 1 << 14

// shapeMemo is the memo of checked record shapes, safe for concurrent use:
// its results are plain data, not CUE values of one validator's context.
type shapeMemo struct {
	mu sync.Mutex
	m  map[string]*shapeResult
}

func newShapeMemo() *shapeMemo { return &shapeMemo{m: map[string]*shapeResult{}} }

func (s *shapeMemo) get(key []byte) (*shapeResult, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.m[string(key)]
	return r, ok
}

func (s *shapeMemo) put(key string, r *shapeResult) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.m) >= memoLimit {
		clear(s.m)
	}
	s.m[key] = r
}

var outPath = cue.MakePath(cue.Str("out"))

// validators is the pool of validators, those with the schema compiled
// first.
var validators struct {
	mu             sync.Mutex
	compiled, bare []*validator
}

// validatorUses bounds how many loads a validator serves: a cue.Context
// keeps every field name it has seen, so a long-running watch lets go of
// its contexts now and then.
const validatorUses = 256

var facts struct {
	once sync.Once
	f    *schemaFacts
	err  error
}

// getValidator takes a validator from the pool (one with the schema
// compiled if there is one); putValidator returns it.
func getValidator() (*validator, error) {
	facts.once.Do(func() {
		// the first validator's facts are everyone's, and it keeps its
		// compiled schema
		var v *validator
		if v, facts.err = newValidator(); facts.err == nil {
			facts.f = v.facts
			putValidator(v)
		}
	})
	if facts.err != nil {
		return nil, facts.err
	}
	validators.mu.Lock()
	defer validators.mu.Unlock()
	var v *validator
	for _, l := range []*[]*validator{&validators.compiled, &validators.bare} {
		if n := len(*l); n > 0 && v == nil {
			v, *l = (*l)[n-1], (*l)[:n-1]
		}
	}
	if v == nil {
		v = &validator{facts: facts.f, lists: map[string]cue.Value{}}
	}
	v.shapes = newShapeMemo()
	return v, nil
}

func putValidator(v *validator) {
	v.uses++
	if v.uses >= validatorUses {
		return
	}
	validators.mu.Lock()
	defer validators.mu.Unlock()
	if v.c != nil {
		validators.compiled = append(validators.compiled, v)
	} else {
		validators.bare = append(validators.bare, v)
	}
}

// cue is the validator's compiled schema, compiled on first use. The
// schema compiled once already (getValidator), so it cannot fail here.
func (v *validator) cue() *compiled {
	if v.c == nil {
		c, err := compile()
		if err != nil {
			panic(err)
		}
		v.c = c
	}
	return v.c
}

// newValidator is a validator of its own compiled schema and facts,
// outside the pool (getValidator puts the first one in).
func newValidator() (*validator, error) {
	c, err := compile()
	if err != nil {
		return nil, err
	}
	f, err := c.facts()
	if err != nil {
		return nil, err
	}
	return &validator{c: c, facts: f, lists: map[string]cue.Value{}, shapes: newShapeMemo()}, nil
}

// compile compiles the schema into a new cue.Context.
func compile() (*compiled, error) {
	ctx := cuecontext.New()
	s := ctx.CompileBytes(schemaSource, cue.Filename("schema.cue"))
	if err := s.Err(); err != nil {
		return nil, fmt.Errorf("schema: compile schema.cue: %w", err)
	}
	def := func(name string) cue.Value { return s.LookupPath(cue.ParsePath(name)) }
	c := &compiled{
		ctx: ctx, schema: s,
		state: checker{def: def("#State"), wrapper: ctx.CompileString("out: #State", cue.Scope(s))},
		shape: checker{def: def("#RecordShape")},
		names: checker{def: def("#NameTypes")},
	}
	if err := c.state.wrapper.Err(); err != nil {
		return nil, fmt.Errorf("schema: compile #State wrapper: %w", err)
	}
	return c, nil
}

// facts takes the shared facts from the compiled schema.
func (c *compiled) facts() (*schemaFacts, error) {
	it, err := c.schema.LookupPath(cue.ParsePath("#Value")).Fields()
	if err != nil {
		return nil, fmt.Errorf("schema: #Value: %w", err)
	}
	f := &schemaFacts{valueDefs: map[string]string{}, preds: map[string]func(string) bool{}}
	for it.Next() {
		t := it.Selector().Unquoted()
		f.types = append(f.types, t)
		f.valueDefs[t] = "#Value." + t
	}
	for _, def := range slices.Concat(textDefs, slices.Collect(maps.Values(f.valueDefs))) {
		f.preds[def], _ = compileTextPred(c.schema.LookupPath(cue.ParsePath(def)))
	}
	return f, nil
}

// check fills data into the wrapper and validates it. It returns the
// unified value and the errors, the most telling one per path.
//
// CUE reports some errors (a missing required field, a failed disjunction)
// only when nothing more severe is wrong, so after errors check validates
// again with the offending fields removed (at most maxPasses times) and
// adds what that finds at other paths: all problems are reported at once.
func (v *validator) check(c checker, data any) (cue.Value, []cueErr) {
	out, errs := v.checkOnce(c, data)
	removed := map[string]bool{}
	known := map[string]bool{}
	silent := map[string]bool{}
	for _, e := range errs {
		known[pathKey(e.sels)] = true
	}
	for range maxPasses {
		n := 0
		for _, e := range errs {
			if removed[pathKey(e.sels)] {
				continue
			}
			var ok bool
			if data, ok = without(data, e.sels); ok {
				removed[pathKey(e.sels)] = true
				n++
			}
		}
		if n == 0 {
			break
		}
		_, more := v.checkOnce(c, data)
		for _, e := range more {
			if k := pathKey(e.sels); !removed[k] && !known[k] {
				if e.kind == kindMatchIf && removedBelow(removed, e.sels) {
					// the field it needs was removed for its own error:
					// not a problem, but removed too, so that the next
					// pass gets further
					silent[k] = true
				}
				known[k] = true
				errs = append(errs, e)
			}
		}
	}
	errs = slices.DeleteFunc(errs, func(e cueErr) bool { return silent[pathKey(e.sels)] })
	// CUE leaves out "field not allowed" while a required field is missing;
	// find unknown fields from the schema's field lists instead.
	for _, e := range unknownFields(c.def, data, nil) {
		if k := pathKey(e.sels); !known[k] {
			known[k] = true
			errs = append(errs, e)
		}
	}
	return out, errs
}

const maxPasses = 3

// unknownFields lists the map fields in data that the schema at their
// place does not declare. Places where the schema is not a closed struct
// with fields (a pattern like [string]: T, or a non-struct) are skipped.
func unknownFields(def cue.Value, data any, sels []string) []cueErr {
	var errs []cueErr
	switch d := data.(type) {
	case map[string]any:
		s := schemaAt(def, sels)
		allowed := fieldsOf(s)
		if allowed == nil {
			return nil
		}
		for _, k := range slices.Sorted(maps.Keys(d)) {
			p := append(slices.Clip(sels), k)
			if !slices.Contains(allowed, k) {
				errs = append(errs, cueErr{sels: p, kind: kindNotAllowed, msg: "field not allowed"})
				continue
			}
			errs = append(errs, unknownFields(def, d[k], p)...)
		}
	case []any:
		for i, e := range d {
			errs = append(errs, unknownFields(def, e, append(slices.Clip(sels), strconv.Itoa(i)))...)
		}
	}
	return errs
}

// fieldsOf returns the fields of a closed struct schema, nil if s has
// pattern constraints or no fields.
func fieldsOf(s cue.Value) []string {
	if s.LookupPath(cue.MakePath(cue.AnyString)).Exists() {
		return nil
	}
	names := fieldNames(s)
	if len(names) == 0 {
		return nil
	}
	return names
}

func (v *validator) checkOnce(c checker, data any) (cue.Value, []cueErr) {
	d := v.cue().ctx.Encode(data)
	if err := d.Err(); err != nil {
		return d, collect(err)
	}
	var out cue.Value
	if c.wrapper.Exists() {
		out = c.wrapper.FillPath(outPath, d).LookupPath(outPath)
	} else {
		out = c.def.Unify(d)
	}
	if err := out.Validate(cue.Concrete(true)); err != nil {
		return out, collect(err)
	}
	return out, nil
}

// removedBelow reports whether a field under sels was removed.
func removedBelow(removed map[string]bool, sels []string) bool {
	prefix := pathKey(sels) + "\x00"
	for k := range removed {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

func pathKey(sels []string) string { return strings.Join(sels, "\x00") }

// without returns data minus the map field on path sels (copying what it
// changes), or false if sels names no map field of data. A path into a
// list element removes the field holding the list.
func without(data any, sels []string) (any, bool) {
	if len(sels) == 0 {
		return data, false
	}
	switch d := data.(type) {
	case map[string]any:
		child, ok := d[sels[0]]
		if !ok {
			return data, false
		}
		c := maps.Clone(d)
		if len(sels) == 1 {
			delete(c, sels[0])
			return c, true
		}
		if nc, ok := without(child, sels[1:]); ok {
			c[sels[0]] = nc
			return c, true
		}
		if _, isList := child.([]any); isList {
			delete(c, sels[0])
			return c, true
		}
		return data, false
	case []any:
		i, err := strconv.Atoi(sels[0])
		if err != nil || i < 0 || i >= len(d) {
			return data, false
		}
		nc, ok := without(d[i], sels[1:])
		if !ok {
			return data, false
		}
		c := slices.Clone(d)
		c[i] = nc
		return c, true
	}
	return data, false
}
