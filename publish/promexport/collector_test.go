package promexport

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

var at = time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC) // 1772618400

// full is a snapshot with something in every part.
func full() Snapshot {
	return Snapshot{
		ObservedAt: at,
		Monitors: []Monitor{
			{Name: "site", Up: true, Response: 250 * time.Millisecond, CertNotAfter: at.Add(13 * 24 * time.Hour)},
			{Name: "nas-ssh", Up: false, Response: 1500 * time.Microsecond},
		},
		Findings: map[string]int{"critical": 0, "high": 2, "medium": 1, "low": 0},
		Metrics: map[string]float64{
			"nas:office/cpu_percent":                42,
			"nas:office/mem_total_kb":               2048,
			"nas:office/mem_available_percent":      25,
			"nas:office/load1":                      0.5,
			"nas:office/disk_used_percent:/volume1": 91.5,
			"nas:office/raid_degraded:md2":          0,
			"nas:office/smart_healthy:sata1":        1,
			"nas:office/failed_logins":              3,
			"noip:noip/ddns_hosts_held":             1,
		},
		Backups: []Backup{
			{Job: "docs", Destination: "usb", OK: true, LastSuccess: at.Add(-time.Hour), Age: time.Hour, SizeBytes: 1 << 20},
			{Job: "docs", Destination: "cloud", OK: false, SizeBytes: -1},
		},
		Expiries: []Expiry{
			{Name: "example.org", Kind: "domain", Provider: "godaddy", Date: at.Add(30 * 24 * time.Hour)},
			{Name: "office-365", Kind: "plan", Provider: "microsoft"},
		},
		Mail: &Mail{Confirmations: []Confirmation{
			{ID: 7, Target: "example.org", Deadline: at.Add(48 * time.Hour)},
			{ID: 8, Target: "noip"},
		}},
	}
}

func TestCollector(t *testing.T) {
	tests := []struct {
		name  string
		snap  Snapshot
		names []string // the metrics compared
		want  string
	}{
		{
			name:  "nothing observed yet",
			snap:  Snapshot{},
			names: []string{"itlag_observation_timestamp_seconds", "itlag_monitor_up", "itlag_findings", "itlag_mail_confirmations_open"},
			want:  "",
		},
		{
			name:  "observation time",
			snap:  full(),
			names: []string{"itlag_observation_timestamp_seconds"},
			want: `
# HELP itlag_observation_timestamp_seconds When the world was last observed (providers, NAS, backups, expiries, mail), in Unix seconds.
# TYPE itlag_observation_timestamp_seconds gauge
itlag_observation_timestamp_seconds 1772618400
`,
		},
		{
			name:  "monitors: up, response in seconds and deprecated milliseconds, certificate",
			snap:  full(),
			names: []string{"itlag_monitor_up", "itlag_monitor_response_seconds", "itlag_monitor_response_ms", "itlag_certificate_expiry_timestamp_seconds"},
			want: `
# HELP itlag_monitor_up Whether the monitor's last probe passed (1) or failed (0).
# TYPE itlag_monitor_up gauge
itlag_monitor_up{monitor="nas-ssh"} 0
itlag_monitor_up{monitor="site"} 1
# HELP itlag_monitor_response_seconds The monitor's last probe's response time.
# TYPE itlag_monitor_response_seconds gauge
itlag_monitor_response_seconds{monitor="nas-ssh"} 0.0015
itlag_monitor_response_seconds{monitor="site"} 0.25
# HELP itlag_monitor_response_ms Deprecated, to be removed in the next version: use itlag_monitor_response_seconds. The last probe's response time in milliseconds.
# TYPE itlag_monitor_response_ms gauge
itlag_monitor_response_ms{monitor="nas-ssh"} 1.5
itlag_monitor_response_ms{monitor="site"} 250
# HELP itlag_certificate_expiry_timestamp_seconds When the certificate the tls or https monitor last saw expires, in Unix seconds.
# TYPE itlag_certificate_expiry_timestamp_seconds gauge
itlag_certificate_expiry_timestamp_seconds{monitor="site"} 1773741600
`,
		},
		{
			name:  "findings: every severity given, zeros included",
			snap:  full(),
			names: []string{"itlag_findings"},
			want: `
# HELP itlag_findings Open findings by severity.
# TYPE itlag_findings gauge
itlag_findings{severity="critical"} 0
itlag_findings{severity="high"} 2
itlag_findings{severity="low"} 0
itlag_findings{severity="medium"} 1
`,
		},
		{
			name: "NAS: well-known keys in base units, the rest generic, other sources observed",
			snap: full(),
			names: []string{"itlag_nas_cpu_ratio", "itlag_nas_memory_total_bytes", "itlag_nas_memory_available_ratio",
				"itlag_nas_load1", "itlag_nas_disk_used_ratio", "itlag_nas_raid_degraded", "itlag_nas_smart_healthy",
				"itlag_nas_metric", "itlag_observed_metric"},
			want: `
# HELP itlag_nas_cpu_ratio CPU busy on the NAS, from 0 to 1.
# TYPE itlag_nas_cpu_ratio gauge
itlag_nas_cpu_ratio{nas="office"} 0.42
# HELP itlag_nas_memory_total_bytes Memory of the NAS.
# TYPE itlag_nas_memory_total_bytes gauge
itlag_nas_memory_total_bytes{nas="office"} 2097152
# HELP itlag_nas_memory_available_ratio Memory available on the NAS, from 0 to 1.
# TYPE itlag_nas_memory_available_ratio gauge
itlag_nas_memory_available_ratio{nas="office"} 0.25
# HELP itlag_nas_load1 Load average of the NAS over 1 minute.
# TYPE itlag_nas_load1 gauge
itlag_nas_load1{nas="office"} 0.5
# HELP itlag_nas_disk_used_ratio Space used on a file system of the NAS, from 0 to 1.
# TYPE itlag_nas_disk_used_ratio gauge
itlag_nas_disk_used_ratio{mount="/volume1",nas="office"} 0.915
# HELP itlag_nas_raid_degraded 1 when a RAID array of the NAS is degraded.
# TYPE itlag_nas_raid_degraded gauge
itlag_nas_raid_degraded{array="md2",nas="office"} 0
# HELP itlag_nas_smart_healthy 1 when a disk of the NAS passes its SMART health check.
# TYPE itlag_nas_smart_healthy gauge
itlag_nas_smart_healthy{device="sata1",nas="office"} 1
# HELP itlag_nas_metric A NAS reading without a metric of its own, in the unit the NAS provider reports (on: the mount, array or device it is about, if any).
# TYPE itlag_nas_metric gauge
itlag_nas_metric{metric="failed_logins",nas="office",on=""} 3
# HELP itlag_observed_metric A number another source reported (source: "noip:noip", "dmarc:DOMAIN", …), in its own unit.
# TYPE itlag_observed_metric gauge
itlag_observed_metric{metric="ddns_hosts_held",on="",source="noip:noip"} 1
`,
		},
		{
			name: "NAS: a well-known key with or without an unexpected part, and a key without a source",
			snap: Snapshot{Metrics: map[string]float64{
				"nas:office/cpu_percent:x": 1, "nas:office/disk_used_percent": 2, "loose": 3,
			}},
			names: []string{"itlag_nas_cpu_ratio", "itlag_nas_disk_used_ratio", "itlag_nas_metric", "itlag_observed_metric"},
			want: `
# HELP itlag_nas_metric A NAS reading without a metric of its own, in the unit the NAS provider reports (on: the mount, array or device it is about, if any).
# TYPE itlag_nas_metric gauge
itlag_nas_metric{metric="cpu_percent",nas="office",on="x"} 1
itlag_nas_metric{metric="disk_used_percent",nas="office",on=""} 2
# HELP itlag_observed_metric A number another source reported (source: "noip:noip", "dmarc:DOMAIN", …), in its own unit.
# TYPE itlag_observed_metric gauge
itlag_observed_metric{metric="loose",on="",source=""} 3
`,
		},
		{
			name: "backups: a snapshot's time and age, ok, size; none for the missing one",
			snap: full(),
			names: []string{"itlag_backup_last_success_timestamp_seconds", "itlag_backup_age_seconds", "itlag_backup_ok",
				"itlag_backup_repository_size_bytes"},
			want: `
# HELP itlag_backup_last_success_timestamp_seconds When the job's latest snapshot in the destination was taken, in Unix seconds.
# TYPE itlag_backup_last_success_timestamp_seconds gauge
itlag_backup_last_success_timestamp_seconds{destination="usb",job="docs"} 1772614800
# HELP itlag_backup_age_seconds How old the job's latest snapshot in the destination was at the last observation.
# TYPE itlag_backup_age_seconds gauge
itlag_backup_age_seconds{destination="usb",job="docs"} 3600
# HELP itlag_backup_ok 1 when the job's destination is ok (a recent enough snapshot), 0 when late, missing or unreachable.
# TYPE itlag_backup_ok gauge
itlag_backup_ok{destination="cloud",job="docs"} 0
itlag_backup_ok{destination="usb",job="docs"} 1
# HELP itlag_backup_repository_size_bytes Size on disk of the destination's repository (local repositories only).
# TYPE itlag_backup_repository_size_bytes gauge
itlag_backup_repository_size_bytes{destination="usb",job="docs"} 1048576
`,
		},
		{
			name:  "expiries: the unknown date left out",
			snap:  full(),
			names: []string{"itlag_expiry_timestamp_seconds"},
			want: `
# HELP itlag_expiry_timestamp_seconds When the subscription or domain registration lapses unless renewed, in Unix seconds.
# TYPE itlag_expiry_timestamp_seconds gauge
itlag_expiry_timestamp_seconds{kind="domain",name="example.org",provider="godaddy"} 1775210400
`,
		},
		{
			name: "expiries: a date past 2262 (no nanosecond overflow)",
			snap: Snapshot{Expiries: []Expiry{
				{Name: "forever", Kind: "plan", Provider: "x", Date: time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)},
			}},
			names: []string{"itlag_expiry_timestamp_seconds"},
			want: `
# HELP itlag_expiry_timestamp_seconds When the subscription or domain registration lapses unless renewed, in Unix seconds.
# TYPE itlag_expiry_timestamp_seconds gauge
itlag_expiry_timestamp_seconds{kind="plan",name="forever",provider="x"} 10413792000
`,
		},
		{
			name:  "mail: open confirmations, the deadline of those that have one",
			snap:  full(),
			names: []string{"itlag_mail_confirmations_open", "itlag_mail_confirmation_deadline_timestamp_seconds"},
			want: `
# HELP itlag_mail_confirmations_open Confirmations the IT mailbox is waiting for.
# TYPE itlag_mail_confirmations_open gauge
itlag_mail_confirmations_open 2
# HELP itlag_mail_confirmation_deadline_timestamp_seconds The deadline of an open confirmation, in Unix seconds.
# TYPE itlag_mail_confirmation_deadline_timestamp_seconds gauge
itlag_mail_confirmation_deadline_timestamp_seconds{id="7",target="example.org"} 1772791200
`,
		},
		{
			name:  "mail: a watched mailbox with nothing open says 0",
			snap:  Snapshot{Mail: &Mail{}},
			names: []string{"itlag_mail_confirmations_open", "itlag_mail_confirmation_deadline_timestamp_seconds"},
			want: `
# HELP itlag_mail_confirmations_open Confirmations the IT mailbox is waiting for.
# TYPE itlag_mail_confirmations_open gauge
itlag_mail_confirmations_open 0
`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewCollector(func() Snapshot { return tt.snap })
			if err := testutil.CollectAndCompare(c, strings.NewReader(tt.want), tt.names...); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestCollectorReadsOneSnapshotPerScrape: every series of a scrape comes
// from one call of the snapshot function.
func TestCollectorReadsOneSnapshotPerScrape(t *testing.T) {
	calls := 0
	c := NewCollector(func() Snapshot { calls++; return full() })
	if n := testutil.CollectAndCount(c); n == 0 {
		t.Fatal("a full snapshot made no series")
	}
	if calls != 1 {
		t.Errorf("one scrape read %d snapshots, want 1", calls)
	}
}

// TestCollectorLint: promlint finds nothing wrong but the deprecated
// itlag_monitor_response_ms, kept for one version.
func TestCollectorLint(t *testing.T) {
	problems, err := testutil.CollectAndLint(NewCollector(full))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		if p.Metric == "itlag_monitor_response_ms" && strings.Contains(p.Text, "abbreviated units") {
			continue
		}
		t.Errorf("lint: %s: %s", p.Metric, p.Text)
	}
	if len(problems) != 1 {
		t.Errorf("lint: %d problems, want only the deprecated response_ms: %v", len(problems), problems)
	}
}
