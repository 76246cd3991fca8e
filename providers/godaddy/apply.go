package godaddy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/lagrieta/itlag/providers"
)

// setWork is what Apply does to one record set.
type setWork struct {
	key     setKey
	remove  []string  // canonical keys of records to take out (Before)
	add     []wRecord // records to put in (After), wire form
	addKeys []string  // their canonical keys
	err     error
}

// Apply carries out changes, grouped by record set (type and name), and
// returns one error per change: the error of the set(s) it touches.
//
//   - Sets that only gain records are appended with one PATCH
//     /v1/domains/{zone}/records for all of them (PageSize records a
//     request). If GoDaddy refuses it with 422 or 409 (a duplicate left by
//     an earlier, partly applied run; one invalid record), those sets fall
//     back to the read-modify-write below, which isolates the culprit.
//   - Other sets are read, changed by Key (current − Before + After:
//     records the changes do not name stay, and running the same changes
//     again changes nothing), and written back whole with PUT, or removed
//     with DELETE when they end up empty. One set is read on its own (GET
//     .../records/{type}/{name}); several are read together with one
//     listing of the zone (a request per 500 records).
//
// A set already as wanted is not written. Changes of registrar
// settings (Change.Domain) are refused: they go through SetDomain.
func (p *Provider) Apply(ctx context.Context, zone string, changes []providers.Change) []error {
	errs := make([]error, len(changes))
	z, err := providers.NormalizeZone(zone)
	if err != nil {
		for i := range errs {
			errs[i] = fmt.Errorf("godaddy: %w", err)
		}
		return errs
	}
	sets := map[setKey]*setWork{}
	var order []setKey
	touch := func(k setKey) *setWork {
		if sets[k] == nil {
			sets[k] = &setWork{key: k}
			order = append(order, k)
		}
		return sets[k]
	}
	member := make([][]setKey, len(changes))
	for i, c := range changes {
		steps, err := prepare(z, c)
		if err != nil {
			errs[i] = fmt.Errorf("godaddy: zone %s: %s: %w", z, address(c), err)
			continue
		}
		for _, st := range steps {
			s := touch(st.key)
			if st.removeKey != "" {
				s.remove = append(s.remove, st.removeKey)
			}
			if st.add != nil {
				s.add = append(s.add, *st.add)
				s.addKeys = append(s.addKeys, st.addKey)
			}
			if !slices.Contains(member[i], st.key) {
				member[i] = append(member[i], st.key)
			}
		}
	}
	var appendOnly, rmw []*setWork
	for _, k := range order {
		if s := sets[k]; len(s.remove) == 0 {
			appendOnly = append(appendOnly, s)
		} else {
			rmw = append(rmw, s)
		}
	}
	rmw = append(rmw, p.appendSets(ctx, z, appendOnly)...)
	var snapshot map[setKey][]wRecord
	if len(rmw) >= 2 {
		snapshot, err = p.readZone(ctx, z)
		if err != nil {
			for _, s := range rmw {
				s.err = err
			}
			rmw = nil
		}
	}
	for _, s := range rmw {
		s.err = p.rewrite(ctx, z, s, snapshot)
	}
	for i, c := range changes {
		for _, k := range member[i] {
			if s := sets[k]; s.err != nil && errs[i] == nil {
				errs[i] = fmt.Errorf("godaddy: zone %s: %s: %w", z, address(c), s.err)
			}
		}
	}
	return errs
}

// step is one change's part in one record set.
type step struct {
	key       setKey
	removeKey string
	add       *wRecord
	addKey    string
}

// prepare validates a change and splits it into steps: a create adds After
// to its set, a delete removes Before from its set, an update does both.
func prepare(zone string, c providers.Change) ([]step, error) {
	if c.Domain != nil {
		return nil, errors.New("a change of registrar settings goes through SetDomain, not Apply")
	}
	if c.Zone != "" {
		if z, err := providers.NormalizeZone(c.Zone); err != nil || z != zone {
			return nil, fmt.Errorf("change is for zone %q", c.Zone)
		}
	}
	var steps []step
	if c.Action == providers.Delete || c.Action == providers.Update {
		if c.Before == nil {
			return nil, fmt.Errorf("%s without the observed record", c.Action)
		}
		b, k, err := setOf(zone, *c.Before)
		if err != nil {
			return nil, fmt.Errorf("observed record: %w", err)
		}
		steps = append(steps, step{key: k, removeKey: b.Key()})
	}
	if c.Action == providers.Create || c.Action == providers.Update {
		if c.After == nil {
			return nil, fmt.Errorf("%s without a desired record", c.Action)
		}
		w, k, key, err := toWire(zone, *c.After)
		if err != nil {
			return nil, err
		}
		steps = append(steps, step{key: k, add: &w, addKey: key})
	}
	if steps == nil {
		return nil, fmt.Errorf("unknown action %q", c.Action)
	}
	return steps, nil
}

// appendSets appends the records of sets that only gain records, in as few
// PATCH requests as the page size allows (a set is never split). It returns
// the sets to retry by read-modify-write (their PATCH got 422 or 409); the
// others are done or carry their error.
func (p *Provider) appendSets(ctx context.Context, zone string, sets []*setWork) []*setWork {
	var retry []*setWork
	for len(sets) > 0 {
		n, size := 0, 0
		for n < len(sets) && (n == 0 || size+len(sets[n].add) <= p.recordPage) {
			size += len(sets[n].add)
			n++
		}
		chunk := sets[:n]
		sets = sets[n:]
		var body []wRecord
		for _, s := range chunk {
			body = append(body, s.add...)
		}
		err := p.call(ctx, http.MethodPatch, "/v1/domains/"+esc(zone)+"/records", nil, body, nil)
		switch st := statusOf(err); {
		case err == nil:
		case (st == http.StatusUnprocessableEntity || st == http.StatusConflict) && ctx.Err() == nil:
			retry = append(retry, chunk...)
		default:
			for _, s := range chunk {
				s.err = fmt.Errorf("append %d record(s): %w", len(body), zoneMissing(err))
			}
		}
	}
	return retry
}

// readZone lists the whole zone once and groups it by record set: for
// several sets to rewrite, ceil(records/500) list requests instead of one
// read per set.
func (p *Provider) readZone(ctx context.Context, zone string) (map[setKey][]wRecord, error) {
	all, err := p.pages(ctx, "/v1/domains/"+esc(zone)+"/records")
	if err != nil {
		return nil, fmt.Errorf("read zone: %w", zoneMissing(err))
	}
	sets := map[setKey][]wRecord{}
	for _, w := range all {
		k := setKey{typ: strings.ToUpper(w.Type), name: strings.ToLower(w.Name)}
		sets[k] = append(sets[k], w)
	}
	return sets, nil
}

// rewrite applies one set's removals and additions by Key to the set as it
// is (from snapshot, or read on its own when snapshot is nil) and writes
// the result back: PUT, DELETE when empty, nothing when unchanged.
func (p *Provider) rewrite(ctx context.Context, zone string, s *setWork, snapshot map[setKey][]wRecord) error {
	path := "/v1/domains/" + esc(zone) + "/records/" + esc(s.key.typ) + "/" + esc(s.key.name)
	cur := snapshot[s.key]
	if snapshot == nil {
		var err error
		if cur, err = p.pages(ctx, path); err != nil {
			return fmt.Errorf("read %s set: %w", s.key, zoneMissing(err))
		}
	}
	drop := map[string]bool{}
	for _, k := range s.remove {
		drop[k] = true
	}
	for _, k := range s.addKeys {
		drop[k] = true // replaced with the desired attributes
	}
	before := make([]wRecord, 0, len(cur))
	next := make([]wRecord, 0, len(cur)+len(s.add))
	for _, w := range cur {
		r, err := toRecord(zone, w)
		w.Type, w.Name = "", ""
		before = append(before, w)
		if err == nil && drop[r.Key()] {
			continue
		}
		next = append(next, w) // not named by any change (or not understood): kept as it is
	}
	for _, w := range s.add {
		w.Type, w.Name = "", ""
		next = append(next, w)
	}
	if sameSet(before, next) {
		return nil
	}
	if len(next) == 0 {
		err := p.call(ctx, http.MethodDelete, path, nil, nil, nil)
		if err != nil && statusOf(err) != http.StatusNotFound { // 404: already gone
			return fmt.Errorf("delete %s set: %w", s.key, err)
		}
		return nil
	}
	if err := p.call(ctx, http.MethodPut, path, nil, next, nil); err != nil {
		return fmt.Errorf("replace %s set: %w", s.key, err)
	}
	return nil
}

// sameSet reports whether a and b hold the same records, in any order.
func sameSet(a, b []wRecord) bool {
	if len(a) != len(b) {
		return false
	}
	enc := func(ws []wRecord) []string {
		out := make([]string, len(ws))
		for i, w := range ws {
			j, _ := json.Marshal(w)
			out[i] = string(j)
		}
		slices.Sort(out)
		return out
	}
	return slices.Equal(enc(a), enc(b))
}

func address(c providers.Change) string {
	if c.Address != "" {
		return string(c.Action) + " " + c.Address
	}
	r := c.After
	if r == nil {
		r = c.Before
	}
	if r == nil {
		return string(c.Action)
	}
	return fmt.Sprintf("%s %s/%s", c.Action, r.Name, r.Type)
}
