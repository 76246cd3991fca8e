package metrics

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
)

func readFixture(t *testing.T, name string) Sample {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Parse(data)
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return s
}

func near(a, b float64) bool { return math.Abs(a-b) < 0.01 }

func TestParseFixtures(t *testing.T) {
	tests := []struct {
		file               string
		cpu                float64
		cpus               int
		load               [3]float64
		memTotal, memAvail int64
		uptime             float64
		volumes            int
		volume             Volume // one volume checked in full
		raid               []Array
		procs              []string // some of the processes
		procCount          int
		smart              []Disk
		missing            []string
	}{
		{
			file: "debian.txt", cpu: 35, cpus: 4, load: [3]float64{1.52, 1.21, 0.98},
			memTotal: 16314196, memAvail: 1305136, uptime: 864000.55, volumes: 9,
			volume: Volume{Mount: "/srv/data", FS: "/dev/md0", SizeKB: 3844550452, UsedKB: 3421649900, AvailableKB: 227532108, UsedPercent: 93.765},
			raid: []Array{
				{Name: "md1", Level: "raid1", Devices: 2, Active: 2, Status: "active"},
				{Name: "md0", Level: "raid5", Devices: 3, Active: 3, Status: "active, check 42.1%"},
			},
			procs: []string{"cron", "kworker/0:0H-events_highpri", "smbd", "sshd", "systemd-journal"}, procCount: 16,
			smart: []Disk{
				{Device: "/dev/nvme0n1", Healthy: true, Status: "PASSED"},
				{Device: "/dev/sda", Status: "standby"},
				{Device: "/dev/sdb", Healthy: true, Status: "PASSED"},
			},
		},
		{
			file: "synology.txt", cpu: 30, cpus: 2, load: [3]float64{5.40, 4.80, 4.10},
			memTotal: 6043040, memAvail: 3400000, uptime: 3456789.01, volumes: 8,
			volume: Volume{Mount: "/volume1", FS: "/dev/mapper/cachedev_0", SizeKB: 3746585216, UsedKB: 3686734720, AvailableKB: 59850496, UsedPercent: 98.403},
			raid: []Array{
				{Name: "md2", Level: "raid1", Devices: 2, Active: 1, Degraded: true, Status: "active"},
				{Name: "md1", Level: "raid1", Devices: 16, Active: 2, Status: "active"},
				{Name: "md0", Level: "raid1", Devices: 16, Active: 2, Status: "active"},
			},
			procs: []string{"nginx", "synoscgi", "synostoraged"}, procCount: 16,
			smart: []Disk{
				{Device: "/dev/sata1", Healthy: true, Status: "PASSED"},
				{Device: "/dev/sata2", Status: "FAILED"},
			},
		},
		{
			file: "qnap.txt", cpu: 5, cpus: 4, load: [3]float64{0.41, 0.52, 0.60},
			memTotal: 3926504, memAvail: 1871220, uptime: 98765.43, volumes: 12,
			volume: Volume{Mount: "/share/CACHEDEV1_DATA", FS: "/dev/mapper/cachedev1", SizeKB: 3838640568, UsedKB: 1253480112, AvailableKB: 2585041672, UsedPercent: 32.655},
			raid: []Array{
				{Name: "md1", Level: "raid1", Devices: 2, Active: 2, Status: "active, resync 12.6%"},
				{Name: "md322", Level: "raid1", Devices: 2, Active: 2, Status: "active"},
				{Name: "md256", Level: "raid1", Devices: 2, Active: 2, Status: "active"},
				{Name: "md13", Level: "raid1", Devices: 24, Active: 2, Status: "active"},
				{Name: "md9", Level: "raid1", Devices: 24, Active: 2, Status: "active"},
			},
			procs:     []string{"apache_proxy", "crond", "init", "ksoftirqd/0", "kthreadd", "mysqld", "ps", "qsnapman", "smbd", "sshd"},
			procCount: 10,
		},
		{
			file: "busybox-old.txt", cpus: 1, load: [3]float64{0, 0.01, 0.05},
			memTotal: 253440, memAvail: 122000, volumes: 2,
			volume:    Volume{Mount: "/share/HDA_DATA", FS: "/dev/mapper/vg0-lv_really_long_volume_name", SizeKB: 1919186116, UsedKB: 1823226810, AvailableKB: 95959306, UsedPercent: 95},
			procs:     []string{"inetd", "init", "kthreadd", "smbd"},
			procCount: 4,
			missing:   []string{"cpu", "uptime"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			s := readFixture(t, tt.file)
			if !near(s.CPUPercent, tt.cpu) || s.CPUs != tt.cpus {
				t.Errorf("cpu %.2f%% on %d, want %.2f%% on %d", s.CPUPercent, s.CPUs, tt.cpu, tt.cpus)
			}
			if got := [3]float64{s.Load1, s.Load5, s.Load15}; got != tt.load {
				t.Errorf("load %v, want %v", got, tt.load)
			}
			if s.MemTotalKB != tt.memTotal || s.MemAvailableKB != tt.memAvail {
				t.Errorf("memory %d/%d, want %d/%d", s.MemAvailableKB, s.MemTotalKB, tt.memAvail, tt.memTotal)
			}
			if s.UptimeSeconds != tt.uptime {
				t.Errorf("uptime %v, want %v", s.UptimeSeconds, tt.uptime)
			}
			if len(s.Volumes) != tt.volumes {
				t.Errorf("%d volumes, want %d: %+v", len(s.Volumes), tt.volumes, s.Volumes)
			}
			i := slices.IndexFunc(s.Volumes, func(v Volume) bool { return v.Mount == tt.volume.Mount })
			if i < 0 {
				t.Fatalf("no volume %s", tt.volume.Mount)
			}
			v := s.Volumes[i]
			if v.FS != tt.volume.FS || v.SizeKB != tt.volume.SizeKB || v.UsedKB != tt.volume.UsedKB || v.AvailableKB != tt.volume.AvailableKB || !near(v.UsedPercent, tt.volume.UsedPercent) {
				t.Errorf("volume %+v, want %+v", v, tt.volume)
			}
			if !reflect.DeepEqual(s.RAID, tt.raid) {
				t.Errorf("RAID\n got %+v\nwant %+v", s.RAID, tt.raid)
			}
			if len(s.Processes) != tt.procCount || !slices.IsSorted(s.Processes) {
				t.Errorf("%d processes (sorted: %v), want %d: %q", len(s.Processes), slices.IsSorted(s.Processes), tt.procCount, s.Processes)
			}
			for _, p := range tt.procs {
				if !slices.Contains(s.Processes, p) {
					t.Errorf("process %q not found in %q", p, s.Processes)
				}
			}
			if !reflect.DeepEqual(s.SMART, tt.smart) {
				t.Errorf("SMART\n got %+v\nwant %+v", s.SMART, tt.smart)
			}
			if !reflect.DeepEqual(s.Missing, tt.missing) {
				t.Errorf("missing %q, want %q", s.Missing, tt.missing)
			}
		})
	}
}

func TestParseRejectsForeignOutput(t *testing.T) {
	for _, out := range []string{"", "Permission denied\n", "cpu 1 2 3 4\n"} {
		if _, err := Parse([]byte(out)); err == nil {
			t.Errorf("Parse(%q) accepted", out)
		}
	}
}

func TestParseOnlySomeSections(t *testing.T) {
	s, err := Parse([]byte("@@itlag loadavg\r\n3.00 2.00 1.00 1/2 3\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Load1 != 3 || s.Load15 != 1 {
		t.Errorf("load %v %v %v from CRLF output", s.Load1, s.Load5, s.Load15)
	}
	want := []string{"cpu", "cpus", "memory", "uptime", "volumes", "processes"}
	if !reflect.DeepEqual(s.Missing, want) {
		t.Errorf("missing %q, want %q", s.Missing, want)
	}
}
