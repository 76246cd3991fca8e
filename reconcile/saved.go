package reconcile

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/store/safefile"
)

// Saved is a plan written to a file by "plan --out", with what apply needs to
// refuse it when the world moved on: a fingerprint of every observed record
// the state manages (see Managed) and a checksum over the whole file.
type Saved struct {
	FormatVersion string    `json:"format_version"`
	CreatedAt     time.Time `json:"created_at"`
	// GitCommit is the desired state's commit, when it is in a repository.
	GitCommit string `json:"git_commit,omitempty"`
	// StateDigest is the sha256 of the normalised Desired.
	StateDigest string `json:"state_digest"`
	// Fingerprints maps each observed record ("cloudflare:lagrieta.es/www/A#<id>")
	// to the sha256 of its canonical JSON, and each observed zone
	// ("cloudflare:lagrieta.es") to a "zone present" digest.
	Fingerprints map[string]string `json:"fingerprints"`
	Plan         *Planned          `json:"plan"`
	// Checksum is the sha256 over all the fields above; approvals name it.
	Checksum string `json:"checksum"`
}

// NewSaved wraps p with the digests of d and o, stamped now (UTC).
func NewSaved(p *Planned, d Desired, o Observed, gitCommit string, now time.Time) *Saved {
	s := &Saved{
		FormatVersion: FormatVersion,
		CreatedAt:     now.UTC().Round(0),
		GitCommit:     gitCommit,
		StateDigest:   StateDigest(d),
		Fingerprints:  Fingerprints(Managed(d, o)),
		Plan:          p,
	}
	s.Checksum = s.checksum()
	return s
}

// StateDigest is the sha256 (hex) of the canonical JSON of d, zones sorted.
func StateDigest(d Desired) string {
	zones := slices.Clone(d.Zones)
	slices.SortFunc(zones, func(a, b Zone) int { return cmp.Compare(a.Key(), b.Key()) })
	return digestJSON(Desired{Zones: zones, Domains: d.Domains, Subscriptions: d.Subscriptions, Resources: d.Resources})
}

// Fingerprints digests an observation: one entry per zone and one per record,
// keyed "cloudflare:lagrieta.es/www/A#<id>" (records without an ID use their
// Key), and one per registration's managed settings, keyed
// "godaddy:domain/lagrieta.es" (expiry dates may move without making a plan
// stale).
func Fingerprints(o Observed) map[string]string {
	fp := map[string]string{}
	for dk, dom := range o.Domains {
		registrar, name, _ := strings.Cut(dk, ":")
		fp[registrar+":domain"] = digest([]byte("registrar answered\x00" + registrar))
		fp[DomainAddress(registrar, name)] = digestJSON(dom.Settings())
	}
	for sk, obs := range o.Resources {
		fp[sk] = digest([]byte("target answered\x00" + sk))
		for i, st := range obs.States {
			name := st.Live.Name
			if !strings.HasPrefix(name, "/") {
				name = "/" + name
			}
			fp[sk+"/"+st.Live.Kind+name+"#"+fmt.Sprint(i)] = digestJSON(st)
		}
	}
	for zk, obs := range o.Zones {
		fp[zk] = digest([]byte("zone present\x00" + zk))
		for _, r := range obs.Records {
			fp[recordFingerprintKey(zk, r)] = digestJSON(r)
		}
	}
	return fp
}

// recordFingerprintKey is "zone key/name/TYPE#id" (or the record's Key when
// it has no ID): readable, and unique per record.
func recordFingerprintKey(zoneKey string, r providers.Record) string {
	if r.ID != "" {
		return zoneKey + "/" + r.Name + "/" + r.Type + "#" + r.ID
	}
	return zoneKey + "/" + r.Key()
}

func digest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func digestJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil { // only plain data is digested; cannot happen
		return "unmarshalable: " + err.Error()
	}
	return digest(b)
}

// checksum digests s with its Checksum field empty.
func (s *Saved) checksum() string {
	c := *s
	c.Checksum = ""
	return digestJSON(&c)
}

// WriteSaved writes s to path atomically (a temporary file in the same
// directory, then rename), readable by its owner only; a symlink at path
// is refused, not followed.
func WriteSaved(path string, s *Saved) error {
	return WriteSavedIn(filepath.Dir(path), filepath.Base(path), s)
}

// WriteSavedIn is WriteSaved to base/rel, following no symlink below base
// (drift keeps reports/plan.json in the repository).
func WriteSavedIn(base, rel string, s *Saved) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("write plan %s: %w", rel, err)
	}
	if err := safefile.WriteFile(base, rel, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("write plan: %w", err)
	}
	return nil
}

// ReadSaved reads a plan written by WriteSaved, checking its format version
// and checksum.
func ReadSaved(path string) (*Saved, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read plan: %w", err)
	}
	var s Saved
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("read plan %s: not a saved plan: %w", path, err)
	}
	if s.FormatVersion != FormatVersion {
		return nil, fmt.Errorf("read plan %s: format version %q, this itlag reads %q", path, s.FormatVersion, FormatVersion)
	}
	if s.Plan == nil {
		return nil, fmt.Errorf("read plan %s: no plan in the file", path)
	}
	if s.Plan.FormatVersion != FormatVersion {
		return nil, fmt.Errorf("read plan %s: plan format version %q, this itlag reads %q", path, s.Plan.FormatVersion, FormatVersion)
	}
	if s.Checksum == "" {
		return nil, fmt.Errorf("read plan %s: no checksum", path)
	}
	if got := s.checksum(); got != s.Checksum {
		return nil, fmt.Errorf("read plan %s: %w (checksum %s, content digests to %s)", path, ErrTampered, short(s.Checksum), short(got))
	}
	return &s, nil
}

// ErrTampered is wrapped by ReadSaved when a plan file's content does not
// match its checksum.
var ErrTampered = errors.New("plan file changed after it was written")

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

// Stale compares a saved plan's fingerprints with a fresh observation and
// says what moved, one line each, sorted ("cloudflare:lagrieta.es/www/A
// changed since the plan"); no lines means the plan is still current. Only
// zones the saved plan observed are compared, and only records d manages:
// records its unmanaged rules cover may come and go (an ACME client's
// challenge records) without making a reviewed plan stale.
func Stale(s *Saved, d Desired, o Observed) []string {
	o = Managed(d, o)
	fresh := Fingerprints(o)
	label := func(k string) string {
		if i := strings.LastIndex(k, "#"); i >= 0 {
			return k[:i]
		}
		return k
	}
	zoneOf := func(k string) string {
		if i := strings.Index(k, "/"); i >= 0 {
			return k[:i]
		}
		return k
	}
	savedZones := map[string]bool{}
	for k := range s.Fingerprints {
		savedZones[zoneOf(k)] = true
	}
	var lines []string
	for k, old := range s.Fingerprints {
		now, ok := fresh[k]
		switch {
		case !ok && zoneOf(k) == k:
			lines = append(lines, k+" disappeared")
		case !ok:
			if _, zoneThere := fresh[zoneOf(k)]; zoneThere {
				lines = append(lines, label(k)+" disappeared")
			}
		case now != old:
			lines = append(lines, label(k)+" changed since the plan")
		}
	}
	for k := range fresh {
		if _, ok := s.Fingerprints[k]; !ok && savedZones[zoneOf(k)] {
			lines = append(lines, label(k)+" appeared")
		}
	}
	slices.Sort(lines)
	return lines
}
