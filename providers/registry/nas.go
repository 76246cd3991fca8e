package registry

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/nas"
	"github.com/lagrieta/itlag/providers/nas/metrics"
	"github.com/lagrieta/itlag/providers/nas/remote"
	"github.com/lagrieta/itlag/reconcile"
	"github.com/lagrieta/itlag/schema"
)

// newNAS builds the NAS provider for every NAS the state declares, each
// reached over SSH with its pinned host key.
func newNAS(env Env, _ string) (providers.Provider, error) {
	targets := map[string]nas.Config{}
	for name, n := range env.State.NAS {
		dial, err := nasDialer(env, name)
		if err != nil {
			return nil, err
		}
		targets[name] = nas.Config{Name: name, Thresholds: NASThresholds(n), Dial: dial}
	}
	return nas.New(targets), nil
}

// nasDialer connects to the named NAS over SSH, its host key pinned.
func nasDialer(env Env, name string) (func(context.Context) (remote.Transport, error), error) {
	n, ok := env.State.NAS[name]
	if !ok {
		return nil, fmt.Errorf("no NAS named %q in the state", name)
	}
	if n.HostKeyIsPending() {
		// No trust on first use: nothing is dialed until the key is pinned.
		return func(context.Context) (remote.Transport, error) {
			return nil, fmt.Errorf("nas %s: %w: pin it with itlag nas pin %s", name, providers.ErrHostKeyPending, name)
		}, nil
	}
	cfg := remote.SSHConfig{Host: n.Host, Port: n.Port, User: n.User, UseAgent: n.Agent, HostKey: n.HostKey}
	if n.Key != nil {
		if n.Key.File == "" {
			return nil, fmt.Errorf("nas.%s.key: %s: keep the private key in a file ({file: PATH}); keys in environment variables are not supported", name, n.Key)
		}
		cfg.KeyFile = n.Key.File
	}
	return func(ctx context.Context) (remote.Transport, error) { return remote.DialSSH(ctx, cfg) }, nil
}

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

// The sandbox's NASes.
const (
	// SandboxDiskPercent is how full a sandbox NAS's /volume1 is seeded:
	// over the default 90% threshold, so the first plan shows a NAS finding.
	SandboxDiskPercent = 91
	// SandboxPendingUpdates is how many security updates a sandbox NAS's
	// apt-get offers (the security checks judge them, medium).
	SandboxPendingUpdates = 2
)

// SandboxDiskFile is the file, in a sandbox NAS's root (DIR/nas/NAME),
// that says how full its /volume1 is, in whole percent: its df reads it
// at every observation. Seeded with SandboxDiskPercent; writing a lower
// number ("echo 70 > DIR/nas/office/volume1-used-percent") is how the
// sandbox's full volume is fixed.
const SandboxDiskFile = "volume1-used-percent"

// sandboxDF is the sandbox NAS's df: metrics.WriteFakeRoot's canned
// output, with /volume1 as full as SandboxDiskFile says.
const sandboxDF = `#!/bin/sh
# itlag sandbox NAS: /volume1 is as full as ../volume1-used-percent says.
p=$(cat "$(dirname "$0")/../volume1-used-percent" 2>/dev/null) || p=91
case $p in ''|*[!0-9]*) p=91;; esac
[ "$p" -le 100 ] || p=100
size=3835538432
used=$((size * p / 100))
printf 'Filesystem              1024-blocks       Used  Available Capacity Mounted on\n'
printf '/dev/md0                    8191416    1734260    6338372      22%% /\n'
printf 'devtmpfs                    4004280          0    4004280       0%% /dev\n'
printf 'tmpfs                       4019436        244    4019192       1%% /dev/shm\n'
printf 'tmpfs                       4019436      20100    3999336       1%% /run\n'
printf '/dev/mapper/cachedev_0   %10d %10d %10d      %2d%% /volume1\n' "$size" "$used" "$((size - used))" "$p"
`

// writeSandboxDF writes the sandbox NAS's df and SandboxDiskFile.
func writeSandboxDF(root string) error {
	pct := []byte(fmt.Sprintf("%d\n", SandboxDiskPercent))
	if err := os.WriteFile(filepath.Join(root, SandboxDiskFile), pct, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(root, "bin", "df"), []byte(sandboxDF), 0o755)
}

// nasRoot is the named NAS's fake root in the sandbox directory.
func nasRoot(dir, name string) string { return filepath.Join(dir, "nas", name) }

// nasFake is every NAS of the state as a directory, DIR/nas/NAME (a
// Synology-like /proc, df and ps; the directories of its declared files),
// created on first use and reached through remote.Local. The directories
// are its world.
type nasFake struct{ p *nas.Provider }

func sandboxNAS(env SandboxEnv) (Fake, error) {
	targets := map[string]nas.Config{}
	if env.State != nil {
		for name, n := range env.State.NAS {
			root := nasRoot(env.Dir, name)
			if err := seedNAS(root, n); err != nil {
				return nil, fmt.Errorf("nas %s: %w", name, err)
			}
			targets[name] = nas.Config{Name: name, Thresholds: NASThresholds(n),
				Dial:   func(context.Context) (remote.Transport, error) { return remote.Local{Root: root}, nil },
				Reload: recordReload(root)}
		}
	}
	return nasFake{p: nas.New(targets)}, nil
}

func (f nasFake) Provider() providers.Provider                            { return f.p }
func (f nasFake) Seed(context.Context, reconcile.Desired, []string) error { return nil }
func (f nasFake) Close()                                                  {}

func seedNAS(root string, n schema.NAS) error {
	// What the security checks read (sshd, ss, apt-get) is added to roots
	// seeded before it existed too.
	if err := nas.WriteFakeHost(root, nas.FakeHostOptions{SecurityUpdates: SandboxPendingUpdates}); err != nil {
		return err
	}
	// root/proc, not root: a backup run may have made root already, for
	// its sample sources, before the NAS was first observed.
	if _, err := os.Stat(filepath.Join(root, "proc")); err == nil {
		return nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := metrics.WriteFakeRoot(root, metrics.FakeOptions{DiskPercent: SandboxDiskPercent}); err != nil {
		return err
	}
	if err := writeSandboxDF(root); err != nil {
		return err
	}
	// Any interface of the fake NAS holds the office's public address (a
	// PPPoE link), for providers.noip.ip_from_nas.
	ip := "#!/bin/sh\necho \"3: $6    inet " + SandboxPublicIP + "/32 scope global $6\"\n"
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

// recordReload appends a reload command to the fake NAS's reloads.log
// instead of running it: a reload (systemctl, synosystemctl) is meant for
// the NAS, never for the machine running the sandbox.
func recordReload(root string) func(context.Context, string) (remote.Result, error) {
	return func(_ context.Context, cmd string) (remote.Result, error) {
		f, err := os.OpenFile(filepath.Join(root, "reloads.log"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			return remote.Result{}, err
		}
		defer f.Close()
		if _, err := fmt.Fprintln(f, cmd); err != nil {
			return remote.Result{}, err
		}
		return remote.Result{}, nil
	}
}
