package providers

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"maps"

	"github.com/lagrieta/itlag/finding"
)

// Resource kinds.
const (
	// KindDDNSHost is a dynamic-DNS hostname; Content is the address it
	// points at ("203.0.113.7", or "203.0.113.7,2001:db8::7" with IPv6).
	KindDDNSHost = "ddns-host"
	// KindFile is a whole file itlag owns on a host; Content is its text.
	KindFile = "file"
	// KindBlock is a marker-delimited block inside a file; Content is the
	// text between the markers. Content outside the markers is never
	// touched.
	KindBlock = "block"
)

// Resource is one managed thing that is neither a DNS record nor a domain
// registration: a dynamic-DNS host, a file or a block in a file on the NAS
// (scheduled tasks are a block in the cron file).
type Resource struct {
	Kind string `json:"kind"`
	// Name identifies it within its provider: the hostname, or the file's
	// absolute path (for a block: "path#block-name").
	Name    string `json:"name"`
	Content string `json:"content"`
	// Attrs are further managed attributes, all strings: "mode" ("0644"),
	// "owner", "group"; a missing key is not managed.
	Attrs map[string]string `json:"attrs,omitempty"`
	// Sensitive content is never shown: plans print a redacted diff.
	Sensitive bool `json:"sensitive,omitempty"`
	// Reload is run on the host after the resource changed (files, blocks).
	Reload string `json:"reload,omitempty"`
	// RedactKey keys the digest a Sensitive resource's content is
	// replaced with in JSON (see Redacted); nil leaves no digest. The
	// caller that resolved the state's secrets sets it; it is never
	// written anywhere.
	RedactKey []byte `json:"-"`

	// redacted: Content is already Redacted (read back from JSON).
	redacted bool
}

// Same reports whether r and o agree on content and on every attribute r
// manages.
func (r Resource) Same(o Resource) bool {
	if r.Content != o.Content {
		return false
	}
	for k, v := range r.Attrs {
		if o.Attrs[k] != v {
			return false
		}
	}
	return true
}

// Clone returns a copy of r that shares no map with it.
func (r Resource) Clone() Resource {
	r.Attrs = maps.Clone(r.Attrs)
	return r
}

// ResourceState is what a provider observed of one desired resource.
type ResourceState struct {
	// Live is the resource as it is now (Kind and Name as desired).
	Live Resource `json:"live"`
	// Missing: the resource does not exist (a file not there, a block
	// without its markers, a host never updated); Live.Content is "".
	Missing bool `json:"missing,omitempty"`
	// Want, when set, is the content the resource must have now, which
	// only the provider can know: for a dynamic-DNS host, the public
	// address the configured IP sources agree on. The engine diffs Live
	// against Want instead of the state's content.
	Want *string `json:"want,omitempty"`
	// Held, when set, says why no change may be planned now (a NoIP 911
	// back-off until a time, a host blocked until a human acts); the
	// provider adds a finding saying what to do.
	Held string `json:"held,omitempty"`
	// ReloadPending: the resource's Reload failed after a change and has
	// not succeeded since (the provider remembers it on the target, so a
	// fresh runner sees it too). The engine plans an update that runs it
	// again, even when the content is as desired.
	ReloadPending bool `json:"reload_pending,omitempty"`
}

// ResourceObservation is what ObserveResources saw on one target.
type ResourceObservation struct {
	// States has one entry per desired resource, in the same order.
	States   []ResourceState   `json:"states"`
	Findings []finding.Finding `json:"findings,omitempty"`
	// Metrics are numbers worth keeping (NAS: "cpu_percent",
	// "disk_used_percent:/volume1"…), for monitoring history.
	Metrics map[string]float64 `json:"metrics,omitempty"`
}

// ResourceProvider is an optional extra of a Provider that manages
// resources on targets (a NoIP account: target "noip"; a NAS: its name in
// the state, "office"). Like a Provider it never diffs.
type ResourceProvider interface {
	// ObserveResources reports the live state of each desired resource of
	// target, in order, with the target's findings and metrics. It is
	// read-only. An unreachable target is an error (the engine turns it
	// into a finding).
	ObserveResources(ctx context.Context, target string, want []Resource) (ResourceObservation, error)

	// ApplyResources carries out changes (each with Resource set), all on
	// target, returning exactly one error per change, in order.
	ApplyResources(ctx context.Context, target string, changes []Change) []error
}

// ResourceChange is a change to a resource: Before is nil for a create,
// After nil for a delete.
type ResourceChange struct {
	Target string    `json:"target"`
	Before *Resource `json:"before,omitempty"`
	After  *Resource `json:"after,omitempty"`
	// Diff is a unified diff of the content (files, blocks), redacted when
	// the resource is Sensitive.
	Diff string `json:"diff,omitempty"`
}

// ErrUnreachable is wrapped when a target cannot be reached (dial,
// timeout, handshake): the engine reports it as a finding and goes on.
var ErrUnreachable = errors.New("unreachable")

// ErrHostKeyMismatch is wrapped when a host presents a key other than the
// one pinned in the state: nothing is sent to it, and the engine reports a
// critical finding.
var ErrHostKeyMismatch = errors.New("host key mismatch")

// ErrHostKeyPending is wrapped when a host's key is not pinned yet (the
// state says host_key: pending): nothing connects to it, and the engine
// skips the target with a high finding saying how to pin it.
var ErrHostKeyPending = errors.New("host key pending")

// Redacted replaces sensitive content in JSON and plans. With a key, the
// content's keyed digest (HMAC-SHA-256, its first 8 bytes) stays, so that
// a change still shows and a saved plan can be compared with a fresh one;
// a plain hash would let anyone holding the plan confirm a guessed secret
// offline, the key does not (see RedactionKey). Without a key nothing of
// the content is kept: "<redacted>".
func Redacted(key []byte, content string) string {
	if len(key) == 0 {
		return "<redacted>"
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(content))
	return "<redacted hmac-sha256:" + hex.EncodeToString(mac.Sum(nil)[:8]) + ">"
}

// RedactionKey derives the key of Redacted from secret material: each
// entry (a reference and the value it resolved to) length-prefixed, in the
// order given (the caller sorts). No material is no key.
func RedactionKey(material [][2]string) []byte {
	if len(material) == 0 {
		return nil
	}
	h := sha256.New()
	h.Write([]byte("itlag redaction key v1\x00"))
	var n [8]byte
	for _, m := range material {
		for _, part := range m {
			binary.BigEndian.PutUint64(n[:], uint64(len(part)))
			h.Write(n[:])
			h.Write([]byte(part))
		}
	}
	return h.Sum(nil)
}

// MarshalJSON writes a Sensitive resource's content as Redacted with its
// RedactKey, so that no plan file, report or log ever holds it. A resource
// read back from JSON keeps the redacted text it was written with.
func (r Resource) MarshalJSON() ([]byte, error) {
	type plain Resource
	if r.Sensitive && !r.redacted {
		r.Content = Redacted(r.RedactKey, r.Content)
	}
	return json.Marshal(plain(r))
}

// UnmarshalJSON reads a resource written by MarshalJSON; a Sensitive one's
// content is the redacted text, kept as is when written again.
func (r *Resource) UnmarshalJSON(b []byte) error {
	type plain Resource
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*r = Resource(p)
	r.redacted = r.Sensitive
	return nil
}
