package security

import (
	"net"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/providers/transport"
)

// Options tune the network checks.
type Options struct {
	// Timeout bounds each connection (dial, handshake, request); default
	// DefaultTimeout.
	Timeout time.Duration
	// Net is the network the checks dial through; the zero Network is
	// the real one (under --sandbox the runtime's, which reaches loopback
	// only).
	Net transport.Network
}

// DefaultTimeout bounds each connection a check makes.
const DefaultTimeout = 5 * time.Second

func (o Options) timeout() time.Duration {
	if o.Timeout > 0 {
		return o.Timeout
	}
	return DefaultTimeout
}

// Report is what the checks found, and what they could not look at and
// why (Notes, for a human: "tls www: skipped, …").
type Report struct {
	Findings []finding.Finding
	Notes    []string
	// Updates are the pending updates each host audited (AuditHost)
	// reported, by its findings' source ("security:nas/office"); a nil
	// entry when they are unknown (no apt, or apt failed). A host whose
	// facts were not read has no entry.
	Updates map[string]*Updates
}

// Add appends r2 to r.
func (r *Report) Add(r2 Report) {
	r.Findings = append(r.Findings, r2.Findings...)
	r.Notes = append(r.Notes, r2.Notes...)
	for src, u := range r2.Updates {
		if r.Updates == nil {
			r.Updates = map[string]*Updates{}
		}
		r.Updates[src] = u
	}
}

// hostOf is addr's host (addr is host:port or a bare host).
func hostOf(addr string) string {
	if h, _, err := net.SplitHostPort(addr); err == nil {
		return h
	}
	return addr
}
