package reconcile

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/reconcile/textdiff"
)

// observeResources asks each set's provider for its resources. An
// unreachable target or a host key that does not match its pin is a
// finding (high, critical) and the target is skipped; other errors are
// returned. tick is called after each set.
func observeResources(ctx context.Context, d Desired, provs map[string]providers.Provider, o *Observed, tick func()) []error {
	var errs []error
	for _, set := range d.Resources {
		rp, ok := provs[set.Provider].(providers.ResourceProvider)
		if !ok {
			errs = append(errs, fmt.Errorf("observe %s: no provider %q configured", set.Key(), set.Provider))
			tick()
			continue
		}
		obs, err := rp.ObserveResources(ctx, set.Target, cloneResources(set.Resources))
		switch {
		case errors.Is(err, providers.ErrHostKeyMismatch):
			f := finding.New(finding.Critical, set.Key(), "host-key",
				"the host key does not match the one pinned in the state: refused, nothing was sent; check the host before re-pinning")
			f.Detail = err.Error()
			o.Findings = append(o.Findings, f)
			o.Skipped[set.Key()] = err.Error()
		case errors.Is(err, providers.ErrHostKeyPending):
			o.Findings = append(o.Findings, HostKeyPendingFinding(set.Target))
			o.Skipped[set.Key()] = err.Error()
		case errors.Is(err, providers.ErrUnreachable):
			f := finding.New(finding.High, set.Key(), "unreachable", set.Key()+" is unreachable: nothing observed there")
			f.Detail = err.Error()
			o.Findings = append(o.Findings, f)
			o.Skipped[set.Key()] = err.Error()
		case err != nil:
			errs = append(errs, fmt.Errorf("observe %s: %w", set.Key(), err))
		case len(obs.States) != len(set.Resources):
			errs = append(errs, fmt.Errorf("observe %s: provider returned %d states for %d resources", set.Key(), len(obs.States), len(set.Resources)))
		default:
			if o.Resources == nil {
				o.Resources = map[string]providers.ResourceObservation{}
			}
			o.Resources[set.Key()] = obs
		}
		tick()
	}
	return errs
}

func cloneResources(rs []providers.Resource) []providers.Resource {
	out := make([]providers.Resource, len(rs))
	for i, r := range rs {
		out[i] = r.Clone()
	}
	return out
}

// planResources diffs each set against its observation: a missing resource
// is created, a different one updated; a held one gets no change (the
// provider's finding says why); one whose reload is pending is updated,
// even with nothing else to change, so that apply runs the reload again.
// For a dynamic-DNS host the wanted content
// is what the provider found (Want: the public address). A change's Before
// is Sensitive when the live copy or the desired resource is, and its diff
// is then redacted whole.
func planResources(d Desired, o Observed, out *Planned) {
	for _, set := range d.Resources {
		obs, ok := o.Resources[set.Key()]
		if !ok {
			continue
		}
		for i, want := range set.Resources {
			st := obs.States[i]
			if st.Held != "" {
				continue
			}
			if st.Want != nil {
				want.Content = *st.Want
			}
			if want.Kind == providers.KindDDNSHost && want.Content == "" {
				continue // no address known: nothing to send
			}
			live := st.Live
			// A secret is redacted whichever side it is on: the live copy
			// stays Sensitive when the provider (or the caller) observed it
			// so, even when the desired content no longer is.
			live.Kind, live.Name, live.Sensitive = want.Kind, want.Name, live.Sensitive || want.Sensitive
			pending := st.ReloadPending && want.Reload != ""
			if !st.Missing && want.Same(live) && !pending {
				out.Summary.Unchanged++
				continue
			}
			c := providers.Change{Address: ResourceAddress(set, want), Action: providers.Update, Provider: set.Provider, Zone: set.Target}
			after := want.Clone()
			rc := &providers.ResourceChange{Target: set.Target, After: &after}
			if st.Missing {
				c.Action = providers.Create
				out.Summary.Create++
			} else {
				before := live.Clone()
				rc.Before = &before
				out.Summary.Update++
			}
			rc.Diff = resourceDiff(rc.Before, rc.After)
			c.Resource = rc
			c.Reason = resourceReason(st, rc)
			out.Changes = append(out.Changes, c)
		}
	}
}

// resourceDiff is the unified diff of a file or block (redacted when
// sensitive); "" for other kinds.
func resourceDiff(before, after *providers.Resource) string {
	if after.Kind != providers.KindFile && after.Kind != providers.KindBlock {
		return ""
	}
	name := strings.TrimPrefix(after.Name, "/")
	old, oldName := "", "/dev/null"
	if before != nil {
		old, oldName = before.Content, "a/"+name
	}
	d := textdiff.Unified(oldName, "b/"+name, old, after.Content, 3)
	if after.Sensitive || (before != nil && before.Sensitive) {
		d = textdiff.Redact(d)
	}
	return d
}

func resourceReason(st providers.ResourceState, rc *providers.ResourceChange) string {
	a := rc.After
	switch {
	case a.Kind == providers.KindDDNSHost && st.Missing:
		return "resolves to nothing; public address " + a.Content
	case a.Kind == providers.KindDDNSHost:
		return fmt.Sprintf("address %s → %s (public address)", rc.Before.Content, a.Content)
	case st.Missing:
		return "missing"
	}
	var why []string
	if rc.Before.Content != a.Content {
		plus, minus := diffCounts(rc.Diff)
		why = append(why, fmt.Sprintf("content (+%d −%d lines)", plus, minus))
	}
	for _, k := range slices.Sorted(maps.Keys(a.Attrs)) {
		if v := rc.Before.Attrs[k]; v != a.Attrs[k] {
			if v == "" {
				v = "(none)"
			}
			why = append(why, fmt.Sprintf("%s %s → %s", k, v, a.Attrs[k]))
		}
	}
	if st.ReloadPending && a.Reload != "" {
		why = append(why, "reload pending: "+a.Reload)
	}
	return strings.Join(why, "; ")
}

// diffCounts counts the added and removed lines of a unified diff. Lines
// are read inside hunks only, by the counts of each "@@ -l,n +l,m @@"
// header, so that a content line looking like a file header ("--- x") is
// counted as what it is.
func diffCounts(d string) (plus, minus int) {
	oldLeft, newLeft := 0, 0
	for _, l := range strings.Split(d, "\n") {
		if oldLeft > 0 || newLeft > 0 {
			switch {
			case strings.HasPrefix(l, "-"):
				minus++
				oldLeft--
			case strings.HasPrefix(l, "+"):
				plus++
				newLeft--
			case strings.HasPrefix(l, " "):
				oldLeft--
				newLeft--
			}
			continue
		}
		if strings.HasPrefix(l, "@@ ") {
			oldLeft, newLeft = hunkCount(l, "-"), hunkCount(l, "+")
		}
	}
	return plus, minus
}

// hunkCount reads the line count after sign in a hunk header: "-3,2" is 2,
// "-3" is 1.
func hunkCount(header, sign string) int {
	for _, f := range strings.Fields(header) {
		if !strings.HasPrefix(f, sign) {
			continue
		}
		_, n, ok := strings.Cut(f[1:], ",")
		if !ok {
			return 1
		}
		var c int
		fmt.Sscan(n, &c)
		return c
	}
	return 0
}

// applyResources runs one target's resource changes in one call.
func applyResources(ctx context.Context, provider, target string, changes []providers.Change, provs map[string]providers.Provider) []error {
	errs := make([]error, len(changes))
	fail := func(err error) []error {
		for i := range errs {
			errs[i] = err
		}
		return errs
	}
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	rp, ok := provs[provider].(providers.ResourceProvider)
	if !ok {
		return fail(fmt.Errorf("no provider %q configured", provider))
	}
	got := rp.ApplyResources(ctx, target, changes)
	if len(got) != len(changes) {
		return fail(fmt.Errorf("%s:%s: provider returned %d results for %d changes", provider, target, len(got), len(changes)))
	}
	return got
}
