package metrics

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/lagrieta/itlag/finding"
)

// Thresholds say when a Sample is a problem. A zero field takes its
// default.
type Thresholds struct {
	// DiskPercent: a volume this full or more is high, and critical from
	// 98% (or from DiskPercent when that is higher). Default 90.
	DiskPercent float64
	// MemoryAvailablePercent: less available memory than this share of
	// the total is medium. Default 10.
	MemoryAvailablePercent float64
	// LoadPerCPU: a 5-minute load average above this many per CPU is
	// medium. Default 2.
	LoadPerCPU float64
	// FailedLogins: this many failed SSH logins or more in the current
	// auth log is medium. Default 20.
	FailedLogins int
	// Processes are command names expected to run; one missing is high.
	// Names are compared as the kernel keeps them (first 15 characters).
	Processes []string
	// IgnoreMounts are mount-point globs (path.Match) not checked; a glob
	// matching a directory covers the mounts below it ("/volumeUSB*"
	// ignores /volumeUSB1/usbshare). Pseudo file systems (tmpfs, devtmpfs,
	// overlay…) are always ignored.
	IgnoreMounts []string
}

const criticalDiskPercent = 98

// WithDefaults is t with every zero threshold set to its default.
func (t Thresholds) WithDefaults() Thresholds {
	if t.DiskPercent <= 0 {
		t.DiskPercent = 90
	}
	if t.MemoryAvailablePercent <= 0 {
		t.MemoryAvailablePercent = 10
	}
	if t.LoadPerCPU <= 0 {
		t.LoadPerCPU = 2
	}
	if t.FailedLogins <= 0 {
		t.FailedLogins = 20
	}
	return t
}

// ignored reports whether v is not checked (nor kept in Metrics).
func (t Thresholds) ignored(v Volume) bool {
	if v.Pseudo() {
		return true
	}
	for _, g := range t.IgnoreMounts {
		// The mount or a directory above it ("/mnt" ignores /mnt/ext),
		// but "/" only ignores the root file system.
		if ok, _ := path.Match(g, v.Mount); ok {
			return true
		}
		for m := path.Dir(v.Mount); m != "/" && m != "."; m = path.Dir(m) {
			if ok, _ := path.Match(g, m); ok {
				return true
			}
		}
	}
	return false
}

// Evaluate returns s's problems as findings from source ("nas:office"), in
// a stable order. Fingerprints depend on source and the thing (volume,
// array, process, disk, "memory", "load"), not on the numbers, which the
// summaries carry:
//
//	volume ≥ DiskPercent                  high (≥ 98%: critical)
//	RAID array degraded or inactive       critical
//	RAID array resyncing/recovering       medium (critical when degraded)
//	available memory < threshold          medium
//	5-min load per CPU > threshold        medium
//	expected process not running          high
//	no process list to check them in      low
//	SMART says a disk is failing          critical
func Evaluate(source string, s Sample, t Thresholds) []finding.Finding {
	t = t.WithDefaults()
	var out []finding.Finding
	add := func(sev finding.Severity, key, format string, args ...any) {
		out = append(out, finding.New(sev, source, key, fmt.Sprintf(format, args...)))
	}

	if s.FailedLogins >= t.FailedLogins && t.FailedLogins > 0 {
		add(finding.Medium, "auth-failures", "%d failed SSH login(s) in %s: check the sources, consider a ban list", s.FailedLogins, s.AuthLog)
	}
	crit := max(criticalDiskPercent, t.DiskPercent)
	for _, v := range sortedVolumes(s.Volumes) {
		if t.ignored(v) || v.UsedPercent < t.DiskPercent {
			continue
		}
		sev := finding.High
		if v.UsedPercent >= crit {
			sev = finding.Critical
		}
		add(sev, "volume:"+v.Mount, "volume %s is %.1f%% full (%s available of %s; threshold %.0f%%)",
			v.Mount, v.UsedPercent, humanKB(v.AvailableKB), humanKB(v.SizeKB), t.DiskPercent)
	}

	for _, a := range s.RAID {
		switch {
		case a.Degraded:
			add(finding.Critical, "raid-degraded:"+a.Name, "RAID %s (%s) is degraded: %d of %d devices active (%s)",
				a.Name, a.Level, a.Active, a.Devices, a.Status)
		case a.Syncing():
			add(finding.Medium, "raid-sync:"+a.Name, "RAID %s (%s) is resyncing: %s", a.Name, a.Level, a.Status)
		}
	}

	if s.MemTotalKB > 0 {
		avail := float64(s.MemAvailableKB) * 100 / float64(s.MemTotalKB)
		if avail < t.MemoryAvailablePercent {
			add(finding.Medium, "memory", "only %.1f%% of memory available (%s of %s; threshold %.0f%%)",
				avail, humanKB(s.MemAvailableKB), humanKB(s.MemTotalKB), t.MemoryAvailablePercent)
		}
	}

	if !slices.Contains(s.Missing, "load") {
		cpus := max(s.CPUs, 1)
		if per := s.Load5 / float64(cpus); per > t.LoadPerCPU {
			add(finding.Medium, "load", "load %.2f (5 min) on %d CPUs is %.2f per CPU (threshold %.1f)",
				s.Load5, cpus, per, t.LoadPerCPU)
		}
	}

	switch {
	case len(t.Processes) == 0:
	case slices.Contains(s.Missing, "processes"):
		add(finding.Low, "process-list", "cannot check processes %s: the host printed no process list",
			strings.Join(t.Processes, ", "))
	default:
		for _, p := range t.Processes {
			if !running(s.Processes, p) {
				add(finding.High, "process:"+p, "process %s is not running", p)
			}
		}
	}

	for _, d := range s.SMART {
		if d.Failing() {
			add(finding.Critical, "smart:"+d.Device, "disk %s fails its SMART health check (%s)", d.Device, d.Status)
		}
	}
	return out
}

// running reports whether name is among procs, comparing as the kernel
// truncates command names (15 characters) and ignoring a directory.
func running(procs []string, name string) bool {
	name = path.Base(name)
	if len(name) > 15 {
		name = name[:15]
	}
	return slices.Contains(procs, name)
}

func sortedVolumes(vs []Volume) []Volume {
	vs = slices.Clone(vs)
	slices.SortStableFunc(vs, func(a, b Volume) int { return strings.Compare(a.Mount, b.Mount) })
	return vs
}

// humanKB prints a size in KiB with a binary unit: "1.8 TiB".
func humanKB(kb int64) string {
	v := float64(kb)
	for _, unit := range []string{"KiB", "MiB", "GiB", "TiB"} {
		if v < 1024 || unit == "TiB" {
			return fmt.Sprintf("%.1f %s", v, unit)
		}
		v /= 1024
	}
	return ""
}

// Metrics flattens s for monitoring history: "cpu_percent", "cpus",
// "load1", "load5", "load15", "mem_total_kb", "mem_available_percent",
// "uptime_seconds", "process_names" (distinct names running), and per thing
// "disk_used_percent:<mount>", "disk_used_bytes:<mount>",
// "disk_size_bytes:<mount>", "raid_degraded:<md>" (0/1),
// "raid_syncing:<md>" (0/1), "smart_healthy:<device>" (0/1). Sections the
// host did not print and pseudo file systems have no key.
func Metrics(s Sample) map[string]float64 {
	m := map[string]float64{}
	has := func(what string) bool { return !slices.Contains(s.Missing, what) }
	if has("cpu") {
		m["cpu_percent"] = s.CPUPercent
	}
	if has("cpus") {
		m["cpus"] = float64(s.CPUs)
	}
	if has("load") {
		m["load1"], m["load5"], m["load15"] = s.Load1, s.Load5, s.Load15
	}
	if has("memory") && s.MemTotalKB > 0 {
		m["mem_total_kb"] = float64(s.MemTotalKB)
		m["mem_available_percent"] = float64(s.MemAvailableKB) * 100 / float64(s.MemTotalKB)
	}
	if has("uptime") {
		m["uptime_seconds"] = s.UptimeSeconds
	}
	if s.FailedLogins >= 0 {
		m["failed_logins"] = float64(s.FailedLogins)
	}
	if has("processes") {
		m["process_names"] = float64(len(s.Processes))
	}
	for _, v := range s.Volumes {
		if !v.Pseudo() {
			m["disk_used_percent:"+v.Mount] = v.UsedPercent
			m["disk_used_bytes:"+v.Mount] = float64(v.UsedKB) * 1024
			m["disk_size_bytes:"+v.Mount] = float64(v.SizeKB) * 1024
		}
	}
	for _, a := range s.RAID {
		m["raid_degraded:"+a.Name] = bool01(a.Degraded)
		m["raid_syncing:"+a.Name] = bool01(a.Syncing())
	}
	for _, d := range s.SMART {
		if d.Status != "unknown" && d.Status != "standby" {
			m["smart_healthy:"+d.Device] = bool01(d.Healthy)
		}
	}
	return m
}

func bool01(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
