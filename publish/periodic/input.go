package periodic

import (
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/publish/periodic/stats"
)

// Input is what the application gathered for a period: from the
// monitoring history, the incident files, the alerts sent, the backup
// runs, the observation's expiries, the state's costs, the measured
// numbers' history, the audit trail and the previous period's report.
type Input struct {
	Period Period
	// Now is when the report is made (its generated_at, and "today" for
	// days left).
	Now       time.Time
	Monitors  []MonitorInput
	Incidents []IncidentInput
	Alerts    []AlertInput
	Jobs      []JobInput
	Expiries  []ExpiryInput
	Costs     []Spend
	// Volumes are the NAS volumes' used percent, hourly, over the period
	// and before it (a longer history makes a better forecast).
	Volumes []SeriesInput
	Updates []UpdatesInput
	// FailedLogins are each NAS's failed SSH logins, hourly.
	FailedLogins     []SeriesInput
	Certificates     []Certificate
	HostKeyEvents    []Event
	SecurityFindings []finding.Finding
	// Previous is the previous period's report, nil when there is none.
	Previous *Report
}

// MonitorInput is one monitor's history in the period.
type MonitorInput struct {
	Name, Kind string
	// SLO is the declared target in percent; 0 when none.
	SLO float64
	// Uptime is the share of checks that passed; nil without checks.
	Uptime *float64
	// Hourly are the hourly mean response times (ms).
	Hourly []stats.Point
	// Outages are the spans it was down.
	Outages []stats.Interval
}

// IncidentInput is one incident file.
type IncidentInput struct {
	ID, Fingerprint, Source, Summary string
	Severity                         finding.Severity
	FirstSeen, ResolvedAt            time.Time // ResolvedAt zero while open
	PreventionEmpty                  bool
}

// AlertInput is one alert sent (or tried).
type AlertInput struct {
	At                       time.Time
	Fingerprint, Route, Kind string // Kind: start, reminder, recovery
	OK                       bool
}

// JobInput is one backup job. Runs may reach before the period (for the
// shares' growth); the period's figures count the period's runs only.
type JobInput struct {
	Name string
	// Sources are the paths it backs up (a share, usually).
	Sources              []string
	Runs                 []RunInput
	LastCheck, LastDrill time.Time
	// RepositoryBytes is the repositories' size; negative when unknown.
	RepositoryBytes int64
	ThreeTwoOne     string
	Media           bool
}

// RunInput is one backup run.
type RunInput struct {
	Started                   time.Time
	OK                        bool
	Duration                  time.Duration
	DataAdded, BytesProcessed int64
}

// ExpiryInput is one domain or subscription with its date.
type ExpiryInput struct {
	Name, Kind, Provider, Source string
	Date                         time.Time // zero when unknown
	AutoRenew                    bool
}

// SeriesInput is one measured series.
type SeriesInput struct {
	NAS, Path string
	Points    []stats.Point
	// UsedBytes and SizeBytes are a volume's latest readings; nil when
	// not measured.
	UsedBytes, SizeBytes *float64
}

// UpdatesInput is one NAS's pending updates over the period.
type UpdatesInput struct {
	NAS               string
	Pending, Security []stats.Point
}
