package metrics

import (
	"errors"
	"path"
	"slices"
	"strconv"
	"strings"
)

// Sample is one observation of a NAS. A section the host did not print
// leaves its fields zero and is named in Missing.
type Sample struct {
	// CPUPercent is the busy share of all CPUs between the two samples.
	CPUPercent           float64
	Load1, Load5, Load15 float64
	CPUs                 int
	MemTotalKB           int64
	// MemAvailableKB is MemAvailable, or MemFree+Buffers+Cached on kernels
	// older than 3.14.
	MemAvailableKB int64
	// Volumes are every file system df printed, pseudo ones included.
	Volumes []Volume
	// RAID are the md arrays of /proc/mdstat (none when it is absent).
	RAID          []Array
	UptimeSeconds float64
	// Processes are the running command names (comm: at most 15
	// characters), sorted, without duplicates.
	Processes []string
	// SMART has one entry per disk when smartctl exists.
	SMART []Disk
	// FailedLogins counts failed SSH logins in the current auth log
	// (AuthLog); -1 when no auth log is readable.
	FailedLogins int
	AuthLog      string
	// Missing names the expected sections that were absent or unreadable:
	// "cpu", "cpus", "load", "memory", "uptime", "volumes", "processes".
	Missing []string
}

// Volume is one line of df -Pk.
type Volume struct {
	Mount string
	// FS is df's first column: the device ("/dev/md2") or "tmpfs"…
	FS                          string
	SizeKB, UsedKB, AvailableKB int64
	// UsedPercent is Used/(Used+Available), as df's capacity (reserved
	// blocks make Size more than Used+Available).
	UsedPercent float64
}

// Pseudo reports whether v is a memory or container file system (tmpfs,
// devtmpfs, overlay…), ignored by default.
func (v Volume) Pseudo() bool {
	switch v.FS {
	case "tmpfs", "devtmpfs", "overlay", "udev", "none", "shm", "devfs", "ramfs", "rootfs",
		"cgroup", "cgroup2", "cgroup_root":
		return true
	}
	return v.SizeKB == 0
}

// Array is one md array.
type Array struct {
	Name  string // "md2"
	Level string // "raid1", "raid5", "linear"…
	// Devices is the number of member slots, Active how many are in use.
	Devices, Active int
	// Degraded: a member failed or a slot is empty. Synology and QNAP
	// mirror their system partitions (md0, md1, md9, md13) over many more
	// slots than disks, "[16/2] [UU______________]": a RAID1 of more than
	// four slots with no failed member is not counted as degraded.
	Degraded bool
	// Status is "active", "inactive", or "active" followed by the sync
	// running: "active, resync 12.6%", "active, recovery 8.5%",
	// "active, check 45.0%", "active, resync delayed".
	Status string
}

// Syncing reports whether the array is rebuilding or resyncing (a
// scheduled check is not).
func (a Array) Syncing() bool {
	for _, w := range []string{"resync", "recovery", "reshape"} {
		if strings.Contains(a.Status, w) {
			return true
		}
	}
	return false
}

// Disk is one disk's SMART overall health.
type Disk struct {
	Device  string // "/dev/sda"
	Healthy bool
	// Status is smartctl's verdict ("PASSED", "OK", "FAILED"…), "standby"
	// when the disk slept (not woken), or "unknown" (no permission, no
	// SMART support).
	Status string
}

// Failing reports whether smartctl said the disk is failing.
func (d Disk) Failing() bool {
	return !d.Healthy && d.Status != "standby" && d.Status != "unknown"
}

type section struct {
	name, arg string
	lines     []string
}

// Parse reads the output of Script. Missing or garbled sections leave
// their fields zero and are named in Sample.Missing; only output with no
// section at all is an error.
func Parse(out []byte) (Sample, error) {
	var secs []*section
	for _, line := range strings.Split(strings.ReplaceAll(string(out), "\r\n", "\n"), "\n") {
		if rest, ok := strings.CutPrefix(line, marker); ok {
			name, arg, _ := strings.Cut(strings.TrimSpace(rest), " ")
			secs = append(secs, &section{name: name, arg: strings.TrimSpace(arg)})
			continue
		}
		if len(secs) > 0 && strings.TrimSpace(line) != "" {
			secs[len(secs)-1].lines = append(secs[len(secs)-1].lines, line)
		}
	}
	if len(secs) == 0 {
		return Sample{}, errors.New("metrics: no section markers: not the metrics script's output")
	}
	get := func(name string) *section {
		for _, s := range secs {
			if s.name == name {
				return s
			}
		}
		return nil
	}
	var s Sample
	var missing []string
	miss := func(what string, ok bool) {
		if !ok {
			missing = append(missing, what)
		}
	}

	stat1, stat2 := get("stat1"), get("stat2")
	cpu, ok := cpuPercent(stat1, stat2)
	s.CPUPercent = cpu
	miss("cpu", ok)
	s.CPUs = parseCPUs(get("cpus"), stat1)
	miss("cpus", s.CPUs > 0)
	miss("load", parseLoad(get("loadavg"), &s))
	miss("memory", parseMeminfo(get("meminfo"), &s))
	miss("uptime", parseUptime(get("uptime"), &s))
	s.Volumes = parseDF(get("df"))
	miss("volumes", len(s.Volumes) > 0)
	if sec := get("mdstat"); sec != nil {
		s.RAID = parseMdstat(sec.lines)
	}
	s.Processes = parseProcesses(get("ps"), get("ps-table"))
	miss("processes", len(s.Processes) > 0)
	for _, sec := range secs {
		if sec.name == "smart" && sec.arg != "" {
			s.SMART = append(s.SMART, parseSMART(sec.arg, sec.lines))
		}
	}
	s.FailedLogins = -1
	if sec := get("authfail"); sec != nil {
		s.FailedLogins, s.AuthLog = firstInt(sec.lines), sec.arg
	}
	s.Missing = missing
	return s, nil
}

// firstInt reads a section holding one count; -1 when it holds none.
func firstInt(lines []string) int {
	for _, l := range lines {
		if n, err := strconv.Atoi(strings.TrimSpace(l)); err == nil && n >= 0 {
			return n
		}
	}
	return -1
}

// cpuPercent compares the aggregate "cpu" lines of two /proc/stat samples.
func cpuPercent(a, b *section) (float64, bool) {
	if a == nil || b == nil {
		return 0, false
	}
	t1, i1, ok1 := cpuTimes(a.lines)
	t2, i2, ok2 := cpuTimes(b.lines)
	if !ok1 || !ok2 || t2 <= t1 {
		return 0, false
	}
	busy := 1 - float64(i2-i1)/float64(t2-t1)
	return min(max(busy*100, 0), 100), true
}

// cpuTimes sums user..steal (guest is already in user) and idle+iowait.
func cpuTimes(lines []string) (total, idle uint64, ok bool) {
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) < 5 || f[0] != "cpu" {
			continue
		}
		for i, v := range f[1:min(len(f), 9)] {
			n, err := strconv.ParseUint(v, 10, 64)
			if err != nil {
				return 0, 0, false
			}
			total += n
			if i == 3 || i == 4 { // idle, iowait
				idle += n
			}
		}
		return total, idle, true
	}
	return 0, 0, false
}

// parseCPUs reads nproc, else counts the cpuN lines of /proc/stat.
func parseCPUs(sec, stat *section) int {
	if sec != nil && len(sec.lines) > 0 {
		if n, err := strconv.Atoi(strings.TrimSpace(sec.lines[0])); err == nil && n > 0 {
			return n
		}
	}
	n := 0
	if stat != nil {
		for _, l := range stat.lines {
			if f := strings.Fields(l); len(f) > 0 && len(f[0]) > 3 && strings.HasPrefix(f[0], "cpu") {
				n++
			}
		}
	}
	return n
}

func parseLoad(sec *section, s *Sample) bool {
	if sec == nil || len(sec.lines) == 0 {
		return false
	}
	f := strings.Fields(sec.lines[0])
	if len(f) < 3 {
		return false
	}
	var vals [3]float64
	for i := range vals {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			return false
		}
		vals[i] = v
	}
	s.Load1, s.Load5, s.Load15 = vals[0], vals[1], vals[2]
	return true
}

func parseMeminfo(sec *section, s *Sample) bool {
	if sec == nil {
		return false
	}
	kb := map[string]int64{}
	for _, l := range sec.lines {
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			continue
		}
		f := strings.Fields(v)
		if len(f) == 0 {
			continue
		}
		if n, err := strconv.ParseInt(f[0], 10, 64); err == nil {
			kb[strings.TrimSpace(k)] = n
		}
	}
	total, ok := kb["MemTotal"]
	if !ok || total <= 0 {
		return false
	}
	s.MemTotalKB = total
	if avail, ok := kb["MemAvailable"]; ok {
		s.MemAvailableKB = avail
	} else {
		s.MemAvailableKB = min(kb["MemFree"]+kb["Buffers"]+kb["Cached"], total)
	}
	return true
}

func parseUptime(sec *section, s *Sample) bool {
	if sec == nil || len(sec.lines) == 0 {
		return false
	}
	f := strings.Fields(sec.lines[0])
	if len(f) == 0 {
		return false
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil || v < 0 {
		return false
	}
	s.UptimeSeconds = v
	return true
}

// parseDF reads df -Pk (or df -k, whose long device names wrap onto a line
// of their own): "fs size used avail capacity% mount".
func parseDF(sec *section) []Volume {
	if sec == nil {
		return nil
	}
	var vols []Volume
	var pending []string
	for _, l := range sec.lines {
		f := strings.Fields(l)
		if len(f) > 0 && f[0] == "Filesystem" {
			continue
		}
		if len(pending) > 0 {
			f = append(pending, f...)
			pending = nil
		}
		if len(f) < 6 {
			if len(f) == 1 {
				pending = f
			}
			continue
		}
		size, e1 := strconv.ParseInt(f[1], 10, 64)
		used, e2 := strconv.ParseInt(f[2], 10, 64)
		avail, e3 := strconv.ParseInt(f[3], 10, 64)
		if e1 != nil || e2 != nil || e3 != nil || !strings.HasSuffix(f[4], "%") && f[4] != "-" {
			continue
		}
		v := Volume{FS: f[0], Mount: strings.Join(f[5:], " "), SizeKB: size, UsedKB: used, AvailableKB: avail}
		if used+avail > 0 {
			v.UsedPercent = float64(used) * 100 / float64(used+avail)
		}
		vols = append(vols, v)
	}
	return vols
}

// parseProcesses reads "ps -eo comm=" or /proc/*/comm (one name a line),
// or a BusyBox ps table (the COMMAND column).
func parseProcesses(comm, table *section) []string {
	var names []string
	if comm != nil {
		for i, l := range comm.lines {
			n := strings.TrimSpace(l)
			if i == 0 && (n == "COMMAND" || n == "CMD") {
				continue
			}
			names = append(names, n)
		}
	}
	if table != nil && len(table.lines) > 0 {
		col := slices.IndexFunc(strings.Fields(table.lines[0]), func(h string) bool {
			return h == "COMMAND" || h == "CMD"
		})
		for _, l := range table.lines[1:] {
			f := strings.Fields(l)
			if col < 0 || len(f) <= col {
				continue
			}
			names = append(names, commandName(f[col]))
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// commandName turns a BusyBox ps COMMAND ("/usr/bin/foo", "[kworker/0:1]",
// "{script.sh}") into the command's name.
func commandName(c string) string {
	if strings.HasPrefix(c, "[") || strings.HasPrefix(c, "{") {
		return strings.Trim(c, "[]{}")
	}
	return path.Base(c)
}

// parseSMART reads smartctl -H: ATA/NVMe "test result: PASSED", SCSI
// "SMART Health Status: OK".
func parseSMART(dev string, lines []string) Disk {
	d := Disk{Device: dev, Status: "unknown"}
	for _, l := range lines {
		if _, v, ok := strings.Cut(l, "self-assessment test result:"); ok {
			d.Status = strings.TrimRight(strings.TrimSpace(v), "!")
			d.Healthy = d.Status == "PASSED"
			return d
		}
		if _, v, ok := strings.Cut(l, "SMART Health Status:"); ok {
			d.Status = strings.TrimSpace(v)
			d.Healthy = d.Status == "OK"
			return d
		}
		if strings.Contains(l, "STANDBY mode") || strings.Contains(l, "SLEEP mode") {
			d.Status = "standby"
		}
	}
	return d
}
