package nas_test

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/nas"
	"github.com/lagrieta/itlag/providers/nas/remote"
	"github.com/lagrieta/itlag/providers/nas/remote/sshtest"
)

// sshNAS is a provider whose target "office" is reached over SSH with cfg.
func sshNAS(cfg remote.SSHConfig) *nas.Provider {
	return nas.New(map[string]nas.Config{target: {Dial: func(ctx context.Context) (remote.Transport, error) {
		return remote.DialSSH(ctx, cfg)
	}}})
}

// TestSSH runs the provider against a real OpenSSH sshd on 127.0.0.1
// (skipped when sshd is not installed, unless CI is set).
func TestSSH(t *testing.T) {
	srv := sshtest.Start(t)
	p := sshNAS(srv.Config())

	t.Run("Metrics", func(t *testing.T) {
		obs, err := p.ObserveResources(ctx(t), target, nil)
		if err != nil {
			t.Fatal(err)
		}
		if obs.Metrics["cpus"] < 1 || obs.Metrics["mem_total_kb"] <= 0 {
			t.Errorf("metrics %v, want cpus and memory of this machine", obs.Metrics)
		}
		for _, k := range []string{"load1", "cpu_percent", "uptime_seconds"} {
			if _, ok := obs.Metrics[k]; !ok {
				t.Errorf("no metric %s in %v", k, obs.Metrics)
			}
		}
	})

	t.Run("BlockAndFile", func(t *testing.T) {
		dir := t.TempDir()
		cfgPath := filepath.Join(dir, "sshd_config")
		if err := os.WriteFile(cfgPath, []byte(sshdConfig), 0o644); err != nil {
			t.Fatal(err)
		}
		log := filepath.Join(dir, "reload.log")
		reload := "echo reloaded >> " + remote.ShellQuote(log)
		hard := block(cfgPath+"#hardening", "PasswordAuthentication no\n")
		hard.Reload = reload
		extra := file(filepath.Join(dir, "extra.conf"), "MaxAuthTries 3\n", "mode", "0600")
		extra.Reload = reload

		obs, err := p.ObserveResources(ctx(t), target, []providers.Resource{hard, extra})
		if err != nil {
			t.Fatal(err)
		}
		if !obs.States[0].Missing || !obs.States[1].Missing {
			t.Fatalf("before apply: %+v", obs.States)
		}
		noErrors(t, p.ApplyResources(ctx(t), target, []providers.Change{put(hard), put(extra)}))

		got, _ := os.ReadFile(cfgPath)
		if want := sshdConfig + "# BEGIN itlag: hardening\nPasswordAuthentication no\n# END itlag: hardening\n"; string(got) != want {
			t.Fatalf("sshd_config:\n%q\nwant\n%q", got, want)
		}
		if st, err := os.Stat(extra.Name); err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("extra.conf: %v %v", st, err)
		}
		if got, _ := os.ReadFile(log); string(got) != "reloaded\n" {
			t.Errorf("reload log %q, want one run", got)
		}

		// Plan after apply: nothing left.
		obs, err = p.ObserveResources(ctx(t), target, []providers.Resource{hard, extra})
		if err != nil {
			t.Fatal(err)
		}
		for i, want := range []providers.Resource{hard, extra} {
			if st := obs.States[i]; st.Missing || !want.Same(st.Live) {
				t.Errorf("%s after apply: %+v", want.Name, st)
			}
		}

		// Remove the block, delete the file.
		noErrors(t, p.ApplyResources(ctx(t), target, []providers.Change{del(hard), del(extra)}))
		if got, _ := os.ReadFile(cfgPath); string(got) != sshdConfig {
			t.Errorf("after removing the block: %q", got)
		}
		if _, err := os.Stat(extra.Name); !os.IsNotExist(err) {
			t.Errorf("deleted file: %v", err)
		}
		if prev, _ := os.ReadFile(extra.Name + remote.PrevSuffix); string(prev) != "MaxAuthTries 3\n" {
			t.Errorf("deleted file not kept aside: %q", prev)
		}
	})

	t.Run("HostKeyMismatch", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "f")
		cfg := srv.Config()
		cfg.HostKey = "SHA256:" + strings.Repeat("A", 43) // not the server's
		p := sshNAS(cfg)
		_, err := p.ObserveResources(ctx(t), target, []providers.Resource{file(path, "x\n")})
		if !errors.Is(err, providers.ErrHostKeyMismatch) || errors.Is(err, providers.ErrUnreachable) ||
			!strings.HasPrefix(err.Error(), "nas office: ") || !strings.Contains(err.Error(), srv.HostKeyFingerprint) {
			t.Fatalf("observe: err = %v, want a host key mismatch naming the presented key", err)
		}
		errs := p.ApplyResources(ctx(t), target, []providers.Change{put(file(path, "x\n"))})
		if !errors.Is(errs[0], providers.ErrHostKeyMismatch) {
			t.Fatalf("apply: err = %v", errs[0])
		}
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Fatal("a file was written to a host whose key did not match")
		}
	})

	t.Run("Unreachable", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		cfg := srv.Config()
		cfg.Port = port
		_, err = sshNAS(cfg).ObserveResources(ctx(t), target, nil)
		if !errors.Is(err, providers.ErrUnreachable) || !strings.HasPrefix(err.Error(), "nas office: connect: ") ||
			!strings.Contains(err.Error(), "127.0.0.1:"+strconv.Itoa(port)) {
			t.Fatalf("err = %v, want unreachable naming the NAS and address", err)
		}
	})
}
