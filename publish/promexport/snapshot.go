package promexport

import "time"

// Snapshot is everything one scrape exports, as the caller last saw it.
type Snapshot struct {
	// ObservedAt is when the world was last observed; zero before the
	// first observation (no itlag_observation_timestamp_seconds then).
	ObservedAt time.Time
	// Monitors are the monitors' last probes.
	Monitors []Monitor
	// Findings counts the open findings by severity. Every key is
	// exported: give the severities that have none with 0.
	Findings map[string]int
	// Metrics are the numbers the providers reported, keyed
	// "SOURCE/METRIC" or "SOURCE/METRIC:ON" ("nas:office/cpu_percent",
	// "nas:office/disk_used_percent:/volume1"). For a source "nas:NAME",
	// the well-known keys of the NAS provider (cpu_percent, cpus, load1,
	// load5, load15, mem_total_kb, mem_available_percent, uptime_seconds,
	// disk_used_percent:MOUNT, raid_degraded:ARRAY, raid_syncing:ARRAY,
	// smart_healthy:DEVICE) get a metric of their own in base units
	// (itlag_nas_cpu_ratio, itlag_nas_disk_used_ratio{nas,mount}, …) and
	// its other keys go to itlag_nas_metric{nas,metric,on}; the keys of
	// any other source go to itlag_observed_metric{source,metric,on}.
	Metrics map[string]float64
	// Backups are each backup job's destinations.
	Backups []Backup
	// Expiries are the subscriptions and domain registrations.
	Expiries []Expiry
	// Mail is nil when no mailbox is watched (then no mail metric).
	Mail *Mail
}

// Monitor is one monitor's last probe.
type Monitor struct {
	Name string
	// Up says whether the probe passed.
	Up bool
	// Response is the probe's response time.
	Response time.Duration
	// CertNotAfter is when the certificate the probe saw expires (tls and
	// https monitors); zero when it saw none.
	CertNotAfter time.Time
}

// Backup is one job's copies in one destination.
type Backup struct {
	Job, Destination string
	// OK says the destination's state is ok (its latest snapshot is
	// recent enough).
	OK bool
	// LastSuccess is the time of the latest snapshot, zero when there is
	// none; Age is how old it was when the status was taken.
	LastSuccess time.Time
	Age         time.Duration
	// SizeBytes is the repository's size on disk; negative when unknown.
	SizeBytes int64
}

// Expiry is when one subscription or domain registration lapses.
type Expiry struct {
	Name, Kind, Provider string
	// Date is zero when unknown (then nothing is exported for it).
	Date time.Time
}

// Mail is what the IT mailbox waits for.
type Mail struct {
	// Confirmations are the open confirmations.
	Confirmations []Confirmation
}

// Confirmation is one open confirmation.
type Confirmation struct {
	ID     int64
	Target string
	// Deadline is zero when the mail did not say.
	Deadline time.Time
}
