package schema

import (
	"context"
	"fmt"
	"slices"
)

// checkZoneNames runs checkNames on each zone, zones spread over
// goroutines (see inParallel); the problems come back in zone order. It
// stops when ctx ends.
func checkZoneNames(ctx context.Context, zones []*fileZone, what string) ([]Problem, error) {
	probs := make([][]Problem, len(zones))
	err := inParallel(len(zones), func(v *validator, i int) error {
		if err := interrupted(ctx, what); err != nil {
			return err
		}
		probs[i] = checkNames(v, zones[i].batches)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return slices.Concat(probs...), nil
}

// checkNames checks the records of one zone together against #NameTypes
// (a CNAME alone at its name). It sends CUE a summary: each name with two
// or more valid records maps to {records, cnames}. The pattern constraint
// of #NameTypes does not look at the name, so names with equal counts
// share one entry, keyed by the counts: a zone costs a few entries however
// many records it has.
func checkNames(v *validator, batches []*recordBatch) []Problem {
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
	_, errs := v.check(v.names, data)
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
