package metrics

import (
	"reflect"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/finding"
)

// brief is a finding without its fingerprint: "severity key-ish summary".
func summaries(fs []finding.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, string(f.Severity)+" "+f.Summary)
	}
	return out
}

func healthy() Sample {
	return Sample{
		CPUPercent: 10, Load1: 1, Load5: 1, Load15: 1, CPUs: 4,
		MemTotalKB: 1000, MemAvailableKB: 500,
		Volumes: []Volume{
			{Mount: "/", FS: "/dev/md0", SizeKB: 100, UsedKB: 50, AvailableKB: 50, UsedPercent: 50},
			{Mount: "/dev/shm", FS: "tmpfs", SizeKB: 100, UsedKB: 100, UsedPercent: 100},
			{Mount: "/var/lib/docker", FS: "overlay", SizeKB: 100, UsedKB: 99, AvailableKB: 1, UsedPercent: 99},
		},
		RAID:          []Array{{Name: "md2", Level: "raid1", Devices: 2, Active: 2, Status: "active"}},
		UptimeSeconds: 100,
		Processes:     []string{"smbd", "sshd", "systemd-journal"},
		SMART:         []Disk{{Device: "/dev/sda", Healthy: true, Status: "PASSED"}, {Device: "/dev/sdb", Status: "standby"}, {Device: "/dev/sdc", Status: "unknown"}},
	}
}

func TestEvaluate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Sample)
		th   Thresholds
		want []string
	}{
		{"healthy", func(*Sample) {}, Thresholds{Processes: []string{"smbd", "/usr/sbin/sshd"}}, nil},
		{"volume at threshold is high", func(s *Sample) {
			s.Volumes = append(s.Volumes, Volume{Mount: "/volume1", FS: "/dev/md2", SizeKB: 1 << 30, UsedKB: 966367642, AvailableKB: 107374182, UsedPercent: 90})
		}, Thresholds{}, []string{"high volume /volume1 is 90.0% full (102.4 GiB available of 1.0 TiB; threshold 90%)"}},
		{"volume below threshold", func(s *Sample) {
			s.Volumes = append(s.Volumes, Volume{Mount: "/volume1", FS: "/dev/md2", UsedPercent: 89.9})
		}, Thresholds{}, nil},
		{"volume at 98% is critical", func(s *Sample) {
			s.Volumes = append(s.Volumes, Volume{Mount: "/volume1", FS: "/dev/md2", SizeKB: 100, UsedKB: 98, AvailableKB: 2, UsedPercent: 98})
		}, Thresholds{}, []string{"critical volume /volume1 is 98.0% full (2.0 KiB available of 100.0 KiB; threshold 90%)"}},
		{"custom disk threshold", func(s *Sample) {
			s.Volumes[0].UsedPercent = 50
		}, Thresholds{DiskPercent: 40}, []string{"high volume / is 50.0% full (50.0 KiB available of 100.0 KiB; threshold 40%)"}},
		{"ignored mount", func(s *Sample) {
			s.Volumes = append(s.Volumes, Volume{Mount: "/volumeUSB1/usbshare", FS: "/dev/sdq1", UsedPercent: 99})
		}, Thresholds{IgnoreMounts: []string{"/volumeUSB*"}}, nil},
		{"ignoring / ignores only /", func(s *Sample) {
			s.Volumes[0].UsedPercent = 95
			s.Volumes = append(s.Volumes, Volume{Mount: "/volume1", FS: "/dev/md2", SizeKB: 100, UsedKB: 95, AvailableKB: 5, UsedPercent: 95})
		}, Thresholds{IgnoreMounts: []string{"/"}}, []string{"high volume /volume1 is 95.0% full (5.0 KiB available of 100.0 KiB; threshold 90%)"}},
		{"degraded RAID", func(s *Sample) {
			s.RAID[0] = Array{Name: "md2", Level: "raid1", Devices: 2, Active: 1, Degraded: true, Status: "active"}
		}, Thresholds{}, []string{"critical RAID md2 (raid1) is degraded: 1 of 2 devices active (active)"}},
		{"degraded and rebuilding stays critical", func(s *Sample) {
			s.RAID[0] = Array{Name: "md2", Level: "raid1", Devices: 2, Active: 1, Degraded: true, Status: "active, recovery 8.5%"}
		}, Thresholds{}, []string{"critical RAID md2 (raid1) is degraded: 1 of 2 devices active (active, recovery 8.5%)"}},
		{"resync", func(s *Sample) {
			s.RAID[0].Status = "active, resync 12.6%"
		}, Thresholds{}, []string{"medium RAID md2 (raid1) is resyncing: active, resync 12.6%"}},
		{"scheduled check is fine", func(s *Sample) {
			s.RAID[0].Status = "active, check 42.1%"
		}, Thresholds{}, nil},
		{"low memory", func(s *Sample) {
			s.MemAvailableKB = 99
		}, Thresholds{}, []string{"medium only 9.9% of memory available (99.0 KiB of 1000.0 KiB; threshold 10%)"}},
		{"memory exactly at threshold", func(s *Sample) {
			s.MemAvailableKB = 100
		}, Thresholds{}, nil},
		{"high load", func(s *Sample) {
			s.Load5 = 8.4
		}, Thresholds{}, []string{"medium load 8.40 (5 min) on 4 CPUs is 2.10 per CPU (threshold 2.0)"}},
		{"load at threshold", func(s *Sample) {
			s.Load5 = 8
		}, Thresholds{}, nil},
		{"custom load threshold", func(s *Sample) {
			s.Load5 = 4.4
		}, Thresholds{LoadPerCPU: 1}, []string{"medium load 4.40 (5 min) on 4 CPUs is 1.10 per CPU (threshold 1.0)"}},
		{"missing process", func(*Sample) {}, Thresholds{Processes: []string{"smbd", "nginx"}},
			[]string{"high process nginx is not running"}},
		{"long process name compared truncated", func(*Sample) {}, Thresholds{Processes: []string{"systemd-journald"}}, nil},
		{"no process list", func(s *Sample) {
			s.Processes = nil
			s.Missing = []string{"processes"}
		}, Thresholds{Processes: []string{"smbd"}}, []string{"low cannot check processes smbd: the host printed no process list"}},
		{"failing disk", func(s *Sample) {
			s.SMART[0] = Disk{Device: "/dev/sda", Status: "FAILED"}
		}, Thresholds{}, []string{"critical disk /dev/sda fails its SMART health check (FAILED)"}},
		{"everything at once, in a stable order", func(s *Sample) {
			s.Volumes = append(s.Volumes,
				Volume{Mount: "/volume2", FS: "/dev/md3", SizeKB: 100, UsedKB: 99, AvailableKB: 1, UsedPercent: 99},
				Volume{Mount: "/volume1", FS: "/dev/md2", SizeKB: 100, UsedKB: 91, AvailableKB: 9, UsedPercent: 91})
			s.RAID[0].Degraded = true
			s.MemAvailableKB = 10
			s.Load5 = 100
			s.SMART[0].Healthy, s.SMART[0].Status = false, "FAILED"
		}, Thresholds{Processes: []string{"nginx"}}, []string{
			"high volume /volume1 is 91.0% full (9.0 KiB available of 100.0 KiB; threshold 90%)",
			"critical volume /volume2 is 99.0% full (1.0 KiB available of 100.0 KiB; threshold 90%)",
			"critical RAID md2 (raid1) is degraded: 2 of 2 devices active (active)",
			"medium only 1.0% of memory available (10.0 KiB of 1000.0 KiB; threshold 10%)",
			"medium load 100.00 (5 min) on 4 CPUs is 25.00 per CPU (threshold 2.0)",
			"high process nginx is not running",
			"critical disk /dev/sda fails its SMART health check (FAILED)",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := healthy()
			tt.edit(&s)
			got := summaries(Evaluate("nas:office", s, tt.th))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// The same problem keeps its fingerprint as the numbers change; different
// problems and different hosts do not share one.
func TestEvaluateFingerprints(t *testing.T) {
	full := func(pct float64) Sample {
		s := healthy()
		s.Volumes = []Volume{{Mount: "/volume1", FS: "/dev/md2", SizeKB: 100, UsedKB: int64(pct), UsedPercent: pct}}
		return s
	}
	a := Evaluate("nas:office", full(91), Thresholds{})
	b := Evaluate("nas:office", full(99), Thresholds{})
	c := Evaluate("nas:home", full(91), Thresholds{})
	if len(a) != 1 || len(b) != 1 || len(c) != 1 {
		t.Fatalf("findings %v %v %v", a, b, c)
	}
	if a[0].Fingerprint != b[0].Fingerprint || a[0].Summary == b[0].Summary {
		t.Errorf("same volume, other numbers: fingerprints %s %s", a[0].Fingerprint, b[0].Fingerprint)
	}
	if a[0].Fingerprint == c[0].Fingerprint || c[0].Source != "nas:home" {
		t.Errorf("another host shares the fingerprint %s", a[0].Fingerprint)
	}

	s := healthy()
	s.RAID = []Array{
		{Name: "md2", Level: "raid1", Devices: 2, Active: 1, Degraded: true, Status: "active"},
		{Name: "md3", Level: "raid1", Devices: 2, Active: 1, Degraded: true, Status: "active"},
	}
	fs := Evaluate("nas:office", s, Thresholds{})
	if len(fs) != 2 || fs[0].Fingerprint == fs[1].Fingerprint {
		t.Errorf("two arrays share a fingerprint: %v", fs)
	}
}

func TestEvaluateFixtures(t *testing.T) {
	tests := []struct {
		file string
		th   Thresholds
		want []string
	}{
		{"debian.txt", Thresholds{Processes: []string{"smbd", "nginx", "restic"}}, []string{
			"high volume /srv/data is 93.8% full (217.0 GiB available of 3.6 TiB; threshold 90%)",
			"medium only 8.0% of memory available (1.2 GiB of 15.6 GiB; threshold 10%)",
			"high process restic is not running",
		}},
		{"synology.txt", Thresholds{Processes: []string{"smbd", "synoscgi"}, IgnoreMounts: []string{"/volumeUSB*"}}, []string{
			"critical volume /volume1 is 98.4% full (57.1 GiB available of 3.5 TiB; threshold 90%)",
			"critical RAID md2 (raid1) is degraded: 1 of 2 devices active (active)",
			"medium load 4.80 (5 min) on 2 CPUs is 2.40 per CPU (threshold 2.0)",
			"critical disk /dev/sata2 fails its SMART health check (FAILED)",
		}},
		{"qnap.txt", Thresholds{}, []string{
			"high volume /mnt/boot_config is 91.3% full (674.0 KiB available of 7.6 MiB; threshold 90%)",
			"high volume /mnt/ext is 90.4% full (39.9 MiB available of 418.1 MiB; threshold 90%)",
			"medium RAID md1 (raid1) is resyncing: active, resync 12.6%",
		}},
		{"qnap.txt", Thresholds{IgnoreMounts: []string{"/mnt"}}, []string{
			"medium RAID md1 (raid1) is resyncing: active, resync 12.6%",
		}},
		{"busybox-old.txt", Thresholds{}, []string{
			"high volume /share/HDA_DATA is 95.0% full (91.5 GiB available of 1.8 TiB; threshold 90%)",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got := summaries(Evaluate("nas:test", readFixture(t, tt.file), tt.th))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestMetrics(t *testing.T) {
	m := Metrics(readFixture(t, "synology.txt"))
	want := map[string]float64{
		"cpu_percent": 30, "cpus": 2, "load1": 5.4, "load5": 4.8, "load15": 4.1,
		"mem_total_kb": 6043040, "uptime_seconds": 3456789.01, "process_names": 16,
		"raid_degraded:md2": 1, "raid_degraded:md0": 0, "raid_syncing:md2": 0,
		"smart_healthy:/dev/sata1": 1, "smart_healthy:/dev/sata2": 0,
	}
	for k, v := range want {
		if got, ok := m[k]; !ok || !near(got, v) {
			t.Errorf("%s = %v (present %v), want %v", k, got, ok, v)
		}
	}
	if !near(m["disk_used_percent:/volume1"], 98.403) || !near(m["mem_available_percent"], 56.263) {
		t.Errorf("disk %v mem %v", m["disk_used_percent:/volume1"], m["mem_available_percent"])
	}
	for k := range m {
		if strings.HasPrefix(k, "disk_used_percent:/dev") || k == "disk_used_percent:/run" {
			t.Errorf("pseudo file system kept: %s", k)
		}
	}

	old := Metrics(readFixture(t, "busybox-old.txt"))
	for _, k := range []string{"cpu_percent", "uptime_seconds"} {
		if _, ok := old[k]; ok {
			t.Errorf("%s reported although its section was missing", k)
		}
	}
	if old["cpus"] != 1 || old["disk_used_percent:/share/HDA_DATA"] < 94.9 {
		t.Errorf("busybox metrics %v", old)
	}
}
