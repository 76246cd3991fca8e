package nas_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/reconcile/cron"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/nas"
	"github.com/lagrieta/itlag/providers/nas/metrics"
	"github.com/lagrieta/itlag/providers/nas/remote"
)

const sshdConfig = "Port 22\n# a comment   with  spaces\n\nPasswordAuthentication yes\n\tMatch User x\n"

func TestApplyBlockInsertUpdateRemove(t *testing.T) {
	b := newBox(t, metrics.Thresholds{}, metrics.FakeOptions{})
	b.write(t, "/etc/ssh/sshd_config", sshdConfig, 0o600)
	want := block("/etc/ssh/sshd_config#hardening", "PasswordAuthentication no\nPermitRootLogin no\n")

	if st := b.observe(t, want).States[0]; !st.Missing {
		t.Fatalf("block not yet there, observed %+v", st)
	}
	noErrors(t, b.apply(t, put(want)))
	got, mode, _ := b.read(t, "/etc/ssh/sshd_config")
	wantText := sshdConfig + "# BEGIN itlag: hardening\nPasswordAuthentication no\nPermitRootLogin no\n# END itlag: hardening\n"
	if got != wantText {
		t.Fatalf("after insert:\n%q\nwant\n%q", got, wantText)
	}
	if mode != 0o600 {
		t.Errorf("mode %o, want the file's 0600 kept", mode)
	}
	if strings.Contains(got, "\r") {
		t.Error("a carriage return appeared")
	}
	if prev, _, ok := b.read(t, "/etc/ssh/sshd_config"+remote.PrevSuffix); !ok || prev != sshdConfig {
		t.Errorf("previous version %q, %v; want the original", prev, ok)
	}
	b.converged(t, want)

	want.Content = "PasswordAuthentication no\n"
	noErrors(t, b.apply(t, put(want)))
	if got, _, _ := b.read(t, "/etc/ssh/sshd_config"); got != sshdConfig+"# BEGIN itlag: hardening\nPasswordAuthentication no\n# END itlag: hardening\n" {
		t.Fatalf("after update:\n%q", got)
	}
	b.converged(t, want)

	noErrors(t, b.apply(t, del(want)))
	if got, _, _ := b.read(t, "/etc/ssh/sshd_config"); got != sshdConfig {
		t.Fatalf("after remove:\n%q\nwant the original back", got)
	}
	if st := b.observe(t, want).States[0]; !st.Missing {
		t.Fatalf("removed block observed %+v", st)
	}
	// Removing it again is a no-op, not an error, and writes nothing.
	noErrors(t, b.apply(t, del(want)))
	if w := b.last(t).writes; w != 0 {
		t.Errorf("removing an absent block wrote %d times", w)
	}
}

func TestApplyBlockKeepsCRLFOutside(t *testing.T) {
	b := newBox(t, metrics.Thresholds{}, metrics.FakeOptions{})
	orig := "[global]\r\n  workgroup = X\r\n; BEGIN itlag: shares\r\nold\r\n; END itlag: shares\r\n[tail]\r\n"
	b.write(t, "/etc/smb.conf", orig, 0o644)
	want := block("/etc/smb.conf#shares", "[data]\npath = /volume1/data\n", "comment", ";")
	noErrors(t, b.apply(t, put(want)))
	got, _, _ := b.read(t, "/etc/smb.conf")
	if exp := "[global]\r\n  workgroup = X\r\n; BEGIN itlag: shares\r\n[data]\npath = /volume1/data\n; END itlag: shares\r\n[tail]\r\n"; got != exp {
		t.Fatalf("got\n%q\nwant\n%q", got, exp)
	}
	b.converged(t, want)
}

func TestApplyTwoBlocksInOneFile(t *testing.T) {
	b := newBox(t, metrics.Thresholds{}, metrics.FakeOptions{})
	orig := "SHELL=/bin/sh\nPATH=/usr/bin:/bin\n"
	b.write(t, "/etc/crontab", orig, 0o644)
	tasks := block("/etc/crontab#itlag-tasks", cron.Block([]cron.Task{{Name: "backup", Schedule: "0 3 * * *", User: "root", Command: "backup.sh", Enabled: true}}))
	other := block("/etc/crontab#other", "@reboot root true\n")
	noErrors(t, b.apply(t, put(tasks), put(other)))
	if w := b.last(t).writes; w != 1 {
		t.Errorf("%d writes for two blocks of one file, want 1", w)
	}
	got, _, _ := b.read(t, "/etc/crontab")
	exp := orig + "# BEGIN itlag: itlag-tasks\n# task backup\n0 3 * * * root backup.sh\n# END itlag: itlag-tasks\n" +
		"# BEGIN itlag: other\n@reboot root true\n# END itlag: other\n"
	if got != exp {
		t.Fatalf("got\n%s\nwant\n%s", got, exp)
	}
	if prev, _, _ := b.read(t, "/etc/crontab"+remote.PrevSuffix); prev != orig {
		t.Errorf("previous version %q, want the original (one write)", prev)
	}
	b.converged(t, tasks, other)

	// Updating one leaves the other byte for byte.
	tasks.Content = "# task backup\n# disabled: 0 3 * * * root backup.sh\n"
	noErrors(t, b.apply(t, put(tasks)))
	got, _, _ = b.read(t, "/etc/crontab")
	if !strings.HasSuffix(got, "# BEGIN itlag: other\n@reboot root true\n# END itlag: other\n") || !strings.HasPrefix(got, orig) {
		t.Fatalf("the rest changed:\n%s", got)
	}
	b.converged(t, tasks, other)
}

func TestApplyBlockCreatesMissingFile(t *testing.T) {
	b := newBox(t, metrics.Thresholds{}, metrics.FakeOptions{})
	want := block("/etc/cron.d/itlag#itlag-tasks", "@daily root true", "mode", "0640")
	noErrors(t, b.apply(t, put(want)))
	got, mode, ok := b.read(t, "/etc/cron.d/itlag")
	if !ok || got != "# BEGIN itlag: itlag-tasks\n@daily root true\n# END itlag: itlag-tasks\n" || mode != 0o640 {
		t.Fatalf("created %q mode %o (exists %v)", got, mode, ok)
	}
	if _, _, ok := b.read(t, "/etc/cron.d/itlag"+remote.PrevSuffix); ok {
		t.Error("a previous version of a new file")
	}
	want.Content = "@daily root true\n" // as it reads back
	b.converged(t, want)

	// In a directory that does not exist: a clear error.
	errs := b.apply(t, put(block("/etc/nodir/x#b", "x\n")))
	if errs[0] == nil || !strings.Contains(errs[0].Error(), "directory /etc/nodir does not exist") {
		t.Errorf("err = %v", errs[0])
	}
}

func TestApplyBrokenMarkersRefused(t *testing.T) {
	b := newBox(t, metrics.Thresholds{}, metrics.FakeOptions{})
	orig := "a\n# BEGIN itlag: x\nhalf\n"
	b.write(t, "/etc/f", orig, 0o644)
	errs := b.apply(t, put(block("/etc/f#x", "new\n")), del(block("/etc/f#x", "")), put(file("/etc/g", "g\n")))
	for i := range 2 {
		if !errors.Is(errs[i], nas.ErrBrokenMarkers) || !strings.HasPrefix(errs[i].Error(), "nas office: /etc/f#x: ") {
			t.Errorf("change %d: err = %v, want broken markers", i, errs[i])
		}
	}
	if errs[2] != nil {
		t.Errorf("an unrelated change failed: %v", errs[2])
	}
	if got, _, _ := b.read(t, "/etc/f"); got != orig {
		t.Errorf("file touched: %q", got)
	}
}

func TestApplyFiles(t *testing.T) {
	b := newBox(t, metrics.Thresholds{}, metrics.FakeOptions{})
	secret := file("/etc/app/secret.env", "TOKEN=abc\n", "mode", "0600")
	b.write(t, "/etc/app/keep", "", 0o755) // the directory
	noErrors(t, b.apply(t, put(secret)))
	if got, mode, ok := b.read(t, "/etc/app/secret.env"); !ok || got != "TOKEN=abc\n" || mode != 0o600 {
		t.Fatalf("create: %q %o %v", got, mode, ok)
	}
	b.converged(t, secret)

	// Update keeps the previous version.
	secret.Content = "TOKEN=def\n"
	noErrors(t, b.apply(t, put(secret)))
	if got, _, _ := b.read(t, "/etc/app/secret.env"); got != "TOKEN=def\n" {
		t.Fatalf("update: %q", got)
	}
	if prev, _, _ := b.read(t, "/etc/app/secret.env"+remote.PrevSuffix); prev != "TOKEN=abc\n" {
		t.Fatalf("previous: %q", prev)
	}

	// A mode change alone is carried out; content stays.
	secret.Attrs["mode"] = "0640"
	if st := b.observe(t, secret).States[0]; secret.Same(st.Live) {
		t.Fatal("mode 0600 observed as 0640")
	}
	noErrors(t, b.apply(t, put(secret)))
	if got, mode, _ := b.read(t, "/etc/app/secret.env"); got != "TOKEN=def\n" || mode != 0o640 {
		t.Fatalf("mode change: %q %o", got, mode)
	}
	b.converged(t, secret)

	// Without a mode, an existing file keeps its own; a new one is 0644.
	b.write(t, "/etc/exec.sh", "old", 0o750)
	noErrors(t, b.apply(t, put(file("/etc/exec.sh", "#!/bin/sh\n")), put(file("/etc/new.conf", "n\n"))))
	if _, mode, _ := b.read(t, "/etc/exec.sh"); mode != 0o750 {
		t.Errorf("existing file's mode became %o", mode)
	}
	if _, mode, _ := b.read(t, "/etc/new.conf"); mode != nas.DefaultMode {
		t.Errorf("new file's mode %o", mode)
	}

	// Delete moves the file aside.
	noErrors(t, b.apply(t, del(secret)))
	if _, _, ok := b.read(t, "/etc/app/secret.env"); ok {
		t.Fatal("deleted file still there")
	}
	if prev, _, _ := b.read(t, "/etc/app/secret.env"+remote.PrevSuffix); prev != "TOKEN=def\n" {
		t.Fatalf("deleted file not kept: %q", prev)
	}
	if st := b.observe(t, secret).States[0]; !st.Missing {
		t.Fatal("deleted file not missing")
	}
	noErrors(t, b.apply(t, del(secret))) // already gone: fine
}

func TestApplyIdempotentWritesNothing(t *testing.T) {
	b := newBox(t, metrics.Thresholds{}, metrics.FakeOptions{})
	b.write(t, "/etc/a", "same\n", 0o644)
	noErrors(t, b.apply(t, put(file("/etc/a", "same\n", "mode", "0644"))))
	if w := b.last(t).writes; w != 0 {
		t.Errorf("%d writes for a file already as desired", w)
	}
	if _, _, ok := b.read(t, "/etc/a"+remote.PrevSuffix); ok {
		t.Error("a previous version kept for an unchanged file")
	}
}

func TestApplyOwner(t *testing.T) {
	b := newBox(t, metrics.Thresholds{}, metrics.FakeOptions{})
	user, group := currentOwner(t, b)
	want := file("/etc/owned", "x\n", "owner", user, "group", group)
	noErrors(t, b.apply(t, put(want)))
	b.converged(t, want)
	errs := b.apply(t, put(file("/etc/owned2", "x\n", "owner", "no-such-user-itlag")))
	if errs[0] == nil || !strings.Contains(errs[0].Error(), "setting the owner failed") {
		t.Errorf("unknown owner: err = %v", errs[0])
	}
}

func TestApplyReloads(t *testing.T) {
	b := newBox(t, metrics.Thresholds{}, metrics.FakeOptions{})
	b.write(t, "/etc/broken", "# BEGIN itlag: x\n", 0o644)
	logA := `echo a >> "${ITLAG_ROOT}/reload.log"`
	failing := `echo "sshd: bad line 3" >&2; echo second line >&2; exit 3`
	never := `echo c >> "${ITLAG_ROOT}/reload.log"`
	with := func(r providers.Resource, reload string) providers.Resource { r.Reload = reload; return r }
	changes := []providers.Change{
		put(with(file("/etc/a1", "1\n"), logA)),
		put(with(block("/etc/a2#b", "2\n"), logA)),
		put(with(file("/etc/ssh.conf", "3\n"), failing)),
		put(file("/etc/plain", "4\n")),
		put(with(block("/etc/broken#x", "5\n"), never)),
		del(with(file("/etc/gone", ""), logA)),
	}
	errs := b.apply(t, changes...)
	for _, i := range []int{0, 1, 3, 5} {
		if errs[i] != nil {
			t.Errorf("change %d: %v", i, errs[i])
		}
	}
	if errs[2] == nil || !strings.Contains(errs[2].Error(), "failed: exit 3: sshd: bad line 3 (pending: the next plan runs it again)") ||
		!strings.HasPrefix(errs[2].Error(), "nas office: /etc/ssh.conf: ") {
		t.Errorf("failing reload: err = %v", errs[2])
	}
	if !errors.Is(errs[4], nas.ErrBrokenMarkers) {
		t.Errorf("broken block: err = %v", errs[4])
	}
	if got, _, _ := b.read(t, "/reload.log"); got != "a\n" {
		t.Errorf("reload log %q, want one run of the shared reload and none for the failed change", got)
	}
	if got, _, _ := b.read(t, "/etc/ssh.conf"); got != "3\n" {
		t.Errorf("the file whose reload failed was not written: %q", got)
	}
	c := b.last(t)
	var reloads []string
	for _, r := range c.runs {
		if r == logA || r == failing || r == never {
			reloads = append(reloads, r)
		}
	}
	if len(reloads) != 2 || reloads[0] != logA || reloads[1] != failing {
		t.Errorf("reloads run: %q, want the shared one then the failing one", reloads)
	}
	if b.dials.Load() != 1 {
		t.Errorf("%d dials, want 1", b.dials.Load())
	}
}

func TestApplyBadChanges(t *testing.T) {
	b := newBox(t, metrics.Thresholds{}, metrics.FakeOptions{})
	ok := put(file("/etc/ok", "ok\n"))
	noRes := providers.Change{Address: "x", Action: providers.Update}
	noAfter := providers.Change{Address: "y", Action: providers.Create, Resource: &providers.ResourceChange{Target: target}}
	errs := b.apply(t, noRes, put(file("relative", "")), ok, noAfter, put(file("/etc/m", "", "mode", "4755")))
	for i, err := range errs {
		if (err == nil) != (i == 2) {
			t.Errorf("change %d: err = %v", i, err)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "nas office: ") {
			t.Errorf("change %d: %v does not name the NAS", i, err)
		}
	}
	if got, _, _ := b.read(t, "/etc/ok"); got != "ok\n" {
		t.Error("the good change was not applied")
	}
	if errs := b.apply(t); len(errs) != 0 || b.dials.Load() != 1 {
		t.Errorf("empty apply: %v, %d dials", errs, b.dials.Load())
	}
}
