package cloudflare

import (
	"context"
	"errors"
	"fmt"

	"github.com/lagrieta/itlag/providers"
)

// wInput is a record as Apply sends it.
type wInput struct {
	ID       string  `json:"id,omitempty"`
	Name     string  `json:"name"`
	Type     string  `json:"type"`
	Content  string  `json:"content,omitempty"`
	TTL      int     `json:"ttl"`
	Proxied  *bool   `json:"proxied,omitempty"`
	Priority *int    `json:"priority,omitempty"`
	Comment  *string `json:"comment,omitempty"`
	Data     any     `json:"data,omitempty"`
}

type caaData struct {
	Flags int    `json:"flags"`
	Tag   string `json:"tag"`
	Value string `json:"value"`
}

type srvData struct {
	Priority int    `json:"priority"`
	Weight   int    `json:"weight"`
	Port     int    `json:"port"`
	Target   string `json:"target"`
}

type wID struct {
	ID string `json:"id"`
}

type wBatch struct {
	Deletes []wID    `json:"deletes,omitempty"`
	Patches []wInput `json:"patches,omitempty"`
	Posts   []wInput `json:"posts,omitempty"`
}

// Apply carries out changes in chunks of BatchSize, one batch request per
// chunk, and returns one error per change. Every change is checked before
// any request: if one is invalid, nothing is sent.
func (p *Provider) Apply(ctx context.Context, zone string, changes []providers.Change) []error {
	errs := make([]error, len(changes))
	z, err := providers.NormalizeZone(zone)
	if err != nil {
		return fill(errs, fmt.Errorf("cloudflare: %w", err))
	}
	ops := make([]any, len(changes))
	bad := 0
	for i, c := range changes {
		if ops[i], err = prepare(z, c); err != nil {
			errs[i] = fmt.Errorf("cloudflare: zone %s: %s: %w", z, address(c), err)
			bad++
		}
	}
	if bad > 0 {
		for i, c := range changes {
			if errs[i] == nil {
				errs[i] = fmt.Errorf("cloudflare: zone %s: %s: not applied: %d invalid change(s) in this apply", z, address(c), bad)
			}
		}
		return errs
	}
	if len(changes) == 0 {
		return errs
	}
	id, err := p.zoneID(ctx, z)
	if err != nil {
		return fill(errs, fmt.Errorf("cloudflare: zone %s: %w", z, err))
	}
	n := (len(changes) + p.batchSize - 1) / p.batchSize
	failed := false
	for k := range n {
		lo, hi := k*p.batchSize, min((k+1)*p.batchSize, len(changes))
		var b wBatch
		for _, op := range ops[lo:hi] {
			switch op := op.(type) {
			case wID:
				b.Deletes = append(b.Deletes, op)
			case patchOp:
				b.Patches = append(b.Patches, wInput(op))
			case wInput:
				b.Posts = append(b.Posts, op)
			}
		}
		if err := p.sendBatch(ctx, id, b); err != nil {
			if ctx.Err() != nil {
				err = errors.Join(err, ctx.Err())
			}
			failed = true
			for i := lo; i < hi; i++ {
				errs[i] = fmt.Errorf("cloudflare: zone %s: batch %d/%d: %s: %w", z, k+1, n, address(changes[i]), err)
			}
		}
	}
	if failed { // one read of the zone for all failed batches
		for i, done := range p.inEffect(ctx, z, changes) {
			if done {
				errs[i] = nil
			}
		}
	}
	return errs
}

// inEffect reports, after a failed batch, which of its changes the zone
// shows as done anyway. A batch whose answer was lost on the way back (a
// reset after Cloudflare committed it) fails on the transport's retry with
// "identical record exists" or "record does not exist"; the zone itself
// says what is true. If the zone cannot be read, nothing counts as done.
func (p *Provider) inEffect(ctx context.Context, zone string, changes []providers.Change) []bool {
	done := make([]bool, len(changes))
	if ctx.Err() != nil {
		return done
	}
	obs, err := p.Observe(ctx, zone)
	if err != nil {
		return done
	}
	byID := make(map[string]providers.Record, len(obs.Records))
	byKey := make(map[string][]providers.Record, len(obs.Records))
	for _, r := range obs.Records {
		byID[r.ID] = r
		byKey[r.Key()] = append(byKey[r.Key()], r)
	}
	for i, c := range changes {
		switch c.Action {
		case providers.Create:
			for _, r := range byKey[c.After.Key()] {
				done[i] = done[i] || r.SameAttrs(*c.After)
			}
		case providers.Update:
			r, ok := byID[c.Before.ID]
			done[i] = ok && r.SameAttrs(*c.After)
		case providers.Delete:
			_, ok := byID[c.Before.ID]
			done[i] = !ok
		}
	}
	return done
}

// patchOp marks an update (sent as a patch, keeping tags and settings).
type patchOp wInput

func fill(errs []error, err error) []error {
	for i := range errs {
		errs[i] = err
	}
	return errs
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

// prepare validates one change and returns its wire form: a wID (delete),
// a patchOp (update) or a wInput (create).
func prepare(zone string, c providers.Change) (any, error) {
	if c.Zone != "" {
		if z, err := providers.NormalizeZone(c.Zone); err != nil || z != zone {
			return nil, fmt.Errorf("change is for zone %q", c.Zone)
		}
	}
	switch c.Action {
	case providers.Delete:
		if c.Before == nil || c.Before.ID == "" {
			return nil, errors.New("delete without the record's id")
		}
		return wID{ID: c.Before.ID}, nil
	case providers.Update:
		if c.Before == nil || c.Before.ID == "" {
			return nil, errors.New("update without the record's id")
		}
		w, err := toWire(zone, c.After, true)
		if err != nil {
			return nil, err
		}
		w.ID = c.Before.ID
		return patchOp(w), nil
	case providers.Create:
		return toWire(zone, c.After, false)
	}
	return nil, fmt.Errorf("unknown action %q", c.Action)
}

// toWire normalises r and returns the record as Cloudflare wants it. A
// patch states every field itlag manages, so that it resets what it must.
func toWire(zone string, r *providers.Record, isPatch bool) (wInput, error) {
	if r == nil {
		return wInput{}, errors.New("no desired record")
	}
	in := *r
	if in.Zone == "" {
		in.Zone = zone
	}
	n, err := providers.Normalize(in)
	if err != nil {
		return wInput{}, err
	}
	if n.Zone != zone {
		return wInput{}, fmt.Errorf("record is for zone %q", r.Zone)
	}
	w := wInput{Name: providers.FQDN(n.Name, zone), Type: n.Type, Content: n.Content, TTL: n.TTL}
	if providers.Proxiable(n.Type) {
		w.Proxied = &n.Proxied
	}
	if n.Comment != "" || isPatch {
		w.Comment = &n.Comment
	}
	switch n.Type {
	case "TXT":
		w.Content = providers.QuoteTXT(n.Content)
	case "MX":
		w.Priority = &n.Priority
	case "CAA":
		flags, tag, value, err := providers.ParseCAA(n.Content)
		if err != nil {
			return wInput{}, err
		}
		w.Content, w.Data = "", caaData{Flags: flags, Tag: tag, Value: value}
	case "SRV":
		weight, port, target, err := providers.ParseSRV(n.Content)
		if err != nil {
			return wInput{}, err
		}
		w.Content, w.Data = "", srvData{Priority: n.Priority, Weight: weight, Port: port, Target: target}
	}
	return w, nil
}
