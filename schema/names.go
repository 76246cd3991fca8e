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
	type entry struct {
		cnames int
		jobs   []rec
	}
	byName := map[string]*entry{}
	var order []string
	for _, b := range batches {
		for k, r := range b.recs {
			e := byName[r.Name]
			if e == nil {
				e = &entry{}
				byName[r.Name] = e
				order = append(order, r.Name)
			}
			if r.Type == "CNAME" {
				e.cnames++
			}
			e.jobs = append(e.jobs, rec{b, k})
		}
	}
	data := map[string]any{}
	names := map[string][]string{} // by counts key, in record order
	for _, n := range order {
		e := byName[n]
		if len(e.jobs) < 2 {
			continue
		}
		key := fmt.Sprintf("records=%d,cnames=%d", len(e.jobs), e.cnames)
		data[key] = map[string]any{"records": len(e.jobs), "cnames": e.cnames}
		names[key] = append(names[key], n)
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
		for _, n := range names[ce.sels[0]] {
			e := byName[n]
			at := e.jobs[0]
			for _, j := range e.jobs {
				if j.b.recs[j.k].Type == "CNAME" {
					at = j
					break
				}
			}
			r := at.b.recs[at.k]
			probs = append(probs, Problem{File: at.b.file, Line: r.Pos.Line, Col: r.Pos.Col, Path: joinIndex(at.b.list, at.b.at[at.k]), Msg: ce.msg})
		}
	}
	return probs
}
