package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/lagrieta/itlag/providers/nas"
	"github.com/lagrieta/itlag/providers/nas/metrics"
	"github.com/lagrieta/itlag/providers/nas/remote"
	"github.com/lagrieta/itlag/schema"
)

// nasDir holds one fake root per NAS: DIR/nas/<name>.
const nasDir = "nas"

// FakeDiskPercent is how full a sandbox NAS's /volume1 is seeded: over the
// default 90% threshold, so the first plan shows a NAS finding.
const FakeDiskPercent = 91

// FakePendingUpdates is how many OS updates a sandbox NAS offers
// ("itlag maintain" reports them).
const FakePendingUpdates = 2

// NASThresholds turns a NAS's declared thresholds into the metrics
// package's (zero fields take its defaults).
func NASThresholds(n schema.NAS) metrics.Thresholds {
	t := metrics.Thresholds{Processes: n.Processes}
	if n.Thresholds != nil {
		t.DiskPercent, t.MemoryAvailablePercent, t.LoadPerCPU = n.Thresholds.DiskPercent, n.Thresholds.MemoryAvailablePercent, n.Thresholds.LoadPerCPU
		t.IgnoreMounts = n.Thresholds.IgnoreMounts
	}
	return t
}

// openNAS gives every NAS of the state a fake root under dir (a Synology-
// like /proc, df and ps; the directories of its declared files), created
// on first use, and returns the NAS provider reaching them through
// remote.Local.
func openNAS(dir string, st *schema.State) (*nas.Provider, error) {
	return NASProvider(dir, st, false)
}

// NASProvider is the sandbox's NAS provider for st; checkUpdates also
// counts the fake NAS's pending updates (maintenance runs).
func NASProvider(dir string, st *schema.State, checkUpdates bool) (*nas.Provider, error) {
	targets := map[string]nas.Config{}
	if st != nil {
		for name, n := range st.NAS {
			root := filepath.Join(dir, nasDir, name)
			if err := seedNAS(root, n); err != nil {
				return nil, fmt.Errorf("nas %s: %w", name, err)
			}
			targets[name] = nas.Config{Name: name, Thresholds: NASThresholds(n), CheckUpdates: checkUpdates,
				Dial: func(context.Context) (remote.Transport, error) { return remote.Local{Root: root}, nil }}
		}
	}
	return nas.New(targets), nil
}

// seedNAS gives the fake NAS at root its system files on first use: when
// root/proc is missing (a backup run may have made root already, for its
// sample sources).
func seedNAS(root string, n schema.NAS) error {
	if _, err := os.Stat(filepath.Join(root, "proc")); err == nil {
		return nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := metrics.WriteFakeRoot(root, metrics.FakeOptions{DiskPercent: FakeDiskPercent, PendingUpdates: FakePendingUpdates}); err != nil {
		return err
	}
	// Any interface of the fake NAS holds the office's public address (a
	// PPPoE link), for providers.noip.ip_from_nas.
	ip := "#!/bin/sh\necho \"3: $6    inet " + PublicIP + "/32 scope global $6\"\n"
	if err := os.WriteFile(filepath.Join(root, "bin", "ip"), []byte(ip), 0o755); err != nil {
		return err
	}
	dirs := []string{path.Dir(n.CronFile)}
	for _, f := range n.Files {
		dirs = append(dirs, path.Dir(f.Path))
	}
	for _, b := range n.Blocks {
		dirs = append(dirs, path.Dir(b.Path))
	}
	for _, d := range dirs {
		if err := os.MkdirAll(filepath.Join(root, filepath.FromSlash(d)), 0o755); err != nil {
			return err
		}
	}
	return nil
}
