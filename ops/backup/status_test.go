package backup

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/ops/backup/restic"
	"github.com/lagrieta/itlag/schema"
)

func TestStatusFreshness(t *testing.T) {
	c := newClock()
	f := newFake(c.now)
	d := deps(t, f, c)
	job := jobsOf(t, map[string]schema.Backup{"docs": backupSpec("docs", t.TempDir())})[0]
	ctx := context.Background()

	// the cloud repository exists but holds no snapshot of the job
	if err := f.Init(ctx, restic.Repo{URL: "b2:bucket:docs"}); err != nil {
		t.Fatal(err)
	}
	usb := job.Destinations[1].Repo
	if err := f.Init(ctx, usb); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Backup(ctx, usb, job.Sources, restic.BackupOptions{Tags: Tags("docs", false)}); err != nil {
		t.Fatal(err)
	}
	// another job's newer snapshot in the same repository does not count
	if _, err := f.Backup(ctx, usb, job.Sources, restic.BackupOptions{Tags: Tags("other", false), Time: t0.Add(40 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		after time.Duration
		usb   State
	}{
		{0, StateOK},
		{30 * time.Hour, StateOK}, // a day plus the 6h grace: not late yet
		{30*time.Hour + time.Minute, StateLate},
		{31 * time.Hour, StateLate},
	} {
		sts, err := Status(ctx, d, []Job{job}, t0.Add(tc.after))
		if err != nil {
			t.Fatal(err)
		}
		if len(sts) != 2 || sts[0].Destination != "cloud" || sts[0].State != StateMissing || sts[1].State != tc.usb {
			t.Errorf("after %v: %s %s, %s %s; want cloud missing, usb %s", tc.after, sts[0].Destination, sts[0].State, sts[1].Destination, sts[1].State, tc.usb)
		}
		if sts[1].Snapshots != 1 || sts[1].RetentionMax != 23 || sts[1].Age != tc.after {
			t.Errorf("after %v: usb %d snapshots (retention %d), age %v", tc.after, sts[1].Snapshots, sts[1].RetentionMax, sts[1].Age)
		}
	}
	sts, err := Status(ctx, d, []Job{job}, t0.Add(31*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	fs := Findings(sts)
	if len(fs) != 2 {
		t.Fatalf("findings %v, want missing and late", fs)
	}
	if fs[0].Severity != "high" || fs[0].Source != "backup:docs/cloud" || fs[0].Summary != "no snapshot at all, schedule daily at 02:30 + 6h grace" {
		t.Errorf("missing finding %+v", fs[0])
	}
	if fs[1].Severity != "high" || fs[1].Source != "backup:docs/usb" || fs[1].Summary != "no snapshot for 31h, schedule daily at 02:30 + 6h grace" {
		t.Errorf("late finding %+v", fs[1])
	}
	// the fingerprint stays while the problem does, even as the age grows
	later, _ := Status(ctx, d, []Job{job}, t0.Add(50*time.Hour))
	if fl := Findings(later); fl[1].Fingerprint != fs[1].Fingerprint || fl[1].Summary == fs[1].Summary {
		t.Errorf("late finding %+v then %+v: want the same fingerprint, a new summary", fs[1], fl[1])
	}

	// unreachable
	f.fail["Snapshots /usb/docs"] = errDown
	sts, err = Status(ctx, d, []Job{job}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if sts[1].State != StateUnreachable || !strings.Contains(sts[1].Error, "connection refused") {
		t.Errorf("usb %+v, want unreachable", sts[1])
	}
}

// TestStatusOneListPerRepository: 3 jobs × 2 destinations cost one
// Snapshots call per repository, whether the jobs share repositories or
// not.
func TestStatusOneListPerRepository(t *testing.T) {
	ctx := context.Background()
	for _, shared := range []bool{false, true} {
		t.Run(fmt.Sprintf("shared=%v", shared), func(t *testing.T) {
			c := newClock()
			f := newFake(c.now)
			d := deps(t, f, c)
			backups := map[string]schema.Backup{}
			for _, name := range []string{"docs", "mail", "photos"} {
				b := backupSpec(name, t.TempDir())
				if shared {
					b.Destinations = map[string]schema.Destination{
						"usb":   {Repository: "/usb/all", Media: "usb", Password: ref("PW")},
						"cloud": {Repository: "b2:bucket:all", Media: "cloud", Offsite: true, Password: ref("PW")},
					}
				}
				backups[name] = b
			}
			jobs := jobsOf(t, backups)
			// photos has run twice, docs once, mail never
			for i, name := range []string{"docs", "photos", "photos"} {
				c.t = t0.Add(time.Duration(i) * time.Hour)
				j := jobs[map[string]int{"docs": 0, "mail": 1, "photos": 2}[name]]
				if _, err := Run(ctx, d, j, false); err != nil {
					t.Fatal(err)
				}
			}
			before := f.count("Snapshots")
			sts, err := Status(ctx, d, jobs, t0.Add(3*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			wantCalls := 6
			if shared {
				wantCalls = 2
			}
			if got := f.count("Snapshots") - before; got != wantCalls {
				t.Errorf("%d Snapshots calls, want %d (one per repository)", got, wantCalls)
			}
			if len(sts) != 6 {
				t.Fatalf("%d statuses, want 6", len(sts))
			}
			want := map[string]int{"docs": 1, "mail": 0, "photos": 2}
			for _, st := range sts {
				if st.Snapshots != want[st.Job] {
					t.Errorf("%s/%s: %d snapshots, want %d", st.Job, st.Destination, st.Snapshots, want[st.Job])
				}
				if st.LastRun == nil && st.Job != "mail" {
					t.Errorf("%s/%s: no last run", st.Job, st.Destination)
				}
			}
			if sts[4].Job != "photos" || sts[4].Latest == nil || !sts[4].Latest.Time.Equal(t0.Add(2*time.Hour)) {
				t.Errorf("photos latest %+v, want its second run", sts[4].Latest)
			}
		})
	}
}

func TestFindings(t *testing.T) {
	job := jobsOf(t, map[string]schema.Backup{"docs": backupSpec("docs", "/src")})[0]
	now := t0.Add(100 * 24 * time.Hour)
	base := DestinationStatus{
		Job: "docs", Destination: "usb", Repository: "/usb/docs", Schedule: job.Schedule, Verify: job.Verify, At: now,
		State: StateOK, Latest: &restic.Snapshot{ShortID: "abcd1234", Time: now.Add(-time.Hour)}, Oldest: now.Add(-90 * 24 * time.Hour),
		LastCheck: &CheckRecord{At: now.Add(-24 * time.Hour), OK: true},
		LastDrill: &DrillRecord{At: now.Add(-24 * time.Hour), OK: true},
		LastRun:   &RunRecord{OK: true},
	}
	for _, tc := range []struct {
		name   string
		change func(*DestinationStatus)
		want   []string // "severity key summary"
	}{
		{"healthy", func(*DestinationStatus) {}, nil},
		{"late", func(s *DestinationStatus) {
			s.State, s.Age, s.Latest.Time = StateLate, 31*time.Hour, now.Add(-31*time.Hour)
		}, []string{"high late no snapshot for 31h, schedule daily at 02:30 + 6h grace"}},
		{"late for days", func(s *DestinationStatus) { s.State, s.Age = StateLate, 100*time.Hour }, []string{"high late no snapshot for 4d, schedule daily at 02:30 + 6h grace"}},
		{"missing", func(s *DestinationStatus) { s.State, s.Latest = StateMissing, nil }, []string{"high missing no snapshot at all, schedule daily at 02:30 + 6h grace"}},
		{"unreachable", func(s *DestinationStatus) { s.State, s.Error = StateUnreachable, "list snapshots: connection refused" },
			[]string{"high unreachable repository /usb/docs cannot be listed"}},
		{"check failed", func(s *DestinationStatus) {
			s.LastCheck.OK, s.LastCheck.Errors = false, []string{"pack abc: not found"}
		},
			[]string{"critical check-failed restic check failed (" + now.Add(-24*time.Hour).Format(time.RFC3339) + ")"}},
		{"drill failed", func(s *DestinationStatus) { s.LastDrill.OK = false },
			[]string{"critical drill-failed restore drill failed (" + now.Add(-24*time.Hour).Format(time.RFC3339) + ")"}},
		{"check overdue", func(s *DestinationStatus) { s.LastCheck.At = now.Add(-8*24*time.Hour - time.Minute) },
			[]string{"medium check-overdue no check for 8d, want one weekly"}},
		{"check within a week and a day", func(s *DestinationStatus) { s.LastCheck.At = now.Add(-8 * 24 * time.Hour) }, nil},
		{"drill overdue", func(s *DestinationStatus) { s.LastDrill.At = now.Add(-39 * 24 * time.Hour) },
			[]string{"medium drill-overdue no restore drill for 39d, want one monthly"}},
		{"drill within a month and a week", func(s *DestinationStatus) { s.LastDrill.At = now.Add(-38 * 24 * time.Hour) }, nil},
		{"never verified, old job", func(s *DestinationStatus) { s.LastCheck, s.LastDrill = nil, nil },
			[]string{"medium check-overdue no check ever, want one weekly", "medium drill-overdue no restore drill ever, want one monthly"}},
		{"never verified, new job", func(s *DestinationStatus) { s.LastCheck, s.LastDrill, s.Oldest = nil, nil, now.Add(-2*24*time.Hour) }, nil},
		{"run failed", func(s *DestinationStatus) { s.LastRun = &RunRecord{StartedAt: now, Error: "backup: boom"} },
			[]string{"high run-failed last run failed (" + now.Format(time.RFC3339) + ")"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := base
			l, c, d := *base.Latest, *base.LastCheck, *base.LastDrill
			st.Latest, st.LastCheck, st.LastDrill = &l, &c, &d
			tc.change(&st)
			fs := Findings([]DestinationStatus{st})
			var got []string
			for _, f := range fs {
				if f.Source != "backup:docs/usb" {
					t.Errorf("source %q", f.Source)
				}
				got = append(got, string(f.Severity)+" "+keyOf(f.Fingerprint)+" "+f.Summary)
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("findings\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// keyOf finds which key a finding of backup:docs/usb was made with.
func keyOf(fp string) string {
	for _, k := range []string{keyUnreachable, keyMissing, keyLate, keyRunFailed, keyForgetFailed, keyCheckFailed, keyDrillFailed, keyCheckOverdue, keyDrillOverdue} {
		if f := newFindingFP("backup:docs/usb", k); f == fp {
			return k
		}
	}
	return "?"
}

func newFindingFP(source, key string) string {
	return finding.New(finding.Low, source, key, "").Fingerprint
}

func TestLocalSize(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "data", "00"), 0o700); err != nil {
		t.Fatal(err)
	}
	for name, n := range map[string]int{"config": 155, "data/00/pack": 4096} {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), make([]byte, n), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if got := localSize(dir); got != 155+4096 {
		t.Errorf("localSize = %d, want %d", got, 155+4096)
	}
	for _, repo := range []string{"b2:bucket:docs", "sftp:u@h:/r", "relative/dir", filepath.Join(dir, "missing")} {
		if got := localSize(repo); got != -1 {
			t.Errorf("localSize(%q) = %d, want -1 (unknown)", repo, got)
		}
	}
}
