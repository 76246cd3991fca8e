package nas_test

import (
	"strings"
	"testing"

	"github.com/lagrieta/itlag/providers/nas"
	"github.com/lagrieta/itlag/providers/nas/metrics"
)

// TestFailedReloadStaysPending: a reload that fails after the file was
// written is remembered on the NAS beside the file, so the next
// observation (from any runner) reports it pending, until an apply runs it
// successfully; a resource with another reload is not pending.
func TestFailedReloadStaysPending(t *testing.T) {
	b := newBox(t, metrics.Thresholds{}, metrics.FakeOptions{})
	reload := `test -e "${ITLAG_ROOT}/fixed" || { echo "reload failed" >&2; exit 1; }; echo r >> "${ITLAG_ROOT}/reload.log"`
	conf := file("/etc/ssh.conf", "PasswordAuthentication no\n")
	conf.Reload = reload
	other := block("/etc/ssh.conf#x", "x\n")
	other.Reload = "true"
	mark := "/etc/ssh.conf" + nas.PendingSuffix

	steps := []struct {
		name        string
		fix         bool
		wantErr     string
		wantPending bool
		wantMark    string // "" is no mark
	}{
		{name: "reload fails", wantErr: "reload failed (pending: the next plan runs it again)", wantPending: true, wantMark: reload + "\n"},
		{name: "fails again", wantErr: "reload failed (pending", wantPending: true, wantMark: reload + "\n"},
		{name: "fixed", fix: true},
		{name: "applied again", fix: true},
	}
	for _, s := range steps {
		if s.fix {
			b.write(t, "/fixed", "", 0o644)
		}
		errs := b.apply(t, put(conf))
		if s.wantErr == "" && errs[0] != nil || s.wantErr != "" && (errs[0] == nil || !strings.Contains(errs[0].Error(), s.wantErr)) {
			t.Errorf("%s: apply: %v, want an error containing %q", s.name, errs[0], s.wantErr)
		}
		obs := b.observe(t, conf, other)
		if got := obs.States[0]; got.ReloadPending != s.wantPending || got.Missing || got.Live.Content != conf.Content {
			t.Errorf("%s: observed %+v, want the file as desired and ReloadPending %v", s.name, got, s.wantPending)
		}
		if obs.States[1].ReloadPending {
			t.Errorf("%s: the block with another reload is pending", s.name)
		}
		if got, _, ok := b.read(t, mark); got != s.wantMark || ok != (s.wantMark != "") {
			t.Errorf("%s: pending mark %q (exists %v), want %q", s.name, got, ok, s.wantMark)
		}
	}
	if got, _, _ := b.read(t, "/reload.log"); got != "r\nr\n" {
		t.Errorf("reload log %q, want the two successful runs", got)
	}
}

// TestPendingReloadOfDeletedFile: a deleted file's failing reload is not
// remembered (nothing is left to observe).
func TestPendingReloadOfDeletedFile(t *testing.T) {
	b := newBox(t, metrics.Thresholds{}, metrics.FakeOptions{})
	b.write(t, "/etc/gone", "x\n", 0o644)
	gone := file("/etc/gone", "")
	gone.Reload = "exit 1"
	if errs := b.apply(t, del(gone)); errs[0] == nil {
		t.Error("failing reload after a delete: no error")
	}
	if _, _, ok := b.read(t, "/etc/gone"+nas.PendingSuffix); ok {
		t.Error("a deleted file's reload was remembered")
	}
}
