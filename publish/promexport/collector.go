package promexport

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Collector exports a Snapshot read at each scrape. It is safe for
// concurrent scrapes as long as its snapshot function is.
type Collector struct {
	snap func() Snapshot

	observed                                    *prometheus.Desc
	monitorUp, responseSeconds, responseMS      *prometheus.Desc
	certExpiry, findings                        *prometheus.Desc
	nasMetric, observedMetric                   *prometheus.Desc
	backupLast, backupAge, backupOK, backupSize *prometheus.Desc
	expiry, mailOpen, mailDeadline              *prometheus.Desc
	nas                                         map[string]nasGauge
}

var _ prometheus.Collector = (*Collector)(nil)

// NewCollector returns a collector that calls snap once per scrape and
// exports what it returns. snap must not block for long: it should copy
// what the caller last saw, never observe anything.
func NewCollector(snap func() Snapshot) *Collector {
	d := prometheus.NewDesc
	return &Collector{
		snap:     snap,
		observed: d("itlag_observation_timestamp_seconds", "When the world was last observed (providers, NAS, backups, expiries, mail), in Unix seconds.", nil, nil),
		monitorUp: d("itlag_monitor_up", "Whether the monitor's last probe passed (1) or failed (0).",
			[]string{"monitor"}, nil),
		responseSeconds: d("itlag_monitor_response_seconds", "The monitor's last probe's response time.",
			[]string{"monitor"}, nil),
		responseMS: d("itlag_monitor_response_ms", "Deprecated, to be removed in the next version: use itlag_monitor_response_seconds. The last probe's response time in milliseconds.",
			[]string{"monitor"}, nil),
		certExpiry: d("itlag_certificate_expiry_timestamp_seconds", "When the certificate the tls or https monitor last saw expires, in Unix seconds.",
			[]string{"monitor"}, nil),
		findings: d("itlag_findings", "Open findings by severity.", []string{"severity"}, nil),
		nasMetric: d("itlag_nas_metric", "A NAS reading without a metric of its own, in the unit the NAS provider reports (on: the mount, array or device it is about, if any).",
			[]string{"nas", "metric", "on"}, nil),
		observedMetric: d("itlag_observed_metric", "A number another source reported (source: \"noip:noip\", \"dmarc:DOMAIN\", …), in its own unit.",
			[]string{"source", "metric", "on"}, nil),
		backupLast: d("itlag_backup_last_success_timestamp_seconds", "When the job's latest snapshot in the destination was taken, in Unix seconds.",
			[]string{"job", "destination"}, nil),
		backupAge: d("itlag_backup_age_seconds", "How old the job's latest snapshot in the destination was at the last observation.",
			[]string{"job", "destination"}, nil),
		backupOK: d("itlag_backup_ok", "1 when the job's destination is ok (a recent enough snapshot), 0 when late, missing or unreachable.",
			[]string{"job", "destination"}, nil),
		backupSize: d("itlag_backup_repository_size_bytes", "Size on disk of the destination's repository (local repositories only).",
			[]string{"job", "destination"}, nil),
		expiry: d("itlag_expiry_timestamp_seconds", "When the subscription or domain registration lapses unless renewed, in Unix seconds.",
			[]string{"name", "kind", "provider"}, nil),
		mailOpen: d("itlag_mail_confirmations_open", "Confirmations the IT mailbox is waiting for.", nil, nil),
		mailDeadline: d("itlag_mail_confirmation_deadline_timestamp_seconds", "The deadline of an open confirmation, in Unix seconds.",
			[]string{"id", "target"}, nil),
		nas: newNASGauges(),
	}
}

// Describe sends every metric's description.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.observed, c.monitorUp, c.responseSeconds, c.responseMS,
		c.certExpiry, c.findings, c.nasMetric, c.observedMetric, c.backupLast, c.backupAge,
		c.backupOK, c.backupSize, c.expiry, c.mailOpen, c.mailDeadline} {
		ch <- d
	}
	for _, k := range slices.Sorted(maps.Keys(c.nas)) {
		ch <- c.nas[k].desc
	}
}

// Collect reads one snapshot and sends its series. A series that cannot
// be made (a label value that is not UTF-8) is sent as an invalid metric,
// which the registry reports without dropping the others.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	s := c.snap()
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		m, err := prometheus.NewConstMetric(d, prometheus.GaugeValue, v, labels...)
		if err != nil {
			m = prometheus.NewInvalidMetric(d, err)
		}
		ch <- m
	}
	if !s.ObservedAt.IsZero() {
		gauge(c.observed, unix(s.ObservedAt))
	}
	for _, m := range s.Monitors {
		gauge(c.monitorUp, bool01(m.Up), m.Name)
		gauge(c.responseSeconds, m.Response.Seconds(), m.Name)
		gauge(c.responseMS, float64(m.Response.Microseconds())/1000, m.Name)
		if !m.CertNotAfter.IsZero() {
			gauge(c.certExpiry, unix(m.CertNotAfter), m.Name)
		}
	}
	for sev, n := range s.Findings {
		gauge(c.findings, float64(n), sev)
	}
	for key, v := range s.Metrics {
		c.collectMetric(gauge, key, v)
	}
	for _, b := range s.Backups {
		gauge(c.backupOK, bool01(b.OK), b.Job, b.Destination)
		if !b.LastSuccess.IsZero() {
			gauge(c.backupLast, unix(b.LastSuccess), b.Job, b.Destination)
			gauge(c.backupAge, b.Age.Seconds(), b.Job, b.Destination)
		}
		if b.SizeBytes >= 0 {
			gauge(c.backupSize, float64(b.SizeBytes), b.Job, b.Destination)
		}
	}
	for _, e := range s.Expiries {
		if !e.Date.IsZero() {
			gauge(c.expiry, unix(e.Date), e.Name, e.Kind, e.Provider)
		}
	}
	if s.Mail != nil {
		gauge(c.mailOpen, float64(len(s.Mail.Confirmations)))
		for _, cf := range s.Mail.Confirmations {
			if !cf.Deadline.IsZero() {
				gauge(c.mailDeadline, unix(cf.Deadline), strconv.FormatInt(cf.ID, 10), cf.Target)
			}
		}
	}
}

// collectMetric sends one key of Snapshot.Metrics under its metric (see
// Snapshot.Metrics).
func (c *Collector) collectMetric(gauge func(*prometheus.Desc, float64, ...string), key string, v float64) {
	source, metric, on, ok := splitKey(key)
	nas, isNAS := strings.CutPrefix(source, "nas:")
	switch {
	case !ok || !isNAS:
		gauge(c.observedMetric, v, source, metric, on)
	case c.nas[metric].desc != nil && (c.nas[metric].on != "") == (on != ""):
		g := c.nas[metric]
		if g.on == "" {
			gauge(g.desc, g.value(v), nas)
		} else {
			gauge(g.desc, g.value(v), nas, on)
		}
	default:
		gauge(c.nasMetric, v, nas, metric, on)
	}
}

// unix is t in Unix seconds (UnixNano would overflow past 2262: a
// declared date may be far off).
func unix(t time.Time) float64 { return float64(t.Unix()) + float64(t.Nanosecond())/1e9 }

func bool01(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
