package schema

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"

	"cuelang.org/go/cue"
	"gopkg.in/yaml.v3"
)

// recordJob is one record list item to validate against #Record: its
// node, or (read by fastMaps) its data.
type recordJob struct {
	file      string
	path      string // zones[0].records[3]
	node      *yaml.Node
	data      map[string]any
	line, col int
	// Results.
	rec   Record
	ok    bool
	probs []Problem

	// Intermediate state between the shape and the text checks.
	shape                     *shapeResult
	errs                      []cueErr
	texts                     []textCheck
	name, typ, value, comment string
}

// recordBatch is up to recordsPerBatch consecutive records of one zone's
// list, checked together: either nodes parsed with the rest of their
// file, or the text of a list cut out of it (see splitRecordLists), parsed
// by the goroutine that checks the batch, so that the records of a large
// file are never all in memory as YAML at once.
type recordBatch struct {
	file  string
	list  string // the list's path: zones[0].records
	first int    // the list index of the batch's first record
	nodes []*yaml.Node
	text  *textBatchSpan // when nodes is nil

	// Results: the valid records in order, each one's list index, and
	// the problems.
	recs  []Record
	at    []int
	probs []Problem
}

// errCut says that a batch of a cut records list was not valid YAML on its
// own: the file is to be parsed whole.
var errCut = errors.New("a cut records list is not valid YAML on its own")

// recordsPerBatch is how many records a batch holds: few enough that their
// YAML is freed as the check goes, enough that each text check sends CUE a
// list of a fair size.
const recordsPerBatch = 1024

// nodeBatches cuts a parsed records list into batches.
func nodeBatches(file, list string, items []*yaml.Node) []*recordBatch {
	var out []*recordBatch
	for i := 0; i < len(items); i += recordsPerBatch {
		out = append(out, &recordBatch{file: file, list: list, first: i, nodes: items[i:min(i+recordsPerBatch, len(items))]})
	}
	return out
}

// textBatches cuts a records list cut out of data into batches.
func textBatches(file, list string, data []byte, l *recordList) []*recordBatch {
	var out []*recordBatch
	first := 0
	for _, t := range l.batches(data, recordsPerBatch) {
		out = append(out, &recordBatch{file: file, list: list, first: first, text: &t})
		first += t.count
	}
	return out
}

// checkRecords checks every batch against #Record, each record on its own,
// batches spread over goroutines (see inParallel): validation is linear in
// the number of records. It stops when ctx ends, with an error saying what
// was interrupted, and returns errCut when a batch of a cut list does not
// parse.
func checkRecords(ctx context.Context, batches []*recordBatch, what string) error {
	shapes := newShapeMemo()
	return inParallel(len(batches), func(v *validator, i int) error {
		v.shapes = shapes
		return v.checkBatch(ctx, batches[i], what)
	})
}

// inParallel calls work for each of n pieces of work, over up to
// GOMAXPROCS goroutines, each with a validator of its own, each taking the
// next piece as it goes. The first piece runs alone: the memos it fills
// (record shapes, name counts) usually spare the other goroutines any CUE
// evaluation, and so the compiling of the schema in their validators (see
// validator.cue). An error stops every goroutine before its next piece;
// the first goroutine's is returned.
func inParallel(n int, work func(v *validator, i int) error) error {
	if n == 0 {
		return nil
	}
	v, err := getValidator()
	if err != nil {
		return err
	}
	err = work(v, 0)
	putValidator(v)
	if err != nil {
		return err
	}
	workers := max(1, min(runtime.GOMAXPROCS(0), n-1))
	var next atomic.Int64
	next.Store(1)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			v, err := getValidator()
			if err != nil {
				errs[w] = err
				return
			}
			defer putValidator(v)
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				if errs[w] = work(v, i); errs[w] != nil {
					next.Store(int64(n)) // the others stop too
					return
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// checkBatch checks one batch, looking at ctx before it and before each
// text check, and keeps only its results: its YAML is let go of. A batch
// of simple records (see fastMaps) is checked from what fastMaps read;
// when one of them has a problem, the batch is checked again from its
// nodes, so that the problem says where.
func (v *validator) checkBatch(ctx context.Context, b *recordBatch, what string) error {
	if err := interrupted(ctx, what); err != nil {
		return err
	}
	nodes := b.nodes
	if b.text != nil {
		ms, fast := fastMaps(*b.text)
		if fast {
			jobs, ok := v.fastJobs(b, ms)
			if ok {
				clean, err := v.checkJobs(ctx, jobs, what, true)
				if err != nil {
					return err
				}
				if clean {
					b.keep(jobs)
					return nil
				}
			}
			nodes = nodesOf(ms)
		} else if nodes, fast = parseItems(*b.text); !fast {
			return errCut
		}
	}
	jobs := make([]recordJob, len(nodes))
	for k, n := range nodes {
		j := &jobs[k]
		j.file, j.path, j.node, j.line, j.col = b.file, joinIndex(b.list, b.first+k), n, n.Line, n.Column
	}
	if _, err := v.checkJobs(ctx, jobs, what, false); err != nil {
		return err
	}
	b.keep(jobs)
	return nil
}

// fastJobs makes the jobs of a batch fastMaps read, their data made
// already; false when a record has a key twice.
func (v *validator) fastJobs(b *recordBatch, ms []fastMap) ([]recordJob, bool) {
	jobs := make([]recordJob, len(ms))
	var tmp yaml.Node
	for k := range ms {
		d, ok := ms[k].data(&tmp)
		if !ok {
			return nil, false
		}
		jobs[k] = recordJob{file: b.file, data: d, line: ms[k].line, col: ms[k].col}
	}
	return jobs, true
}

// checkJobs checks jobs; with cleanOnly it stops, returning false, when
// one of them has a problem, before saying what (its node is not there).
func (v *validator) checkJobs(ctx context.Context, jobs []recordJob, what string, cleanOnly bool) (bool, error) {
	texts := textBatch{}
	slab := make([]textCheck, 0, len(textFields)*len(jobs)) // each job's texts, without growing
	for k := range jobs {
		jobs[k].texts = slab[len(textFields)*k : len(textFields)*k : len(textFields)*(k+1)]
		v.checkRecord(&jobs[k], texts)
		if cleanOnly && (len(jobs[k].errs) > 0 || len(jobs[k].probs) > 0) {
			return false, nil
		}
	}
	bad, err := v.checkTexts(ctx, texts, what)
	if err != nil {
		return false, err
	}
	for k := range jobs {
		j := &jobs[k]
		if cleanOnly && j.textErrs(bad) {
			return false, nil
		}
	}
	for k := range jobs {
		v.finishRecord(&jobs[k], bad)
	}
	return true, nil
}

// keep keeps the results of a batch's jobs.
func (b *recordBatch) keep(jobs []recordJob) {
	b.recs = make([]Record, 0, len(jobs))
	b.at = make([]int, 0, len(jobs))
	for k := range jobs {
		j := &jobs[k]
		b.probs = append(b.probs, j.probs...)
		if j.ok {
			b.recs = append(b.recs, j.rec)
			b.at = append(b.at, b.first+k)
		}
	}
	b.nodes, b.text = nil, nil
}

// shapeData is a record's shape as CUE decodes it, defaults filled.
type shapeData struct {
	TTL       any  `json:"ttl"`
	Proxied   bool `json:"proxied"`
	Priority  *int `json:"priority"`
	Protected bool `json:"protected"`
}

// shapeResult is the memoised check of one record shape.
type shapeResult struct {
	errs []cueErr
	data shapeData
}

// textFields are the #Record fields checked on their own, not as part of
// the shape (see #Record in schema.cue).
var textFields = []string{"name", "value", "comment"}

// textBatch collects the free text of many records by the definition that
// checks it ("#RecordName", "#Value.A", ...): each definition then checks
// all its distinct strings in one CUE evaluation.
type textBatch map[string]map[string]bool

// textCheck is one free-text field of a record and its definition.
type textCheck struct {
	field, def, s string
}

// checkRecord checks the shape of one record, the record with its free
// text replaced by a placeholder, against #RecordShape (memoised) and adds
// its name, value and comment to texts, to be checked on their own.
func (v *validator) checkRecord(j *recordJob, texts textBatch) {
	var data any = j.data
	if j.data == nil {
		c := converter{file: j.file}
		data = c.value(j.node, j.path, nil)
		j.probs = c.probs
	}
	m, ok := data.(map[string]any)
	if !ok {
		_, j.errs = v.check(v.cue().shape, data)
		return
	}
	j.name, _ = m["name"].(string)
	j.typ, _ = m["type"].(string)
	j.value, _ = m["value"].(string)
	j.comment, _ = m["comment"].(string)
	if _, ok := m["name"].(string); ok {
		j.texts = append(j.texts, textCheck{"name", "#RecordName", j.name})
	}
	if _, ok := m["value"].(string); ok && v.facts.valueDefs[j.typ] != "" {
		j.texts = append(j.texts, textCheck{"value", v.facts.valueDefs[j.typ], j.value})
	}
	if _, ok := m["comment"].(string); ok {
		j.texts = append(j.texts, textCheck{"comment", "#Comment", j.comment})
	}
	// m is this record's own: its free text becomes the placeholder in
	// place, for the shape check
	for _, f := range textFields {
		if _, ok := m[f].(string); ok {
			m[f] = "x"
		}
	}
	j.shape = v.checkShape(m)
	j.errs = slices.Clone(j.shape.errs)
	for _, t := range j.texts {
		if texts[t.def] == nil {
			texts[t.def] = map[string]bool{}
		}
		texts[t.def][t.s] = true
	}
}

// textErrs says whether one of j's texts is bad.
func (j *recordJob) textErrs(bad textBatch) bool {
	for _, t := range j.texts {
		if bad[t.def][t.s] {
			return true
		}
	}
	return false
}

// finishRecord adds the text problems of a record and builds it.
func (v *validator) finishRecord(j *recordJob, bad textBatch) {
	for _, t := range j.texts {
		if bad[t.def][t.s] {
			j.errs = append(j.errs, cueErr{
				sels: []string{t.field},
				kind: kindCustom,
				msg:  quote(t.s) + " is not allowed, want " + v.describeDef(t.def),
			})
		}
	}
	if len(j.errs) > 0 {
		t := target{file: j.file, node: j.node, path: j.path, def: v.cue().shape.def}
		j.probs = mergeProblems(j.probs, t.explain(j.errs))
		return
	}
	if len(j.probs) > 0 {
		return
	}
	d := j.shape.data
	j.rec = Record{
		Name: j.name, Type: j.typ, Value: j.value, Comment: j.comment,
		Proxied: d.Proxied, Protected: d.Protected,
		Pos: Pos{File: j.file, Line: j.line, Col: j.col},
	}
	if d.Priority != nil {
		p := *d.Priority
		j.rec.Priority = &p
	}
	j.rec.TTL = ttlSeconds(d.TTL)
	j.ok = true
}

// checkShape validates a record shape against #RecordShape, memoised by
// the shape's canonical form.
func (v *validator) checkShape(shape map[string]any) *shapeResult {
	v.key = canonical(v.key[:0], shape)
	if r, ok := v.shapes.get(v.key); ok {
		return r
	}
	key := string(v.key)
	r := &shapeResult{}
	out, errs := v.check(v.cue().shape, shape)
	r.errs = errs
	if len(errs) == 0 {
		if err := out.Decode(&r.data); err != nil {
			r.errs = []cueErr{{kind: kindOther, msg: fmt.Sprintf("cannot decode record: %v", err)}}
		}
	}
	v.shapes.put(key, r)
	return r
}

// textsPerList bounds the strings checked in one CUE list: CUE finds a
// list element by a linear scan of the elements before it, so one list of
// n strings costs n² (the load of 100k records spent most of its time
// there); lists of a bounded size keep the check linear.
const textsPerList = 256

// checkTexts checks each definition's distinct strings and returns the
// strings that failed: with the definition's Go predicate where it has
// one (textPred), else against [...#Def], textsPerList strings per CUE
// evaluation. It stops when ctx ends.
func (v *validator) checkTexts(ctx context.Context, texts textBatch, what string) (textBatch, error) {
	bad := textBatch{}
	fail := func(def, s string) {
		if bad[def] == nil {
			bad[def] = map[string]bool{}
		}
		bad[def][s] = true
	}
	for _, def := range slices.Sorted(maps.Keys(texts)) {
		if err := interrupted(ctx, what); err != nil {
			return nil, err
		}
		if ok := v.textPred(def); ok != nil {
			for s := range texts[def] {
				if !ok(s) {
					fail(def, s)
				}
			}
			continue
		}
		strs := slices.Sorted(maps.Keys(texts[def]))
		list := v.textList(def)
		for batch := range slices.Chunk(strs, textsPerList) {
			if err := interrupted(ctx, what); err != nil {
				return nil, err
			}
			for _, s := range v.checkTextList(list, batch) {
				fail(def, s)
			}
		}
	}
	return bad, nil
}

// textPred is def compiled to a Go predicate (see compileTextPred), taken
// from the shared facts; nil if def has a form the compiler does not know,
// or is not one of the text definitions.
func (v *validator) textPred(def string) func(string) bool { return v.facts.preds[def] }

// textList is [...def], compiled once per validator.
func (v *validator) textList(def string) cue.Value {
	if l, ok := v.lists[def]; ok {
		return l
	}
	l := v.cue().ctx.CompileString("[..."+def+"]", cue.Scope(v.cue().schema))
	v.lists[def] = l
	return l
}

// checkTextList unifies list ([...#Def]) with strs and returns the strings
// that failed.
func (v *validator) checkTextList(list cue.Value, strs []string) []string {
	err := list.Unify(v.cue().ctx.Encode(strs)).Validate(cue.Concrete(true))
	if err == nil {
		return nil
	}
	var bad []string
	for _, ce := range collect(err) {
		if len(ce.sels) == 0 {
			continue
		}
		if i, err := strconv.Atoi(ce.sels[0]); err == nil && i >= 0 && i < len(strs) {
			bad = append(bad, strs[i])
		}
	}
	return bad
}

// canonical renders a shape as a memo key: sorted fields, typed values.
func canonical(b []byte, m map[string]any) []byte {
	keys := make([]string, 0, 16)
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		b = strconv.AppendQuote(b, k)
		b = appendScalar(append(b, ':'), m[k])
		b = append(b, ';')
	}
	return b
}

// describeDef says what a definition ("#RecordName", "#Value.A") allows:
// its own doc comment, else what describeSchema says.
func (v *validator) describeDef(def string) string {
	d := v.cue().schema.LookupPath(cue.ParsePath(def))
	if doc := docLine(d); doc != "" {
		return doc
	}
	return describeSchema(d)
}

// ttlSeconds turns a decoded ttl into seconds: "auto" is 0.
func ttlSeconds(ttl any) int {
	switch t := ttl.(type) {
	case int:
		return t
	case int64:
		return int(t)
	case float64:
		return int(t)
	case json.Number:
		n, _ := t.Int64()
		return int(n)
	}
	return 0
}
