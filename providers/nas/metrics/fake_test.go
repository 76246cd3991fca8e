package metrics_test

import (
	"context"
	"math"
	"reflect"
	"slices"
	"testing"

	"github.com/lagrieta/itlag/providers/nas/metrics"
	"github.com/lagrieta/itlag/providers/nas/remote"
)

func observe(t *testing.T, tr remote.Transport) metrics.Sample {
	t.Helper()
	res, err := tr.Run(context.Background(), metrics.Script(), nil)
	if err != nil {
		t.Fatalf("run script: %v", err)
	}
	if res.ExitCode != 0 {
		t.Fatalf("script exited %d: %s", res.ExitCode, res.Stderr)
	}
	s, err := metrics.Parse(res.Stdout)
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, res.Stdout)
	}
	return s
}

func TestScriptOnFakeRoot(t *testing.T) {
	th := metrics.Thresholds{Processes: []string{"smbd", "nginx", "sshd"}}
	tests := []struct {
		name string
		opts metrics.FakeOptions
		want []string
	}{
		{"healthy", metrics.FakeOptions{}, nil},
		{"full volume", metrics.FakeOptions{DiskPercent: 93}, []string{
			"high volume /volume1 is 93.0% full (256.0 GiB available of 3.6 TiB; threshold 90%)"}},
		{"nearly full volume", metrics.FakeOptions{DiskPercent: 99.5}, []string{
			"critical volume /volume1 is 99.5% full (18.3 GiB available of 3.6 TiB; threshold 90%)"}},
		{"degraded RAID", metrics.FakeOptions{DegradedRAID: true}, []string{
			"critical RAID md2 (raid1) is degraded: 1 of 2 devices active (active)"}},
		{"resync", metrics.FakeOptions{Resyncing: true}, []string{
			"medium RAID md2 (raid1) is resyncing: active, resync 12.6%"}},
		{"missing process", metrics.FakeOptions{MissingProcesses: []string{"nginx"}}, []string{
			"high process nginx is not running"}},
		{"failing disk", metrics.FakeOptions{FailingDisk: true}, []string{
			"critical disk /dev/sata2 fails its SMART health check (FAILED)"}},
		{"busy", metrics.FakeOptions{CPUs: 2, Load: 5, MemAvailablePercent: 5}, []string{
			"medium only 5.0% of memory available (392.5 MiB of 7.7 GiB; threshold 10%)",
			"medium load 5.00 (5 min) on 2 CPUs is 2.50 per CPU (threshold 2.0)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := metrics.WriteFakeRoot(dir, tt.opts); err != nil {
				t.Fatal(err)
			}
			s := observe(t, remote.Local{Root: dir})
			if len(s.Missing) != 0 {
				t.Errorf("sections missing on the fake root: %q", s.Missing)
			}
			var got []string
			for _, f := range metrics.Evaluate("nas:sandbox", s, th) {
				got = append(got, string(f.Severity)+" "+f.Summary)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// The fake root's numbers come through the script: nothing from the real
// machine (its own df, ps, nproc, /proc) leaks in.
func TestFakeRootIsolated(t *testing.T) {
	dir := t.TempDir()
	if err := metrics.WriteFakeRoot(dir, metrics.FakeOptions{CPUs: 3, CPUPercent: 40}); err != nil {
		t.Fatal(err)
	}
	tr := remote.Local{Root: dir}
	for run := range 2 { // the counters keep advancing between runs
		s := observe(t, tr)
		if s.CPUs != 3 || math.Abs(s.CPUPercent-40) > 1e-9 || s.UptimeSeconds != 1209631.42 || s.MemTotalKB != 8038872 {
			t.Errorf("run %d: cpus %d cpu %.1f%% uptime %v mem %d", run, s.CPUs, s.CPUPercent, s.UptimeSeconds, s.MemTotalKB)
		}
		if !reflect.DeepEqual(s.Processes, metrics.FakeProcesses()) {
			t.Errorf("run %d: processes %q", run, s.Processes)
		}
		mounts := []string{}
		for _, v := range s.Volumes {
			mounts = append(mounts, v.Mount)
		}
		if !reflect.DeepEqual(mounts, []string{"/", "/dev", "/dev/shm", "/run", "/volume1"}) {
			t.Errorf("run %d: mounts %q", run, mounts)
		}
		if len(s.RAID) != 3 || len(s.SMART) != 2 || !slices.ContainsFunc(s.SMART, func(d metrics.Disk) bool { return d.Device == "/dev/sata1" && d.Healthy }) {
			t.Errorf("run %d: RAID %+v SMART %+v", run, s.RAID, s.SMART)
		}
	}
}

func TestWriteFakeRootRejectsBadPercent(t *testing.T) {
	if err := metrics.WriteFakeRoot(t.TempDir(), metrics.FakeOptions{DiskPercent: 120}); err == nil {
		t.Error("DiskPercent 120 accepted")
	}
}
