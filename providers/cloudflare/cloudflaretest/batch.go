package cloudflaretest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"
)

// tx applies record operations to a working copy of a zone's records, so
// that a batch can be validated step by step and committed all at once.
type tx struct {
	s    *Server
	z    *zone
	recs []Record
	now  time.Time
	errs []apiError
	id   uint64 // s.nextID at the start, restored on rollback
}

func (s *Server) begin(z *zone) *tx {
	return &tx{s: s, z: z, recs: slices.Clone(z.Records), now: time.Now().UTC(), id: s.nextID}
}

// commit stores the working copy if nothing failed; otherwise it restores
// the ID counter and reports false.
func (t *tx) commit() bool {
	if len(t.errs) > 0 {
		t.s.nextID = t.id
		return false
	}
	t.z.Records = t.recs
	return true
}

func (t *tx) fail(ptr string, errs ...apiError) {
	for _, e := range errs {
		t.errs = append(t.errs, e.at(ptr))
	}
}

func (t *tx) index(id string) int {
	return slices.IndexFunc(t.recs, func(r Record) bool { return r.ID == id })
}

func (t *tx) remove(id, ptr string) (Record, bool) {
	i := t.index(id)
	if id == "" || i < 0 {
		t.fail(ptr, errf(codeNoRecord, "Record does not exist."))
		return Record{}, false
	}
	r := t.recs[i]
	t.recs = slices.Delete(t.recs, i, i+1)
	return r, true
}

// write creates (id "") or changes a record and checks it against the
// records as they are at this step.
func (t *tx) write(id string, in input, m mode, ptr string) (Record, bool) {
	base := Record{ID: id}
	i := -1
	if m != create {
		if i = t.index(id); id == "" || i < 0 {
			t.fail(ptr, errf(codeNoRecord, "Record does not exist."))
			return Record{}, false
		}
		base = t.recs[i]
	}
	r, errs := build(t.z.Name, base, in, m)
	if len(errs) == 0 {
		errs = t.conflicts(r)
	}
	if len(errs) > 0 {
		t.fail(ptr, errs...)
		return Record{}, false
	}
	r.ModifiedOn = t.now
	if m == create {
		r.ID, r.CreatedOn = t.s.newID(), t.now
		t.recs = append(t.recs, r)
	} else {
		t.recs[i] = r
	}
	return r, true
}

// conflicts applies the API's coexistence rules: no identical record, and
// a CNAME alone at its name.
func (t *tx) conflicts(r Record) []apiError {
	for _, o := range t.recs {
		if o.ID == r.ID || o.Name != r.Name {
			continue
		}
		if sameRecord(o, r) {
			return []apiError{errf(codeIdentical, "An identical record already exists.")}
		}
		if r.Type != "CNAME" && o.Type != "CNAME" {
			continue
		}
		other := o.Type
		if other == "CNAME" {
			other = r.Type
		}
		if proxiable(other) {
			return []apiError{errf(codeHostExists, "An A, AAAA, or CNAME record with that host already exists.")}
		}
		return []apiError{errf(codeCNAMEExists, "A CNAME record with that host already exists.")}
	}
	return nil
}

func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<20))
	if err == nil {
		err = json.Unmarshal(body, v)
	}
	if err != nil {
		writeErr(w, http.StatusBadRequest, errf(codeBadBody, "Request body is invalid."))
		return false
	}
	return true
}

type batchBody struct {
	Deletes []struct {
		ID string `json:"id"`
	} `json:"deletes"`
	Patches []input `json:"patches"`
	Puts    []input `json:"puts"`
	Posts   []input `json:"posts"`
}

type batchResult struct {
	Deletes []wire `json:"deletes"`
	Patches []wire `json:"patches"`
	Puts    []wire `json:"puts"`
	Posts   []wire `json:"posts"`
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// batch runs deletes, patches, puts and posts in that order against the
// state each step leaves, and commits only if every operation succeeded.
func (s *Server) batch(w http.ResponseWriter, r *http.Request, z *zone) {
	var b batchBody
	if !decode(w, r, &b) {
		return
	}
	if n := len(b.Deletes) + len(b.Patches) + len(b.Puts) + len(b.Posts); n > s.opts.BatchLimit {
		writeErr(w, http.StatusBadRequest, errf(codeBatchTooBig,
			fmt.Sprintf("Batch too large: %d records exceed the limit of %d records per batch.", n, s.opts.BatchLimit)))
		return
	}
	t := s.begin(z)
	res := batchResult{Deletes: []wire{}, Patches: []wire{}, Puts: []wire{}, Posts: []wire{}}
	for i, d := range b.Deletes {
		if rec, ok := t.remove(d.ID, fmt.Sprintf("/deletes/%d", i)); ok {
			res.Deletes = append(res.Deletes, rec.wire())
		}
	}
	for i, in := range b.Patches {
		if rec, ok := t.write(str(in.ID), in, patch, fmt.Sprintf("/patches/%d", i)); ok {
			res.Patches = append(res.Patches, rec.wire())
		}
	}
	for i, in := range b.Puts {
		if rec, ok := t.write(str(in.ID), in, put, fmt.Sprintf("/puts/%d", i)); ok {
			res.Puts = append(res.Puts, rec.wire())
		}
	}
	for i, in := range b.Posts {
		if rec, ok := t.write("", in, create, fmt.Sprintf("/posts/%d", i)); ok {
			res.Posts = append(res.Posts, rec.wire())
		}
	}
	if !t.commit() {
		writeErr(w, http.StatusBadRequest, t.errs...)
		return
	}
	writeOK(w, res, nil)
}

func (s *Server) createRecord(w http.ResponseWriter, r *http.Request, z *zone) {
	var in input
	if !decode(w, r, &in) {
		return
	}
	t := s.begin(z)
	rec, _ := t.write("", in, create, "")
	if !t.commit() {
		writeErr(w, http.StatusBadRequest, t.errs...)
		return
	}
	writeOK(w, rec.wire(), nil)
}

// record serves GET, PATCH, PUT and DELETE on one record.
func (s *Server) record(w http.ResponseWriter, r *http.Request, z *zone, id string) {
	t := s.begin(z)
	if t.index(id) < 0 {
		writeErr(w, http.StatusNotFound, errf(codeNoRecord, "Record does not exist."))
		return
	}
	var rec Record
	switch r.Method {
	case http.MethodGet:
		writeOK(w, t.recs[t.index(id)].wire(), nil)
		return
	case http.MethodDelete:
		t.remove(id, "")
		t.commit()
		writeOK(w, map[string]string{"id": id}, nil)
		return
	case http.MethodPatch, http.MethodPut:
		var in input
		if !decode(w, r, &in) {
			return
		}
		m := put
		if r.Method == http.MethodPatch {
			m = patch
		}
		rec, _ = t.write(id, in, m, "")
	default:
		notFound(w, r.URL.Path)
		return
	}
	if !t.commit() {
		writeErr(w, http.StatusBadRequest, t.errs...)
		return
	}
	writeOK(w, rec.wire(), nil)
}
