package promexport

import (
	"strings"

	"github.com/prometheus/client_golang/prometheus"
)

// nasGauge is a well-known NAS metric exported under a name of its own.
type nasGauge struct {
	nasSpec
	desc *prometheus.Desc
}

// value is v, in the provider's unit, in the metric's base unit.
func (g nasGauge) value(v float64) float64 {
	if g.scale == 0 {
		return v / 100
	}
	return v * g.scale
}

// nasSpec names one well-known key of the NAS provider (see
// providers/nas/metrics.Metrics).
type nasSpec struct {
	key, name, help string
	// scale turns the provider's unit into the base unit (1024: KiB to
	// bytes); 0 for a percentage, exported as a ratio.
	scale float64
	// on is the label that names the part of the key after ":" (a
	// mount, an array, a device); "" for a key without one.
	on string
}

// nasSpecs are the NAS keys with a metric of their own; the others go to
// itlag_nas_metric.
var nasSpecs = []nasSpec{
	{"cpu_percent", "itlag_nas_cpu_ratio", "CPU busy on the NAS, from 0 to 1.", 0, ""},
	{"cpus", "itlag_nas_cpus", "CPUs of the NAS.", 1, ""},
	{"load1", "itlag_nas_load1", "Load average of the NAS over 1 minute.", 1, ""},
	{"load5", "itlag_nas_load5", "Load average of the NAS over 5 minutes.", 1, ""},
	{"load15", "itlag_nas_load15", "Load average of the NAS over 15 minutes.", 1, ""},
	{"mem_total_kb", "itlag_nas_memory_total_bytes", "Memory of the NAS.", 1024, ""},
	{"mem_available_percent", "itlag_nas_memory_available_ratio", "Memory available on the NAS, from 0 to 1.", 0, ""},
	{"uptime_seconds", "itlag_nas_uptime_seconds", "Time since the NAS booted.", 1, ""},
	{"disk_used_percent", "itlag_nas_disk_used_ratio", "Space used on a file system of the NAS, from 0 to 1.", 0, "mount"},
	{"raid_degraded", "itlag_nas_raid_degraded", "1 when a RAID array of the NAS is degraded.", 1, "array"},
	{"raid_syncing", "itlag_nas_raid_syncing", "1 while a RAID array of the NAS resyncs or rebuilds.", 1, "array"},
	{"smart_healthy", "itlag_nas_smart_healthy", "1 when a disk of the NAS passes its SMART health check.", 1, "device"},
}

// newNASGauges makes the descriptions of nasSpecs, by key.
func newNASGauges() map[string]nasGauge {
	out := make(map[string]nasGauge, len(nasSpecs))
	for _, s := range nasSpecs {
		labels := []string{"nas"}
		if s.on != "" {
			labels = append(labels, s.on)
		}
		out[s.key] = nasGauge{nasSpec: s, desc: prometheus.NewDesc(s.name, s.help, labels, nil)}
	}
	return out
}

// splitKey splits a metric key "SOURCE/METRIC[:ON]"; ok is false when it
// has no "/".
func splitKey(key string) (source, metric, on string, ok bool) {
	source, rest, ok := strings.Cut(key, "/")
	if !ok {
		return "", key, "", false
	}
	metric, on, _ = strings.Cut(rest, ":")
	return source, metric, on, true
}
