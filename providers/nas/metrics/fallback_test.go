package metrics_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/lagrieta/itlag/providers/nas/metrics"
	"github.com/lagrieta/itlag/providers/nas/remote"
)

// An old BusyBox: ps without -o (a table), df without -P, no nproc. The
// script falls back and the sample is complete anyway.
func TestScriptFallbacks(t *testing.T) {
	dir := t.TempDir()
	if err := metrics.WriteFakeRoot(dir, metrics.FakeOptions{CPUs: 2, DiskPercent: 95}); err != nil {
		t.Fatal(err)
	}
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, "bin", name), []byte("#!/bin/sh\n"+body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write("nproc", "exit 127\n")
	write("ps", `[ $# -eq 0 ] || { echo "ps: invalid option -- 'e'" >&2; exit 1; }
echo "  PID USER       VSZ STAT COMMAND"
echo "    1 admin     1216 S    init"
echo "    2 admin        0 SW   [kthreadd]"
echo "  950 admin     1500 S    /usr/local/sbin/smbd -D"
`)
	write("df", `[ "$1" = -k ] || { echo "df: invalid option -- 'P'" >&2; exit 1; }
echo "Filesystem           1K-blocks      Used Available Use% Mounted on"
echo "/dev/mapper/vg0-lv_a_very_long_logical_volume_name"
echo "                       1000000    950000     50000  95% /share/HDA_DATA"
`)
	res, err := remote.Local{Root: dir}.Run(context.Background(), metrics.Script(), nil)
	if err != nil || res.ExitCode != 0 {
		t.Fatalf("run: %v, exit %d: %s", err, res.ExitCode, res.Stderr)
	}
	s, err := metrics.Parse(res.Stdout)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Missing) != 0 || s.CPUs != 2 {
		t.Errorf("missing %q, cpus %d", s.Missing, s.CPUs)
	}
	if want := []string{"init", "kthreadd", "smbd"}; !reflect.DeepEqual(s.Processes, want) {
		t.Errorf("processes %q, want %q", s.Processes, want)
	}
	want := []metrics.Volume{{Mount: "/share/HDA_DATA", FS: "/dev/mapper/vg0-lv_a_very_long_logical_volume_name",
		SizeKB: 1000000, UsedKB: 950000, AvailableKB: 50000, UsedPercent: 95}}
	if !reflect.DeepEqual(s.Volumes, want) {
		t.Errorf("volumes %+v", s.Volumes)
	}
}

// The script under BusyBox ash with BusyBox's own grep, df, ps, nproc and
// sleep (as on a Synology or QNAP), on this machine's /proc and on a fake
// root. Skipped when busybox is not installed.
func TestScriptUnderBusyBox(t *testing.T) {
	bb, err := exec.LookPath("busybox")
	if err != nil {
		t.Skip("busybox not installed")
	}
	bin := t.TempDir()
	for _, applet := range []string{"sh", "grep", "cat", "df", "ps", "sleep", "nproc"} {
		if err := os.Symlink(bb, filepath.Join(bin, applet)); err != nil {
			t.Fatal(err)
		}
	}
	fake := t.TempDir()
	if err := metrics.WriteFakeRoot(fake, metrics.FakeOptions{DegradedRAID: true}); err != nil {
		t.Fatal(err)
	}
	for name, root := range map[string]string{"this machine": "", "fake root": fake} {
		t.Run(name, func(t *testing.T) {
			cmd := exec.Command(bb, "sh", "-c", metrics.Script())
			cmd.Env = []string{"PATH=" + bin, "ITLAG_ROOT=" + root}
			var out, errOut bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errOut
			if err := cmd.Run(); err != nil {
				t.Fatalf("busybox sh: %v: %s", err, errOut.String())
			}
			s, err := metrics.Parse(out.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			for _, miss := range s.Missing {
				if miss != "cpu" || root != "" { // an idle machine may not tick in 0.5 s
					t.Errorf("section %s missing:\n%s", miss, out.String())
				}
			}
			if s.CPUs < 1 || len(s.Volumes) == 0 || len(s.Processes) == 0 || s.UptimeSeconds <= 0 {
				t.Errorf("implausible sample %+v", s)
			}
			if root != "" && (len(s.RAID) != 3 || !s.RAID[0].Degraded) {
				t.Errorf("fake RAID %+v", s.RAID)
			}
		})
	}
}
