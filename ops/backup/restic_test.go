package backup

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/ops/backup/restic"
	"github.com/lagrieta/itlag/schema"
	"github.com/lagrieta/itlag/schema/secret"
)

const testPassword = "correct horse battery staple"

// testEnv is the environment the references of realSetup's job read.
var testEnv = map[string]string{"ITLAG_TEST_RESTIC_PW": testPassword, "ITLAG_TEST_BACKEND": "unused-by-local-repositories"}

// realSetup is a source directory and a job "docs" backing it up to two
// local repositories: usb (password in a file) and nas (password in an
// environment variable, with a backend variable).
func realSetup(t *testing.T) (Deps, Job, string) {
	t.Helper()
	r := needRestic(t)
	tmp := t.TempDir()
	src := filepath.Join(tmp, "src")
	mustMkdir(t, filepath.Join(src, "sub"))
	for i := range 8 {
		b := make([]byte, 1000+i*3000)
		rand.Read(b)
		if err := os.WriteFile(filepath.Join(src, fmt.Sprintf("f%02d.bin", i)), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for name, content := range map[string]string{"sub/a.txt": "alpha", "sub/b.txt": "beta", "sub/x*y.txt": "a glob", "skip.tmp": "excluded"} {
		if err := os.WriteFile(filepath.Join(src, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// the source predates the snapshots
	old := time.Now().Add(-time.Hour)
	filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error { return os.Chtimes(p, old, old) })

	pwFile := filepath.Join(tmp, "restic-docs")
	if err := os.WriteFile(pwFile, []byte(testPassword+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	usb, nas := filepath.Join(tmp, "usb"), filepath.Join(tmp, "nas")
	newTestRepo(t, usb, testPassword)
	newTestRepo(t, nas, testPassword)
	b := schema.Backup{
		RunsOn: "local", Sources: []string{src}, Exclude: []string{"*.tmp"}, SourceMedia: "disk",
		Destinations: map[string]schema.Destination{
			"usb": {Repository: usb, Media: "usb", Password: schema.CredentialRef{File: pwFile}},
			"nas": {Repository: nas, Media: "nas", Offsite: true, Password: schema.CredentialRef{Env: "ITLAG_TEST_RESTIC_PW"},
				Env: map[string]schema.CredentialRef{"AWS_PROFILE": {Env: "ITLAG_TEST_BACKEND"}}},
		},
		Schedule:  schema.BackupSchedule{Daily: "02:30", WeeklyFull: "sunday", Grace: "6h"},
		Retention: schema.Retention{KeepDaily: 7},
		Verify:    schema.Verify{CheckEvery: "weekly", ReadDataSubset: "100%", DrillEvery: "monthly", DrillFiles: 5},
	}
	// files through secret.Resolve, the environment from testEnv (t.Setenv
	// would forbid parallel tests)
	resolve := func(ref schema.CredentialRef) (string, error) {
		if ref.Env != "" {
			return testEnv[ref.Env], nil
		}
		return secret.Resolve(ref)
	}
	jobs, err := JobsFromState(&schema.State{Backups: map[string]schema.Backup{"docs": b}}, resolve)
	if err != nil {
		t.Fatal(err)
	}
	return Deps{Restic: r, DB: openDB(t), Now: time.Now}, jobs[0], src
}

func TestResticRunVerifyCorrupt(t *testing.T) {
	t.Parallel()
	d, job, src := realSetup(t)
	r := d.Restic.(*restic.Runner)
	ctx := context.Background()

	first, err := Run(ctx, d, job, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "sub", "a.txt"), []byte("alpha, edited"), 0o600); err != nil {
		t.Fatal(err)
	}
	second, err := Run(ctx, d, job, true)
	if err != nil {
		t.Fatal(err)
	}
	for i, dr := range second.Destinations {
		// 11 files: the .tmp one is excluded
		if !first.Destinations[i].Initialized || dr.Initialized || dr.Summary.TotalFilesProcessed != 11 || dr.Forget == nil {
			t.Errorf("%s: first run %+v, second %+v", dr.Destination, first.Destinations[i], dr)
		}
		// keep_daily 7 keeps the newer of two snapshots of one day
		snaps, err := r.Snapshots(ctx, job.Destinations[i].Repo, JobTag("docs"))
		if err != nil {
			t.Fatal(err)
		}
		want := 1
		if first.Destinations[i].StartedAt.Local().YearDay() != dr.StartedAt.Local().YearDay() {
			want = 2 // the runs straddled midnight
		}
		if len(snaps) != want || len(dr.Forget.Removed) != 2-want || !strings.Contains(strings.Join(snaps[len(snaps)-1].Tags, ","), "full") {
			t.Errorf("%s: snapshots %+v after forget (removed %d), want %d, the full one last", dr.Destination, snaps, len(dr.Forget.Removed), want)
		}
	}
	if n := count(t, d.DB, `SELECT count(*) FROM backup_runs WHERE ok = 1 AND snapshot_id != '' AND bytes_processed > 0`); n != 4 {
		t.Errorf("%d runs recorded with their summary, want 4", n)
	}

	rep, err := Verify(ctx, d, job, true, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, dv := range rep.Destinations {
		if !dv.OK() || dv.Drill.FilesChecked+dv.Drill.FilesSkipped != 5 || dv.Drill.FilesChecked < 4 {
			t.Errorf("%s: check %+v, drill %+v", dv.Destination, dv.Check, dv.Drill)
		}
	}
	sts, err := Status(ctx, d, []Job{job}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range sts {
		if st.State != StateOK || st.LastCheck == nil || !st.LastCheck.OK || st.LastDrill == nil || !st.LastDrill.OK || st.LastRun == nil || !st.LastRun.Full {
			t.Errorf("%s: status %+v", st.Destination, st)
		}
	}
	if fs := Findings(sts); len(fs) != 0 {
		t.Errorf("findings on healthy backups: %v", fs)
	}

	// damage every pack file of the usb repository
	usb := job.Destinations[1]
	if usb.Name != "usb" {
		t.Fatalf("destination %s, want usb", usb.Name)
	}
	corruptPacks(t, usb.Repository)
	rep, err = Verify(ctx, d, job, true, true)
	if err == nil || !strings.Contains(err.Error(), "destination usb") || strings.Contains(err.Error(), "destination nas") {
		t.Fatalf("verify after corruption: %v, want usb only to fail", err)
	}
	if strings.Contains(err.Error(), testPassword) {
		t.Errorf("error shows the password: %v", err)
	}
	if u := rep.Destinations[1]; u.Check.OK || u.Drill.OK {
		t.Errorf("usb check %+v, drill %+v: want both failed", u.Check, u.Drill)
	}
	sts, err = Status(ctx, d, []Job{job}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var crit []string
	for _, f := range Findings(sts) {
		if f.Severity == finding.Critical {
			crit = append(crit, f.Source+" "+f.Summary)
		}
	}
	if len(crit) != 2 || !strings.Contains(crit[0], "backup:docs/usb restic check failed") || !strings.Contains(crit[1], "backup:docs/usb restore drill failed") {
		t.Errorf("critical findings %q, want the usb check and drill", crit)
	}
}

// corruptPacks flips a byte in every 256 of every pack file of the
// repository at dir, so that no blob decrypts.
func corruptPacks(t *testing.T, dir string) {
	t.Helper()
	n := 0
	err := filepath.WalkDir(filepath.Join(dir, "data"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		if err := os.Chmod(p, 0o600); err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for i := 0; i < len(b); i += 256 {
			b[i] ^= 0xff
		}
		n++
		return os.WriteFile(p, b, 0o600)
	})
	if err != nil || n == 0 {
		t.Fatalf("corrupt %s: %d packs, %v", dir, n, err)
	}
}

// TestResticRunbook runs the runbook's shell lines, in each language, with
// bash against each destination (password in a file, in a variable): they
// list, find, restore and check with the real restic.
func TestResticRunbook(t *testing.T) {
	t.Parallel()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash not found")
	}
	d, job, src := realSetup(t)
	if _, err := Run(context.Background(), d, job, false); err != nil {
		t.Fatal(err)
	}
	for _, lang := range RunbookLangs() {
		rb, err := Runbook(job, lang)
		if err != nil {
			t.Fatal(err)
		}
		blocks := regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(rb, -1)
		if len(blocks) != len(job.Destinations)+1 {
			t.Fatalf("%s: %d shell blocks in the runbook, want %d", lang, len(blocks), len(job.Destinations)+1)
		}
		commands := blocks[len(blocks)-1][1]
		for i, d := range job.Destinations {
			target := t.TempDir()
			script := "set -euo pipefail\n" + blocks[i][1] +
				strings.NewReplacer("/tmp/restore-"+job.Name, target, "SNAPSHOT_ID", "latest").Replace(commands)
			cmd := exec.Command(bash, "-c", script)
			cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "RESTIC_CACHE_DIR=" + t.TempDir()}
			for k, v := range testEnv {
				cmd.Env = append(cmd.Env, k+"="+v)
			}
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Errorf("%s/%s: the runbook's commands failed: %v\n%s\n--- script\n%s", lang, d.Name, err, out, script)
				continue
			}
			if !bytes.Contains(out, []byte("no errors were found")) {
				t.Errorf("%s/%s: restic check said\n%s", lang, d.Name, out)
			}
			got, err := os.ReadFile(filepath.Join(target, src, "sub", "a.txt"))
			if err != nil || string(got) != "alpha" {
				t.Errorf("%s/%s: restored sub/a.txt = %q, %v", lang, d.Name, got, err)
			}
		}
	}
}

// TestResticStatusLate: a job whose last snapshot is older than a day
// plus the grace is late, another job's fresh snapshot in the same
// repository does not hide it, and the shared repository is listed once.
func TestResticStatusLate(t *testing.T) {
	t.Parallel()
	d, job, src := realSetup(t)
	r := d.Restic.(*restic.Runner)
	ctx := context.Background()
	now := time.Now()
	usb := job.Destinations[1]
	if _, err := r.Backup(ctx, usb.Repo, []string{src}, restic.BackupOptions{Tags: Tags("docs", false), Host: "local", Time: now.Add(-40 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Backup(ctx, usb.Repo, []string{src}, restic.BackupOptions{Tags: Tags("mail", false), Host: "local"}); err != nil {
		t.Fatal(err)
	}
	mail := job
	mail.Name = "mail"
	mail.Destinations = []Destination{usb}
	job.Destinations = []Destination{usb}
	before := r.Calls.Load()
	sts, err := Status(ctx, d, []Job{job, mail}, now)
	if err != nil {
		t.Fatal(err)
	}
	if calls := r.Calls.Load() - before; calls != 1 {
		t.Errorf("%d restic calls for two jobs in one repository, want 1", calls)
	}
	if sts[0].State != StateLate || sts[0].Age < 40*time.Hour-time.Second || sts[0].Age > 40*time.Hour+time.Second || sts[1].State != StateOK {
		t.Fatalf("docs %s (age %v), mail %s: want docs late by 40h, mail ok", sts[0].State, sts[0].Age, sts[1].State)
	}
	fs := Findings(sts)
	if len(fs) != 1 || fs[0].Severity != finding.High || fs[0].Summary != "no snapshot for 40h, schedule daily at 02:30 + 6h grace" {
		t.Errorf("findings %v, want docs late", fs)
	}
}
