package schema

import (
	"context"
	"fmt"
	"slices"
	"sync"
)

// checkZoneNames runs checkNames on each zone, zones spread over
// goroutines (see inParallel); the problems come back in zone order. It
// stops when ctx ends.
func checkZoneNames(ctx context.Context, zones []*fileZone, what string) ([]Problem, error) {
	probs := make([][]Problem, len(zones))
	memo := &namesMemo{m: map[string][]cueErr{}}
	err := inParallel(len(zones), func(v *validator, i int) error {
		if err := interrupted(ctx, what); err != nil {
			return err
		}
		probs[i] = checkNames(v, zones[i].batches, memo)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return slices.Concat(probs...), nil
}

// namesMemo is what #NameTypes says of each counts key
// ("records=2,cnames=1"), shared by a load's goroutines: zones share a
// few keys, so most zones need no CUE evaluation.
type namesMemo struct {
	mu sync.Mutex
	m  map[string][]cueErr // by key; empty when the key is fine
}

// check checks the entries of data (counts keys) the memo does not know,
// in one CUE evaluation, and returns the errors of all of them.
func (memo *namesMemo) check(v *validator, data map[string]any) []cueErr {
	memo.mu.Lock()
	var errs []cueErr
	miss := map[string]any{}
	for key, d := range data {
		if e, ok := memo.m[key]; ok {
			errs = append(errs, e...)
		} else {
			miss[key] = d
		}
	}
	memo.mu.Unlock()
	if len(miss) == 0 {
		return errs
	}
	_, found := v.check(v.cue().names, miss)
	byKey := map[string][]cueErr{}
	for key := range miss {
		byKey[key] = nil
	}
	for _, ce := range found {
		if len(ce.sels) > 0 {
			byKey[ce.sels[0]] = append(byKey[ce.sels[0]], ce)
		}
	}
	memo.mu.Lock()
	defer memo.mu.Unlock()
	for key, e := range byKey {
		memo.m[key] = e
		errs = append(errs, e...)
	}
	return errs
}

// checkNames checks the records of one zone together against #NameTypes
// (a CNAME alone at its name). It sends CUE a summary: each name with two
// or more valid records maps to {records, cnames}. The pattern constraint
// of #NameTypes does not look at the name, so names with equal counts
// share one entry, keyed by the counts: a zone costs a few entries however
// many records it has.
func checkNames(v *validator, batches []*recordBatch, memo *namesMemo) []Problem {
	// rec is one valid record and where it is.
	type rec struct {
		b *recordBatch
		k int // in b.recs
	}
	// entry is one name's records: how many, how many CNAMEs, and the
	// record a problem is reported at (its first CNAME, else its first).
	type entry struct {
		records, cname int
		at             rec
	}
	n := 0
	for _, b := range batches {
		n += len(b.recs)
	}
	index := make(map[string]int, n) // in entries
	entries := make([]entry, 0, n)   // in record order
	for _, b := range batches {
		for k, r := range b.recs {
			i, ok := index[r.Name]
			if !ok {
				i = len(entries)
				index[r.Name] = i
				entries = append(entries, entry{at: rec{b, k}})
			}
			e := &entries[i]
			e.records++
			if r.Type == "CNAME" {
				if e.cname == 0 {
					e.at = rec{b, k}
				}
				e.cname++
			}
		}
	}
	data := map[string]any{}
	names := map[string][]int{} // entries by counts key, in record order
	for i, e := range entries {
		if e.records < 2 {
			continue
		}
		key := fmt.Sprintf("records=%d,cnames=%d", e.records, e.cname)
		data[key] = map[string]any{"records": e.records, "cnames": e.cname}
		names[key] = append(names[key], i)
	}
	if len(data) == 0 {
		return nil
	}
	errs := memo.check(v, data)
	var probs []Problem
	for _, ce := range errs {
		if len(ce.sels) == 0 {
			continue
		}
		for _, i := range names[ce.sels[0]] {
			at := entries[i].at
			r := at.b.recs[at.k]
			probs = append(probs, Problem{File: at.b.file, Line: r.Pos.Line, Col: r.Pos.Col, Path: joinIndex(at.b.list, at.b.at[at.k]), Msg: ce.msg})
		}
	}
	return probs
}
