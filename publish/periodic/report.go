package periodic

import (
	"time"

	"github.com/lagrieta/itlag/finding"
)

// FormatVersion is the version of the report's JSON contract: within a
// version, fields are only ever added.
const FormatVersion = "1"

// Report is one weekly or monthly report. Figures that could not be
// computed (no data in the period, or not measured) are null in JSON,
// never zero, so that a reader never takes "no data" for "0%".
type Report struct {
	FormatVersion string    `json:"format_version"`
	Period        Period    `json:"period"`
	GeneratedAt   time.Time `json:"generated_at"`
	// Headline is the few figures CEO_LAG reads first.
	Headline      Headline      `json:"headline"`
	Availability  Availability  `json:"availability"`
	Backups       []BackupJob   `json:"backups"`
	Subscriptions Subscriptions `json:"subscriptions"`
	Storage       Storage       `json:"storage"`
	Security      Security      `json:"security"`
	Improvement   Improvement   `json:"improvement"`
}

// Headline are the report's first figures.
type Headline struct {
	// Uptime is the mean of the monitors' uptimes (0..1).
	Uptime *float64 `json:"uptime"`
	// BackupSuccessRate is the share of backup runs that succeeded (0..1).
	BackupSuccessRate *float64 `json:"backup_success_rate"`
	// MTTRSeconds is the mean time to resolve the incidents resolved in
	// the period.
	MTTRSeconds *float64 `json:"mttr_seconds"`
	// DaysToNextRenewal and NextRenewal: the soonest known renewal.
	DaysToNextRenewal *int   `json:"days_to_next_renewal"`
	NextRenewal       string `json:"next_renewal,omitempty"`
	// DaysUntilVolumeFull and VolumeFillingFirst: the soonest forecast
	// fill of a NAS volume.
	DaysUntilVolumeFull *int   `json:"days_until_volume_full"`
	VolumeFillingFirst  string `json:"volume_filling_first,omitempty"`
	IncidentsOpened     int    `json:"incidents_opened"`
	IncidentsOpen       int    `json:"incidents_open"`
}

// Availability is the monitors' period and the incidents'.
type Availability struct {
	Monitors  []MonitorFigures `json:"monitors"`
	Incidents IncidentFigures  `json:"incidents"`
}

// MonitorFigures is one monitor over the period.
type MonitorFigures struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
	// SLO is the declared target (0..1); MetSLO whether Uptime reached it.
	SLO    *float64 `json:"slo"`
	Uptime *float64 `json:"uptime"`
	MetSLO *bool    `json:"met_slo"`
	// P50Ms and P95Ms are percentiles of the hourly mean response times.
	P50Ms *float64 `json:"p50_ms"`
	P95Ms *float64 `json:"p95_ms"`
	// Trend is "rising", "falling" or "flat" (response time), with its
	// slope in ms per day.
	Trend         string  `json:"trend"`
	TrendMsPerDay float64 `json:"trend_ms_per_day"`
	// LongestOutage is the longest time it was down in the period.
	LongestOutageSeconds float64    `json:"longest_outage_seconds"`
	LongestOutageStart   *time.Time `json:"longest_outage_start"`
	// Outages is how many times it went down.
	Outages int `json:"outages"`
}

// IncidentFigures counts the incidents of the period.
type IncidentFigures struct {
	// Opened are the incidents opened in the period, by severity (every
	// severity present).
	Opened   map[finding.Severity]int `json:"opened"`
	Resolved int                      `json:"resolved"`
	// MTTRSeconds: mean time from detection to resolution of those
	// resolved in the period.
	MTTRSeconds *float64 `json:"mttr_seconds"`
	// MTTASeconds: mean time from detection to the first alert delivered
	// about it (the alert routes' acknowledgement of the problem; a
	// person's acknowledgement is not recorded).
	MTTASeconds *float64 `json:"mtta_seconds"`
	// Longest is the longest-lasting incident resolved in the period.
	LongestID      string  `json:"longest_id,omitempty"`
	LongestSeconds float64 `json:"longest_seconds"`
}

// BackupJob is one backup job over the period.
type BackupJob struct {
	Job         string   `json:"job"`
	Runs        int      `json:"runs"`
	OK          int      `json:"ok"`
	SuccessRate *float64 `json:"success_rate"`
	// DurationP50Seconds and the trend of run durations.
	DurationP50Seconds *float64 `json:"duration_p50_seconds"`
	DurationTrend      string   `json:"duration_trend"`
	// AddedTrend is the trend of the data each run added (its size).
	AddedTrend string `json:"added_trend"`
	// DataAddedBytes is what the runs added to the repositories;
	// ProcessedBytes what they read from the sources; Efficiency is
	// added/processed (lower is better: what deduplication and
	// incremental runs saved).
	DataAddedBytes int64    `json:"data_added_bytes"`
	ProcessedBytes int64    `json:"processed_bytes"`
	Efficiency     *float64 `json:"efficiency"`
	// RepositoryBytes is the repositories' size where it is known
	// (local repositories).
	RepositoryBytes *int64 `json:"repository_bytes"`
	// LastCheck and LastDrill: the latest verification and restore drill.
	LastCheck *time.Time `json:"last_check"`
	LastDrill *time.Time `json:"last_drill"`
	// ThreeTwoOne is "ok" or what breaks 3-2-1.
	ThreeTwoOne string `json:"three_two_one"`
	// Media marks the jobs MEDIA_LAG reads about.
	Media bool `json:"media,omitempty"`
}

// Subscriptions is what renews soon and what the IT costs.
type Subscriptions struct {
	// Renewing are the domains and subscriptions that lapse within 60
	// days of the period's end (or whose date is unknown).
	Renewing []Renewal `json:"renewing"`
	// Spend is each subscription with a declared cost, per year; Total
	// sums it by currency.
	Spend []Spend            `json:"spend"`
	Total map[string]float64 `json:"total_per_year"`
}

// Renewal is one date coming.
type Renewal struct {
	Name      string     `json:"name"`
	Kind      string     `json:"kind"`
	Provider  string     `json:"provider"`
	Date      *time.Time `json:"date"`
	DaysLeft  *int       `json:"days_left"`
	AutoRenew bool       `json:"auto_renew"`
	Source    string     `json:"source"`
}

// Spend is one subscription's yearly cost.
type Spend struct {
	Name     string  `json:"name"`
	Provider string  `json:"provider"`
	Amount   float64 `json:"amount"`
	Currency string  `json:"currency"`
	Period   string  `json:"period"`
	Yearly   float64 `json:"yearly"`
}

// Storage is the NAS volumes and shares for MEDIA_LAG.
type Storage struct {
	Volumes []Volume `json:"volumes"`
	// Shares are the backed-up shares (each backup job's sources), the
	// fastest-growing first: their size is what each backup run read.
	Shares []Share `json:"shares"`
}

// Share is one backup job's sources as its runs measured them.
type Share struct {
	Job   string   `json:"job"`
	Paths []string `json:"paths"`
	// UsedBytes is the latest run's size of the sources; GrowthBytesPerWeek
	// the fitted growth over the period and the 60 days before it.
	UsedBytes          *int64   `json:"used_bytes"`
	GrowthBytesPerWeek *float64 `json:"growth_bytes_per_week"`
	Trend              string   `json:"trend"`
	Media              bool     `json:"media,omitempty"`
}

// Volume is one NAS volume's use over the period.
type Volume struct {
	NAS  string `json:"nas"`
	Path string `json:"path"`
	// UsedPercent is the latest reading; GrowthPerWeek its fitted growth
	// in percentage points a week.
	UsedPercent   *float64 `json:"used_percent"`
	UsedBytes     *int64   `json:"used_bytes"`
	SizeBytes     *int64   `json:"size_bytes"`
	GrowthPerWeek *float64 `json:"growth_points_per_week"`
	// Fill is the forecast of when it is full (100%).
	Fill Fill `json:"fill"`
}

// Fill is a volume's fill forecast.
type Fill struct {
	Date     *time.Time `json:"date"`
	Earliest *time.Time `json:"earliest"`
	Latest   *time.Time `json:"latest"`
	DaysLeft *int       `json:"days_left"`
	Never    bool       `json:"never"`
	Full     bool       `json:"full"`
	Reason   string     `json:"reason"`
}

// Security is the period's security figures.
type Security struct {
	// PendingUpdates is each NAS's latest count and its trend.
	PendingUpdates []Updates `json:"pending_updates"`
	// Certificates are the days left on each TLS monitor's certificate.
	Certificates []Certificate `json:"certificates"`
	// HostKeyEvents are the host keys pinned in the period (the audit
	// trail).
	HostKeyEvents []Event `json:"host_key_events"`
	// Findings are the open vulnerability and exposure findings.
	Findings []finding.Finding `json:"findings"`
	// FailedLogins is each NAS's failed SSH logins (the count in its auth
	// log at the latest observation) and their trend over the period.
	FailedLogins []Logins `json:"failed_logins"`
}

// Logins is one NAS's failed logins.
type Logins struct {
	NAS    string   `json:"nas"`
	Latest *float64 `json:"latest"`
	Max    *float64 `json:"max"`
	Trend  string   `json:"trend"`
}

// Updates is one NAS's pending updates.
type Updates struct {
	NAS      string   `json:"nas"`
	Pending  *float64 `json:"pending"`
	Security *float64 `json:"security"`
	Trend    string   `json:"trend"`
}

// Certificate is one certificate's days left.
type Certificate struct {
	Monitor  string `json:"monitor"`
	DaysLeft int    `json:"days_left"`
}

// Event is one audit-trail event.
type Event struct {
	At     time.Time `json:"at"`
	Target string    `json:"target"`
	Note   string    `json:"note,omitempty"`
}

// Improvement is the continuous-improvement review.
type Improvement struct {
	// Recurring are problems (by fingerprint) opened more than once in
	// the last 90 days.
	Recurring []Recurring `json:"recurring"`
	// Flapping are monitors that went down and up again several times.
	Flapping []Flapping `json:"flapping"`
	// NoPrevention are resolved incidents whose prevention section is
	// still empty.
	NoPrevention []string `json:"no_prevention"`
	// AlertVolume is how many alerts each route sent in the period.
	AlertVolume map[string]int `json:"alert_volume"`
	// Recommendations come from the rules in rules.go, each with its
	// evidence; Previous are the previous period's, with their state.
	Recommendations []Recommendation `json:"recommendations"`
	Previous        []Recommendation `json:"previous"`
}

// Recurring is one problem seen again and again.
type Recurring struct {
	Fingerprint string `json:"fingerprint"`
	Source      string `json:"source"`
	Summary     string `json:"summary"`
	Times       int    `json:"times"`
}

// Flapping is one monitor's ups and downs.
type Flapping struct {
	Monitor string `json:"monitor"`
	Outages int    `json:"outages"`
}

// Recommendation is what a rule advises, and why.
type Recommendation struct {
	// ID is the rule and what it is about ("slo-missed:website"): the
	// same problem keeps its ID from one period to the next.
	ID       string   `json:"id"`
	Rule     string   `json:"rule"`
	Text     string   `json:"text"`
	Evidence []string `json:"evidence"`
	// State (previous period's only): "open" when the rule still fires,
	// "resolved" when it does not.
	State string `json:"state,omitempty"`
}
