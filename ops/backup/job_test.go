package backup

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lagrieta/itlag/schema"
)

func TestJobsFromState(t *testing.T) {
	st := &schema.State{Backups: map[string]schema.Backup{
		"photos": backupSpec("photos", "/volume1/photos"),
		"docs":   backupSpec("docs", "/volume1/docs", "/volume1/scans"),
	}}
	jobs, err := JobsFromState(st, secrets)
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 2 || jobs[0].Name != "docs" || jobs[1].Name != "photos" {
		t.Fatalf("jobs %+v, want docs then photos", jobs)
	}
	j := jobs[0]
	if len(j.Destinations) != 2 || j.Destinations[0].Name != "cloud" || j.Destinations[1].Name != "usb" {
		t.Fatalf("destinations %+v, want cloud then usb", j.Destinations)
	}
	cloud := j.Destinations[0]
	if cloud.Repo.URL != "b2:bucket:docs" || cloud.Repo.Password != "secret-of-env:PW_CLOUD" ||
		cloud.Repo.Env["B2_ACCOUNT_KEY"] != "secret-of-file:/run/secrets/b2" || len(cloud.Repo.Env) != 1 {
		t.Errorf("cloud repo %+v", cloud.Repo)
	}
	if cloud.PasswordRef.Env != "PW_CLOUD" || !cloud.Offsite || cloud.Media != "cloud" {
		t.Errorf("cloud destination %+v", cloud)
	}
	if j.Schedule.Grace != 6*time.Hour || j.Schedule.WeeklyFull != time.Sunday || j.Schedule.Expected() != 30*time.Hour {
		t.Errorf("schedule %+v", j.Schedule)
	}
	if j.Verify.CheckEvery != 7*24*time.Hour || j.Verify.DrillEvery != 31*24*time.Hour || j.Verify.DrillFiles != 3 {
		t.Errorf("verify %+v", j.Verify)
	}
	if !j.Schedule.FullOn(time.Date(2026, 11, 29, 2, 30, 0, 0, time.UTC)) || j.Schedule.FullOn(t0) {
		t.Error("FullOn: want Sunday 2026-11-29 only")
	}
	if got := Tags("docs", true); strings.Join(got, ",") != "itlag,job:docs,full" {
		t.Errorf("Tags = %v", got)
	}

	un, err := JobsFromStateUnresolved(st)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range un[0].Destinations {
		if d.Repo.Password != "" || d.Repo.Env != nil || d.Repo.URL != d.Repository {
			t.Errorf("unresolved %s: repo %+v, want the URL only", d.Name, d.Repo)
		}
	}
}

func TestJobsFromStateErrors(t *testing.T) {
	st := &schema.State{Backups: map[string]schema.Backup{"docs": backupSpec("docs", "/d")}}
	// the password resolves; the backend variable does not
	resolve := func(r schema.CredentialRef) (string, error) {
		if r.File != "" {
			return "", errors.New("no such file")
		}
		return "hunter2-" + r.Env, nil
	}
	_, err := JobsFromState(st, resolve)
	if err == nil {
		t.Fatal("no error for an unreadable reference")
	}
	for _, want := range []string{"job docs", "destination cloud", "B2_ACCOUNT_KEY", "file:/run/secrets/b2", "no such file"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error %q shows a secret", err)
	}

	bad := backupSpec("docs", "/d")
	bad.Schedule.Grace = "6w"
	if _, err := JobsFromStateUnresolved(&schema.State{Backups: map[string]schema.Backup{"docs": bad}}); err == nil || !strings.Contains(err.Error(), "grace") {
		t.Errorf("grace 6w: %v, want an error naming grace", err)
	}
}

func TestParseDuration(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"30m", 30 * time.Minute, true},
		{"6h", 6 * time.Hour, true},
		{"2d", 48 * time.Hour, true},
		{"0h", 0, true},
		{"h", 0, false},
		{"", 0, false},
		{"-1h", 0, false},
		{"+1h", 0, false},
		{"1w", 0, false},
		{"1.5h", 0, false},
		{"99999999999999999d", 0, false},
	} {
		got, err := ParseDuration(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}
