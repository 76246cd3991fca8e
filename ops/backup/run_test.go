package backup

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lagrieta/itlag/ops/backup/restic"
	"github.com/lagrieta/itlag/schema"
)

func TestRun(t *testing.T) {
	src := t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "a.txt"), []byte("alpha"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := newClock()
	f := newFake(c.now)
	d := deps(t, f, c)
	var mu sync.Mutex
	progress := map[string]int{}
	d.Progress = func(dest string, p restic.Progress) {
		mu.Lock()
		progress[dest]++
		mu.Unlock()
	}
	job := jobsOf(t, map[string]schema.Backup{"docs": backupSpec("docs", src)})[0]
	ctx := context.Background()

	rep, err := Run(ctx, d, job, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Destinations) != 2 || !rep.Destinations[0].OK() || !rep.Destinations[1].OK() {
		t.Fatalf("report %+v", rep)
	}
	for _, dr := range rep.Destinations {
		if !dr.Initialized || dr.Forget == nil || dr.Summary.SnapshotID == "" {
			t.Errorf("%s: %+v, want initialized, a snapshot and forget run", dr.Destination, dr)
		}
	}
	if progress["usb"] == 0 || progress["cloud"] == 0 {
		t.Errorf("progress heard %v, want both destinations", progress)
	}
	// retention: the job's policy, pruned, on the job's snapshots only
	want := restic.Keep{Daily: 7, Weekly: 4, Monthly: 12}
	if len(f.forgets) != 2 {
		t.Fatalf("forget called %d times, want 2", len(f.forgets))
	}
	for _, fg := range f.forgets {
		if fg.Keep != want || !fg.Prune || !slices.Equal(fg.Tags, []string{"job:docs"}) {
			t.Errorf("forget %+v, want keep %+v, prune, tag job:docs", fg, want)
		}
	}
	snaps, _ := f.Snapshots(ctx, restic.Repo{URL: "/usb/docs"})
	if len(snaps) != 1 || !slices.Equal(snaps[0].Tags, []string{"itlag", "job:docs", "daily"}) || snaps[0].Hostname != "office" {
		t.Errorf("snapshots %+v", snaps)
	}

	// the second, full run does not init again: the repository is known
	c.add(24 * time.Hour)
	rep, err = Run(ctx, d, job, true)
	if err != nil {
		t.Fatal(err)
	}
	if f.count("Init") != 2 || rep.Destinations[0].Initialized {
		t.Errorf("Init called %d times over two runs, want 2 (the first run only)", f.count("Init"))
	}
	snaps, _ = f.Snapshots(ctx, restic.Repo{URL: "/usb/docs"})
	if len(snaps) != 2 || !slices.Contains(snaps[1].Tags, "full") {
		t.Errorf("snapshots %+v, want a second one tagged full", snaps)
	}
	if n := count(t, d.DB, `SELECT count(*) FROM backup_runs WHERE job = 'docs' AND ok = 1`); n != 4 {
		t.Errorf("%d successful runs recorded, want 4", n)
	}
	if n := count(t, d.DB, `SELECT count(*) FROM backup_runs WHERE full = 1 AND destination = 'usb' AND data_added = 100 AND bytes_processed = 1000 AND duration_ms = 1000 AND snapshot_id != ''`); n != 1 {
		t.Errorf("%d full usb runs with the summary recorded, want 1", n)
	}
	last, err := LastRun(ctx, d.DB, "docs", "usb")
	if err != nil || last == nil || !last.Full || !last.StartedAt.Equal(c.now()) || last.Repository != "/usb/docs" {
		t.Errorf("LastRun = %+v, %v", last, err)
	}
}

func TestRunOneDestinationFails(t *testing.T) {
	c := newClock()
	f := newFake(c.now)
	d := deps(t, f, c)
	job := jobsOf(t, map[string]schema.Backup{"docs": backupSpec("docs", t.TempDir())})[0]
	f.fail["Backup b2:bucket:docs"] = errDown
	rep, err := Run(context.Background(), d, job, false)
	if err == nil || !strings.Contains(err.Error(), "job docs: destination cloud: backup: connection refused") {
		t.Fatalf("error %v, want one naming the cloud destination", err)
	}
	if strings.Contains(err.Error(), "usb") {
		t.Errorf("error %q names usb, which succeeded", err)
	}
	if rep.Destinations[0].OK() || !rep.Destinations[1].OK() {
		t.Errorf("report %+v: want cloud failed, usb ok", rep)
	}
	// no forget where the backup failed
	if len(f.forgets) != 1 || f.forgets[0].URL != "/usb/docs" {
		t.Errorf("forgets %+v, want usb only", f.forgets)
	}
	if n := count(t, d.DB, `SELECT count(*) FROM backup_runs WHERE destination = 'cloud' AND ok = 0 AND error LIKE '%connection refused%'`); n != 1 {
		t.Errorf("%d failed cloud runs recorded, want 1", n)
	}
	if n := count(t, d.DB, `SELECT count(*) FROM backup_runs WHERE destination = 'usb' AND ok = 1`); n != 1 {
		t.Errorf("%d usb runs recorded ok, want 1", n)
	}
	// the cloud repository never held a snapshot: the next run inits it again
	delete(f.fail, "Backup b2:bucket:docs")
	if _, err := Run(context.Background(), d, job, false); err != nil {
		t.Fatal(err)
	}
	if got := f.count("Init"); got != 3 {
		t.Errorf("Init called %d times, want 3 (twice for cloud, once for usb)", got)
	}
}

func TestRunInitFailsAndMissingRepository(t *testing.T) {
	c := newClock()
	f := newFake(c.now)
	d := deps(t, f, c)
	job := jobsOf(t, map[string]schema.Backup{"docs": backupSpec("docs", t.TempDir())})[0]
	f.fail["Init /usb/docs"] = errors.New("permission denied")
	_, err := Run(context.Background(), d, job, false)
	if err == nil || !strings.Contains(err.Error(), "destination usb: init: permission denied") {
		t.Fatalf("error %v", err)
	}
	if f.count("Backup") != 1 {
		t.Errorf("Backup called %d times, want once (cloud only)", f.count("Backup"))
	}
	delete(f.fail, "Init /usb/docs")
	if _, err := Run(context.Background(), d, job, false); err != nil {
		t.Fatal(err)
	}
	// the USB repository vanishes (disk unmounted): the run fails, no new repository
	delete(f.repos, "/usb/docs")
	inits := f.count("Init")
	_, err = Run(context.Background(), d, job, false)
	if err == nil || !strings.Contains(err.Error(), "destination usb: backup: no repository") {
		t.Fatalf("error %v, want the missing usb repository", err)
	}
	if f.count("Init") != inits || f.repos["/usb/docs"] != nil {
		t.Error("a repository that held snapshots was created again")
	}
}

func TestRunPartialAndForgetFailure(t *testing.T) {
	c := newClock()
	f := newFake(c.now)
	d := deps(t, f, c)
	job := jobsOf(t, map[string]schema.Backup{"docs": backupSpec("docs", t.TempDir())})[0]
	f.fail["Partial /usb/docs"] = errors.New("yes")
	f.fail["Warn /usb/other"] = errors.New("/volume1/gone: no such file or directory")
	f.fail["Forget b2:bucket:docs"] = errors.New("repository is already locked")
	rep, err := Run(context.Background(), d, job, false)
	if err == nil {
		t.Fatal("no error")
	}
	cloud, usb := rep.Destinations[0], rep.Destinations[1]
	if !usb.Partial || !errors.Is(usb.Err, restic.ErrPartial) || usb.Forget != nil {
		t.Errorf("usb %+v: want partial, no forget", usb)
	}
	if cloud.Err != nil || cloud.ForgetErr == nil || cloud.OK() {
		t.Errorf("cloud %+v: want the backup ok, forget failed", cloud)
	}
	if n := count(t, d.DB, `SELECT count(*) FROM backup_runs WHERE destination = 'usb' AND ok = 0 AND snapshot_id != ''`); n != 1 {
		t.Error("the partial usb run is not recorded as failed with its snapshot")
	}
	if n := count(t, d.DB, `SELECT count(*) FROM backup_runs WHERE destination = 'cloud' AND ok = 1 AND forget_error LIKE '%locked%'`); n != 1 {
		t.Error("the cloud run's forget error is not recorded")
	}
	// restic 0.14 exits 0 without a source path, with a warning
	other := job
	other.Name, other.Destinations = "other", []Destination{{Name: "usb", Repository: "/usb/other", Repo: restic.Repo{URL: "/usb/other"}}}
	orep, err := Run(context.Background(), d, other, false)
	if err == nil || !orep.Destinations[0].Partial || !strings.Contains(err.Error(), "/volume1/gone: no such file") || len(f.forgets) != 0 {
		t.Errorf("run with a warning: %v, %+v (forgets %d), want partial, no forget", err, orep, len(f.forgets))
	}
	sts, err := Status(context.Background(), d, []Job{job}, c.now())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, fd := range Findings(sts) {
		got[fd.Source] += string(fd.Severity) + ":" + fd.Summary + ";"
	}
	if !strings.Contains(got["backup:docs/usb"], "high:last run failed") || !strings.Contains(got["backup:docs/cloud"], "medium:retention not applied") {
		t.Errorf("findings %v", got)
	}
}

func TestRunCancelled(t *testing.T) {
	c := newClock()
	f := newFake(c.now)
	d := deps(t, f, c)
	job := jobsOf(t, map[string]schema.Backup{"docs": backupSpec("docs", t.TempDir())})[0]
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Run(ctx, d, job, false)
	if !errors.Is(err, context.Canceled) || f.count("Backup") != 0 {
		t.Errorf("error %v with %d backups, want cancelled before any", err, f.count("Backup"))
	}
}
