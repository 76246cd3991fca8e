package app

import (
	"cmp"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/reconcile"
)

// minSecretLen is the shortest resolved value the runtime looks for in
// contents and messages: shorter ones would redact ordinary words.
const minSecretLen = 4

// secrets are the values a runtime resolved, so that none is ever shown:
// a resource whose content holds one is Sensitive, and a message holding
// one has it replaced. It is safe for concurrent use (providers resolve
// their credentials as they open).
type secrets struct {
	mu sync.Mutex
	// values by reference ("env:NOIP_PASSWORD")
	values map[string]string
}

func (s *secrets) remember(ref, v string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.values == nil {
		s.values = map[string]string{}
	}
	s.values[ref] = v
}

// list is the values long enough to look for, longest first (so that a
// value holding another is replaced whole).
func (s *secrets) list() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, v := range s.values {
		if len(v) >= minSecretLen {
			out = append(out, v)
		}
	}
	slices.SortFunc(out, func(a, b string) int { return cmp.Or(cmp.Compare(len(b), len(a)), cmp.Compare(a, b)) })
	return slices.Compact(out)
}

// contains reports whether text holds one of vals.
func contains(text string, vals []string) bool {
	for _, v := range vals {
		if strings.Contains(text, v) {
			return true
		}
	}
	return false
}

// scrub replaces every value of vals in text with "<redacted>".
func scrub(text string, vals []string) string {
	for _, v := range vals {
		text = strings.ReplaceAll(text, v, "<redacted>")
	}
	return text
}

// protectDesired runs each time the providers are open and every secret
// the state uses is resolved: the desired resources get the redaction key
// (the same each time: it depends on the placeholders and key files only),
// and those whose content holds a resolved secret (pasted in, not only
// through a placeholder) become Sensitive.
func (rt *Runtime) protectDesired() {
	rt.redactKey = providers.RedactionKey(rt.keyMaterial(rt.placeholders))
	vals := rt.secrets.list()
	for i := range rt.Desired.Resources {
		for j := range rt.Desired.Resources[i].Resources {
			r := &rt.Desired.Resources[i].Resources[j]
			r.RedactKey = rt.redactKey
			r.Sensitive = r.Sensitive || contains(r.Content, vals)
		}
	}
}

// keyMaterial is what the redaction key is derived from, sorted by
// reference: the secrets the desired resources' placeholders resolved to,
// and the private key file of each NAS holding resources (high-entropy,
// and read by every job that can see the NAS's files at all: the one that
// plans and the one that applies). The key is therefore the same on a PR
// runner and on the CI job applying its saved plan, yet cannot be
// computed from a redacted content or a guess of it. In the sandbox, the
// stand-in values serve.
func (rt *Runtime) keyMaterial(placeholders map[string]string) [][2]string {
	m := map[string]string{}
	for ref, v := range placeholders {
		m[ref] = v
	}
	for _, set := range rt.Desired.Resources {
		if rt.State == nil {
			break
		}
		n, ok := rt.State.NAS[set.Target]
		if set.Provider != "nas" || !ok || n.Key == nil || n.Key.File == "" || rt.Sandboxed() {
			continue
		}
		if b, err := os.ReadFile(n.Key.File); err == nil {
			m["nas-key:"+n.Key.File] = string(b)
		}
	}
	out := make([][2]string, 0, len(m))
	for _, ref := range slices.Sorted(maps.Keys(m)) {
		out = append(out, [2]string{ref, m[ref]})
	}
	return out
}

// protectObserved marks what a plan must not show in what the providers
// observed of d's resources: every live resource gets the redaction key;
// one whose content holds a resolved secret, or whose last apply wrote
// sensitive content (recorded in the local database), becomes Sensitive.
// The plan, pure, then redacts them whichever side of a diff they are on.
func (rt *Runtime) protectObserved(d reconcile.Desired, obs *reconcile.Observed, recorded map[string]bool) {
	vals := rt.secrets.list()
	for _, set := range d.Resources {
		ro, ok := obs.Resources[set.Key()]
		if !ok || len(ro.States) != len(set.Resources) {
			continue
		}
		for i := range ro.States {
			live := &ro.States[i].Live
			live.RedactKey = rt.redactKey
			live.Sensitive = live.Sensitive || contains(live.Content, vals) ||
				recorded[reconcile.ResourceAddress(set, set.Resources[i])]
		}
	}
}

// scrubFindings replaces resolved secrets in findings' texts (a command's
// error output quoted in a detail).
func (rt *Runtime) scrubFindings(fs []finding.Finding) {
	vals := rt.secrets.list()
	for i := range fs {
		fs[i].Summary = scrub(fs[i].Summary, vals)
		fs[i].Detail = scrub(fs[i].Detail, vals)
	}
}

// scrubErr returns err with resolved secrets replaced in its text; the
// chain stays for errors.Is and errors.As.
func (rt *Runtime) scrubErr(err error) error {
	if err == nil {
		return nil
	}
	vals := rt.secrets.list()
	if !contains(err.Error(), vals) {
		return err
	}
	return &scrubbedError{msg: scrub(err.Error(), vals), err: err}
}

// scrubbedError is an error whose text had secrets replaced.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }
