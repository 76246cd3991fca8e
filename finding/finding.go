package finding

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// Severity ranks a finding or incident.
type Severity string

// The severities, from worst to least.
const (
	Critical Severity = "critical" // main operation down
	High     Severity = "high"     // a function impaired
	Medium   Severity = "medium"   // degraded performance
	Low      Severity = "low"      // minor
)

// Rank orders severities: critical 0 … low 3, unknown 4.
func (s Severity) Rank() int {
	switch s {
	case Critical:
		return 0
	case High:
		return 1
	case Medium:
		return 2
	case Low:
		return 3
	}
	return 4
}

// Finding is a problem seen while observing that is not a diff: a disk
// nearly full, a domain about to expire, an update refused.
type Finding struct {
	Severity Severity `json:"severity"`
	// Source says who saw it: "cloudflare:lagrieta.es", "nas:office".
	Source  string `json:"source"`
	Summary string `json:"summary"`
	Detail  string `json:"detail,omitempty"`
	// Fingerprint is stable for the same problem across runs, so that drift
	// can dedupe incidents.
	Fingerprint string `json:"fingerprint"`
}

// New builds a finding whose fingerprint is derived from source and
// key (not from the summary, which may carry changing numbers).
func New(sev Severity, source, key, summary string) Finding {
	sum := sha256.Sum256([]byte(source + "\x00" + key))
	return Finding{Severity: sev, Source: source, Summary: summary, Fingerprint: hex.EncodeToString(sum[:8])}
}

func (f Finding) String() string {
	return fmt.Sprintf("%s %s: %s", f.Severity, f.Source, f.Summary)
}
