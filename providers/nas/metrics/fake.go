package metrics

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/lagrieta/itlag/providers/nas/remote"
)

// FakeOptions shape the Synology-like NAS that WriteFakeRoot writes. The
// zero value is a healthy NAS.
type FakeOptions struct {
	// DiskPercent is how full /volume1 is; default 42.
	DiskPercent float64
	// DegradedRAID: the data array md2 (RAID1) lost its second disk,
	// "[2/1] [U_]".
	DegradedRAID bool
	// Resyncing: md2 is resyncing (both disks present).
	Resyncing bool
	// MissingProcesses are left out of FakeProcesses.
	MissingProcesses []string
	// FailingDisk: /dev/sata2 fails its SMART health check.
	FailingDisk bool
	// CPUs defaults to 4; Load (all three load averages) to 0.5;
	// MemAvailablePercent to 60; CPUPercent (how busy the CPUs are between
	// the script's two samples) to 12.5.
	CPUs                                  int
	Load, MemAvailablePercent, CPUPercent float64
	// FailedLogins are the failed SSH logins in its var/log/auth.log.
	FailedLogins int
}

// FakeProcesses are the commands running on a fake NAS.
func FakeProcesses() []string {
	return []string{"crond", "nginx", "nmbd", "ntpd", "postgres", "scemd", "smbd", "sshd",
		"synoscgi", "synostoraged", "syslog-ng", "systemd", "systemd-journal"}
}

// WriteFakeRoot writes under dir a fake NAS for Script to run against
// through remote.Local{Root: dir}: proc/{stat,loadavg,meminfo,uptime,mdstat},
// sys/block/{sata1,sata2}, and small scripts in bin/ (shell built-ins only)
// that Script puts first on PATH: df, ps, nproc and smartctl print canned output, and sleep makes
// the CPU counters of proc/stat advance (so each run sees CPUPercent), at
// once. Nothing reads the real machine.
func WriteFakeRoot(dir string, o FakeOptions) error {
	if o.DiskPercent == 0 {
		o.DiskPercent = 42
	}
	if o.CPUs <= 0 {
		o.CPUs = 4
	}
	if o.Load == 0 {
		o.Load = 0.5
	}
	if o.MemAvailablePercent == 0 {
		o.MemAvailablePercent = 60
	}
	if o.CPUPercent == 0 {
		o.CPUPercent = 12.5
	}
	if o.DiskPercent < 0 || o.DiskPercent > 100 || o.CPUPercent < 0 || o.CPUPercent > 100 ||
		o.MemAvailablePercent < 0 || o.MemAvailablePercent > 100 {
		return fmt.Errorf("metrics: fake root: percentages must be within 0..100")
	}
	files := map[string]string{
		"proc/stat":    fakeStat(o.CPUs),
		"proc/loadavg": fmt.Sprintf("%.2f %.2f %.2f 2/412 23817\n", o.Load, o.Load, o.Load),
		"proc/meminfo": fakeMeminfo(o.MemAvailablePercent),
		"proc/uptime":  "1209631.42 4711520.18\n",
		"proc/mdstat":  fakeMdstat(o),
		"bin/df":       script1(fakeDF(o.DiskPercent)),
		"bin/ps":       script1(strings.Join(fakeRunning(o.MissingProcesses), "\n") + "\n"),
		"bin/nproc":    script1(fmt.Sprintf("%d\n", o.CPUs)),
		"bin/smartctl": fakeSmartctl(o.FailingDisk),
		"bin/sleep":    fakeSleep(o.CPUPercent),
		"var/log/auth.log": strings.Repeat("Nov 26 03:12:01 nas sshd[4121]: Failed password for invalid user admin from 198.51.100.23 port 52311 ssh2\n", o.FailedLogins) +
			"Nov 26 08:00:00 nas sshd[4200]: Accepted publickey for itlag from 192.0.2.5 port 50022 ssh2\n",
	}
	for _, d := range []string{"proc", "bin", "sys/block/sata1", "sys/block/sata2", "var/log"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return fmt.Errorf("metrics: fake root: %w", err)
		}
	}
	for name, content := range files {
		mode := os.FileMode(0o644)
		if strings.HasPrefix(name, "bin/") {
			mode = 0o755
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), mode); err != nil {
			return fmt.Errorf("metrics: fake root: %w", err)
		}
	}
	return nil
}

// script1 is a command that prints out, whatever its arguments, with shell
// built-ins only.
func script1(out string) string {
	return "#!/bin/sh\n# itlag fake NAS: canned output.\nprintf '%s' " + remote.ShellQuote(out) + "\n"
}

func fakeStat(cpus int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "cpu  %d 0 %d %d 0 0 0 0 0 0\n", 100000*cpus, 50000*cpus, 1000000*cpus)
	for i := range cpus {
		fmt.Fprintf(&b, "cpu%d %d 0 %d %d 0 0 0 0 0 0\n", i, 100000, 50000, 1000000)
	}
	b.WriteString("intr 123456 0 0\nctxt 987654\nbtime 1764000000\nprocesses 23817\nprocs_running 2\nprocs_blocked 0\n")
	return b.String()
}

// fakeSleep advances user and idle time of every cpu line so that the
// busy share between two samples is busy percent.
func fakeSleep(busy float64) string {
	u := int(math.Round(busy * 10))
	return fmt.Sprintf(`#!/bin/sh
# itlag fake NAS: time passes at once; the CPU counters advance.
# Shell built-ins only.
f="${ITLAG_ROOT}/proc/stat"
out=$(while read -r n u ni sy id rest; do
  case "$n" in
    cpu*) echo "$n $((u + %d)) $ni $sy $((id + %d)) $rest" ;;
    *) echo "$n $u $ni $sy $id $rest" ;;
  esac
done < "$f")
printf '%%s\n' "$out" > "$f"
`, u, 1000-u)
}

func fakeMeminfo(availPercent float64) string {
	const total = 8038872
	avail := int64(total * availPercent / 100)
	return fmt.Sprintf(`MemTotal:        %d kB
MemFree:         %d kB
MemAvailable:    %d kB
Buffers:          112340 kB
Cached:          %d kB
SwapCached:            0 kB
SwapTotal:       6710780 kB
SwapFree:        6710780 kB
`, total, avail/3, avail, avail/2)
}

func fakeMdstat(o FakeOptions) string {
	data := "md2 : active raid1 sata1p5[0] sata2p5[1]\n      3896291584 blocks super 1.2 [2/2] [UU]\n"
	switch {
	case o.DegradedRAID:
		data = "md2 : active raid1 sata1p5[0] sata2p5[1](F)\n      3896291584 blocks super 1.2 [2/1] [U_]\n"
	case o.Resyncing:
		data += "      [==>..................]  resync = 12.6% (491032576/3896291584) finish=312.4min speed=181688K/sec\n"
	}
	return "Personalities : [raid1] [linear] [raid0] [raid10] [raid6] [raid5] [raid4]\n" + data + `      
md1 : active raid1 sata1p2[0] sata2p2[1]
      2097088 blocks [16/2] [UU______________]
      
md0 : active raid1 sata1p1[0] sata2p1[1]
      8388544 blocks [16/2] [UU______________]
      
unused devices: <none>
`
}

func fakeDF(percent float64) string {
	const size = 3835538432 // KiB of /volume1
	used := int64(size * percent / 100)
	return fmt.Sprintf(`Filesystem              1024-blocks       Used  Available Capacity Mounted on
/dev/md0                    8191416    1734260    6338372      22%% /
devtmpfs                    4004280          0    4004280       0%% /dev
tmpfs                       4019436        244    4019192       1%% /dev/shm
tmpfs                       4019436      20100    3999336       1%% /run
/dev/mapper/cachedev_0   %10d %10d %10d      %2.0f%% /volume1
`, int64(size), used, size-used, math.Ceil(percent))
}

func fakeRunning(missing []string) []string {
	return slices.DeleteFunc(FakeProcesses(), func(p string) bool { return slices.Contains(missing, p) })
}

func fakeSmartctl(failing bool) string {
	verdict := "PASSED"
	if failing {
		verdict = "FAILED!"
	}
	return fmt.Sprintf(`#!/bin/sh
# itlag fake NAS: smartctl -H for sata1 and sata2.
for a; do dev=$a; done
echo "smartctl 6.5 (build date Sep 26 2022) [x86_64-linux-4.4.302+] (local build)"
echo
echo "=== START OF READ SMART DATA SECTION ==="
case "$dev" in
  /dev/sata2) echo "SMART overall-health self-assessment test result: %s" ;;
  *) echo "SMART overall-health self-assessment test result: PASSED" ;;
esac
`, verdict)
}
