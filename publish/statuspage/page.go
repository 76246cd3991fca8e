package statuspage

import "time"

// Page is everything the status page shows.
type Page struct {
	Title       string
	GeneratedAt time.Time
	// Overall is "ok", "warning", "degraded" or "critical"; anything else
	// is shown as "Unknown".
	Overall       string
	Monitors      []Monitor
	Backups       []Backup
	Subscriptions []Subscription
	// Confirmations are what providers asked to confirm by mail, still
	// open (no link: it carries the provider's token).
	Confirmations []Confirmation
	NAS           []Gauge
	Incidents     []Incident
}

// Monitor is one check (HTTP, TCP, DNS, ...) and its history.
type Monitor struct {
	Name, Kind, Target string
	Up                 bool
	// Since is when the current state (Up or Down) began; zero if unknown.
	Since time.Time
	// Uptime24h, Uptime7d and Uptime30d are fractions in 0..1;
	// NaN means no data.
	Uptime24h, Uptime7d, Uptime30d float64
	// Series is the response time history, oldest first. Points with a NaN
	// or negative Ms (no answer) are left out of the chart.
	Series []Point
	// Recent holds short lines about the monitor's recent incidents.
	Recent []string
}

// Point is one response time sample.
type Point struct {
	At time.Time
	Ms float64
}

// Backup is the freshness of one backup job.
type Backup struct {
	Job, Destination string
	// State is e.g. "ok", "warning", "stale", "failed"; shown as given.
	State string
	// Age is the time since the last successful run.
	Age time.Duration
}

// Subscription is a dated obligation: a domain, a certificate, a licence.
type Subscription struct {
	Name, Kind string
	Date       time.Time
	// DaysLeft is negative once Date has passed.
	DaysLeft int
	Severity string
}

// Confirmation is one open confirmation a provider asked for.
type Confirmation struct {
	ID   int64
	What string
	// Deadline is zero when the mail did not say; DaysLeft is negative
	// once it has passed.
	Deadline time.Time
	DaysLeft int
	Severity string
}

// Gauge is one NAS reading (disk use, temperature, ...). Warn and Crit are
// thresholds in the same unit as Value; zero means no threshold.
type Gauge struct {
	Name       string
	Value, Max float64
	Unit       string
	Warn, Crit float64
}

// Incident is one entry of the incident list: an open problem (a finding)
// and, when drift opened one for it, its incident file's ID.
type Incident struct {
	ID, Severity, Summary string
	// Source says who saw it ("nas:office"); Fingerprint is the finding's,
	// the same in every report, alert and incident file.
	Source, Fingerprint string
	Since               time.Time
	Resolved            bool
}
