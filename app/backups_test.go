package app

import (
	"os"
	"path/filepath"
	"testing"
)

// TestBackupsLeavePendingOut: a destination whose repository is pending is
// never run, in the sandbox as for real, and its password is not asked
// for (OFFSITE_PASSWORD is not set); the others are.
func TestBackupsLeavePendingOut(t *testing.T) {
	t.Setenv("USB_PASSWORD", "usb-secret")
	state := t.TempDir()
	yaml := `backups:
  documents:
    runs_on: local
    sources: [/srv/documents]
    destinations:
      usb: {repository: /mnt/usb/restic, media: usb, offsite: false, password: {env: USB_PASSWORD}}
      offsite: {repository: pending, media: cloud, offsite: true, password: {env: OFFSITE_PASSWORD}}
    schedule: {daily: "02:30"}
    retention: {keep_daily: 7}
`
	if err := os.WriteFile(filepath.Join(state, "backups.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, sb := range map[string]string{"real": "", "sandbox": t.TempDir()} {
		t.Run(name, func(t *testing.T) {
			rt, err := Load(Options{StateDir: state, Sandbox: sb, DataDir: t.TempDir(), Version: "test"})
			if err != nil {
				t.Fatal(err)
			}
			defer rt.Close()
			jobs, _, done, err := rt.Backups()
			if err != nil {
				t.Fatal(err)
			}
			defer done()
			if len(jobs) != 1 || len(jobs[0].Destinations) != 1 || jobs[0].Destinations[0].Name != "usb" {
				t.Fatalf("jobs %+v, want documents with usb only", jobs)
			}
		})
	}
}
