package monitor

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"time"

	"github.com/lagrieta/itlag/finding"
)

// The kinds of monitor.
const (
	HTTP = "http" // GET a URL
	TLS  = "tls"  // handshake with host:port, read the certificate
	DNS  = "dns"  // resolve a name, compare with Expect
	TCP  = "tcp"  // connect to host:port
)

// Defaults applied by Monitor.withDefaults.
const (
	DefaultInterval         = time.Minute
	DefaultTimeout          = 10 * time.Second
	DefaultFailureThreshold = 2
	DefaultSuccessThreshold = 1
	DefaultSeverity         = finding.High
)

// Monitor is one thing to watch from outside.
type Monitor struct {
	Name string
	// Kind is http, tls, dns or tcp.
	Kind string
	// Target is a URL (http), host:port (tls, tcp) or a DNS name (dns).
	Target   string
	Interval time.Duration
	// Conditions decide whether a probe passed; empty means the kind's
	// defaults (see DefaultConditions).
	Conditions []Condition
	// FailureThreshold failures in a row make the monitor DOWN (default 2);
	// SuccessThreshold successes in a row make it UP again (default 1).
	FailureThreshold, SuccessThreshold int
	// Severity is the finding's when the monitor is down (default high).
	Severity finding.Severity
	// Expect (dns) is the addresses the name must resolve to.
	Expect []string
	// Resolver (dns) is the resolver's host:port; empty: the system's.
	Resolver string
	// Timeout bounds one probe (default 10s).
	Timeout time.Duration
}

// withDefaults fills the zero fields.
func (m Monitor) withDefaults() Monitor {
	if m.Interval <= 0 {
		m.Interval = DefaultInterval
	}
	if m.Timeout <= 0 {
		m.Timeout = DefaultTimeout
	}
	if m.FailureThreshold <= 0 {
		m.FailureThreshold = DefaultFailureThreshold
	}
	if m.SuccessThreshold <= 0 {
		m.SuccessThreshold = DefaultSuccessThreshold
	}
	if m.Severity == "" {
		m.Severity = DefaultSeverity
	}
	if len(m.Conditions) == 0 {
		m.Conditions = DefaultConditions(m.Kind, len(m.Expect) > 0)
	}
	return m
}

// Validate reports the first problem with m's fields.
func (m Monitor) Validate() error {
	if m.Name == "" {
		return fmt.Errorf("monitor %q: no name", DisplayTarget(m.Target))
	}
	switch m.Kind {
	case HTTP:
		u, err := url.Parse(m.Target)
		if err != nil {
			// the inner error only: url.Error repeats the URL, password and all
			return fmt.Errorf("monitor %s: target is not a URL: %w", m.Name, errors.Unwrap(err))
		}
		if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			// Redacted: a password in the URL stays out of the message
			return fmt.Errorf("monitor %s: target %q is not an http(s) URL", m.Name, DisplayTarget(m.Target))
		}
	case TLS, TCP:
		if _, _, err := net.SplitHostPort(m.Target); err != nil {
			return fmt.Errorf("monitor %s: target %q is not host:port: %w", m.Name, m.Target, err)
		}
	case DNS:
		if m.Target == "" {
			return fmt.Errorf("monitor %s: no name to resolve", m.Name)
		}
		if m.Resolver != "" {
			if _, _, err := net.SplitHostPort(m.Resolver); err != nil {
				return fmt.Errorf("monitor %s: resolver %q is not host:port: %w", m.Name, m.Resolver, err)
			}
		}
	default:
		return fmt.Errorf("monitor %s: unknown kind %q (want http, tls, dns or tcp)", m.Name, m.Kind)
	}
	for _, c := range m.Conditions {
		if !c.appliesTo(m.Kind) {
			return fmt.Errorf("monitor %s: condition %q does not apply to a %s monitor", m.Name, c, m.Kind)
		}
	}
	if m.Severity != "" && m.Severity.Rank() > 3 {
		return fmt.Errorf("monitor %s: unknown severity %q", m.Name, m.Severity)
	}
	return nil
}

// Result is one probe of one monitor.
type Result struct {
	Monitor  string
	At       time.Time
	OK       bool
	Duration time.Duration
	// Status is the HTTP status code (http).
	Status int
	// Connected says a connection was established (all kinds but dns).
	Connected bool
	// CertExpiry is the time left until the leaf certificate expires
	// (tls, https); negative once expired.
	CertExpiry time.Duration
	// Answers are the addresses the name resolved to (dns), sorted.
	Answers []string
	// Value is what to show: "200", "13d", "203.0.113.7".
	Value string
	Error string
	// Failed lists the conditions that failed, with what was seen.
	Failed []string

	body     []byte   // http, for "body contains"; dropped after evaluation
	expected []string // dns, the monitor's Expect
}
