package backup

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lagrieta/itlag/ops/backup/restic"
	"github.com/lagrieta/itlag/schema"
)

// drillSetup backs up a real source directory of 10 files (drill_files 3)
// to the fake's two repositories.
func drillSetup(t *testing.T) (*fake, Deps, Job, string, *clock) {
	t.Helper()
	src := t.TempDir()
	for i := range 10 {
		if err := os.WriteFile(filepath.Join(src, fmt.Sprintf("f%02d.txt", i)), fmt.Appendf(nil, "content %d", i), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// the source was written an hour before the snapshot, taken 10 minutes
	// ago (far from the file system's clock granularity)
	old := time.Now().Add(-time.Hour)
	for i := range 10 {
		if err := os.Chtimes(filepath.Join(src, fmt.Sprintf("f%02d.txt", i)), old, old); err != nil {
			t.Fatal(err)
		}
	}
	c := &clock{t: time.Now().Add(-10 * time.Minute).UTC()}
	f := newFake(c.now)
	d := deps(t, f, c)
	job := jobsOf(t, map[string]schema.Backup{"docs": backupSpec("docs", src)})[0]
	if _, err := Run(context.Background(), d, job, false); err != nil {
		t.Fatal(err)
	}
	return f, d, job, src, c
}

func TestDrill(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // where the drills restore
	f, d, job, _, _ := drillSetup(t)
	ctx := context.Background()
	usb := job.Destinations[1]

	r := Drill(ctx, d, job, usb)
	if !r.OK || r.FilesChecked != 3 || r.FilesSkipped != 0 || r.SnapshotID == "" {
		t.Fatalf("drill %+v, want 3 files checked", r)
	}
	// the pick is the same for the same snapshot
	picks := func() []string {
		nodes, _ := f.Ls(ctx, usb.Repo, r.SnapshotID)
		var p []string
		for _, n := range pickFiles(nodes, 3, r.SnapshotID) {
			p = append(p, n.Path)
		}
		return p
	}
	first := picks()
	if len(first) != 3 || !slices.Equal(first, picks()) {
		t.Fatalf("picks %v then %v, want the same 3", first, picks())
	}
	restores := f.count("Restore")

	t.Run("changed at the source", func(t *testing.T) {
		// a picked file changed after the snapshot: skipped, not failed
		if err := os.WriteFile(first[0], []byte("edited since"), 0o600); err != nil {
			t.Fatal(err)
		}
		r := Drill(ctx, d, job, usb)
		if !r.OK || r.FilesChecked != 2 || r.FilesSkipped != 1 {
			t.Errorf("drill %+v, want ok with 2 checked, 1 skipped", r)
		}
		// deleted at the source: skipped too
		if err := os.Remove(first[1]); err != nil {
			t.Fatal(err)
		}
		r = Drill(ctx, d, job, usb)
		if !r.OK || r.FilesChecked != 1 || r.FilesSkipped != 2 {
			t.Errorf("drill %+v, want ok with 1 checked, 2 skipped", r)
		}
	})

	t.Run("mismatch", func(t *testing.T) {
		f.restoreCorrupt = map[string][]byte{first[2]: []byte("content X")} // same size, other bytes
		defer func() { f.restoreCorrupt = nil }()
		r := Drill(ctx, d, job, usb)
		if r.OK || len(r.Errors) != 1 || !strings.Contains(r.Errors[0], first[2]+": restored content") {
			t.Errorf("drill %+v, want a mismatch on %s", r, first[2])
		}
		f.restoreCorrupt = map[string][]byte{first[2]: []byte("short")}
		r = Drill(ctx, d, job, usb)
		if r.OK || !strings.Contains(strings.Join(r.Errors, ";"), "restored 5 bytes") {
			t.Errorf("drill %+v, want a size mismatch", r)
		}
	})

	t.Run("restore fails", func(t *testing.T) {
		f.fail["Restore /usb/docs"] = fmt.Errorf("wrong password")
		defer delete(f.fail, "Restore /usb/docs")
		r := Drill(ctx, d, job, usb)
		if r.OK || !strings.Contains(strings.Join(r.Errors, ";"), "restore 3 files") {
			t.Errorf("drill %+v, want the restore failure", r)
		}
	})

	t.Run("no snapshot", func(t *testing.T) {
		other := job
		other.Name = "other"
		r := Drill(ctx, d, other, usb)
		if r.OK || r.Errors[0] != "no snapshot of the job to restore" {
			t.Errorf("drill %+v", r)
		}
	})

	if f.count("Restore") <= restores {
		t.Error("the subtests restored nothing")
	}
	// every temporary directory is gone
	if left, _ := filepath.Glob(filepath.Join(tmp, "itlag-drill-*")); len(left) != 0 {
		t.Errorf("temporary directories left behind: %v", left)
	}
}

func TestPickFiles(t *testing.T) {
	var nodes []restic.Node
	for i := range 100 {
		nodes = append(nodes, restic.Node{Path: fmt.Sprintf("/s/%03d", i), Type: "file"})
	}
	nodes = append(nodes, restic.Node{Path: "/s", Type: "dir"}, restic.Node{Path: "/s/link", Type: "symlink"}, restic.Node{Path: "/s/a*b", Type: "file"})
	a, b := pickFiles(nodes, 5, "snap-a"), pickFiles(slices.Clone(nodes), 5, "snap-b")
	if len(a) != 5 || len(b) != 5 {
		t.Fatalf("picked %d and %d, want 5", len(a), len(b))
	}
	if slices.Equal(a, b) {
		t.Errorf("two seeds picked the same files %v", a)
	}
	if again := pickFiles(slices.Clone(nodes), 5, "snap-a"); !slices.Equal(a, again) {
		t.Errorf("the same seed picked %v then %v", a, again)
	}
	if !slices.IsSortedFunc(a, func(x, y restic.Node) int { return strings.Compare(x.Path, y.Path) }) {
		t.Errorf("pick %v not in path order", a)
	}
	if all := pickFiles(nodes, 1000, "x"); len(all) != 100 {
		t.Errorf("picked %d of 100 regular files with plain names, want all", len(all))
	}
}

func TestVerify(t *testing.T) {
	f, d, job, _, _ := drillSetup(t)
	ctx := context.Background()
	rep, err := Verify(ctx, d, job, true, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Destinations) != 2 || !rep.Destinations[0].OK() || !rep.Destinations[1].OK() {
		t.Fatalf("report %+v", rep)
	}
	if n := count(t, d.DB, `SELECT count(*) FROM backup_checks WHERE ok = 1`); n != 2 {
		t.Errorf("%d checks recorded ok, want 2", n)
	}
	if n := count(t, d.DB, `SELECT count(*) FROM backup_drills WHERE ok = 1 AND files_checked = 3 AND snapshot_id != ''`); n != 2 {
		t.Errorf("%d drills recorded ok, want 2", n)
	}

	// the cloud check finds damage; the usb repository's check cannot run
	f.check["b2:bucket:docs"] = restic.CheckResult{OK: false, Errors: []string{"pack 1234: not referenced in any index", "2 errors"}}
	f.fail["Check /usb/docs"] = errDown
	rep, err = Verify(ctx, d, job, true, false)
	if err == nil || !strings.Contains(err.Error(), "destination cloud: check: pack 1234: not referenced in any index (and 1 more)") ||
		!strings.Contains(err.Error(), "destination usb: check: check did not run: connection refused") {
		t.Fatalf("error %v", err)
	}
	if rep.Destinations[0].Drill != nil {
		t.Error("a drill ran without being asked for")
	}
	sts, err := Status(ctx, d, []Job{job}, d.Now())
	if err != nil {
		t.Fatal(err)
	}
	var crit []string
	for _, fd := range Findings(sts) {
		if fd.Severity == "critical" {
			crit = append(crit, fd.Source+": "+fd.Summary+": "+fd.Detail)
		}
	}
	if len(crit) != 2 || !strings.Contains(crit[0], "backup:docs/cloud: restic check failed") || !strings.Contains(crit[0], "2 errors") {
		t.Errorf("critical findings %q, want a failed check on both", crit)
	}
	if sts[0].LastCheck == nil || sts[0].LastCheck.OK || len(sts[0].LastCheck.Errors) != 2 || sts[0].LastDrill == nil || !sts[0].LastDrill.OK {
		t.Errorf("cloud status: check %+v, drill %+v", sts[0].LastCheck, sts[0].LastDrill)
	}
}
