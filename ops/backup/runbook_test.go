package backup

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/schema"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestRunbookGolden(t *testing.T) {
	waived := schema.Backup{
		RunsOn:      "local",
		Sources:     []string{"/home/ana/My Documents"},
		SourceMedia: "disk",
		Destinations: map[string]schema.Destination{
			"nas": {
				Repository: "sftp:backup@nas.office.lan:/volume1/restic/ana's laptop", Media: "nas", Offsite: false,
				Password: schema.CredentialRef{File: "/etc/itlag/restic-ana"},
				Env:      map[string]schema.CredentialRef{"AWS_ACCESS_KEY_ID": {Env: "AWS_ACCESS_KEY_ID"}, "AWS_SECRET_ACCESS_KEY": {Env: "ANA_S3_SECRET"}},
			},
		},
		Schedule:  schema.BackupSchedule{Daily: "12:15", WeeklyFull: "friday", Grace: "2d"},
		Retention: schema.Retention{KeepWithin: "30d"},
		Verify:    schema.Verify{CheckEvery: "monthly", ReadDataSubset: "1/5", DrillEvery: "monthly", DrillFiles: 5},
		Waive321:  "a laptop: the NAS's own jobs copy it offsite",
	}
	// mail: secrets in an age-encrypted file, every kind of retention
	mail := schema.Backup{
		RunsOn:      "office",
		Sources:     []string{"/volume1/mail"},
		Exclude:     []string{"*.lock", "cache/"},
		SourceMedia: "disk",
		Destinations: map[string]schema.Destination{
			"s3": {
				Repository: "s3:s3.eu-west-1.amazonaws.com/lagrieta-mail", Media: "cloud", Offsite: true,
				Password: schema.CredentialRef{Age: "secrets/office.age", Key: "RESTIC_MAIL"},
				Env:      map[string]schema.CredentialRef{"AWS_SECRET_ACCESS_KEY": {Age: "secrets/office.age", Key: "S3_SECRET"}},
			},
			"usb": {Repository: "/volumeUSB1/restic/mail", Media: "usb", Password: schema.CredentialRef{Env: "RESTIC_PASSWORD"}},
		},
		Schedule:  schema.BackupSchedule{Daily: "23:05", WeeklyFull: "wednesday", Grace: "30m"},
		Retention: schema.Retention{KeepDaily: 1, KeepWeekly: 1, KeepMonthly: 6, KeepYearly: 2, KeepWithin: "2d"},
		Verify:    schema.Verify{CheckEvery: "daily", ReadDataSubset: "100%", DrillEvery: "weekly", DrillFiles: 1},
	}
	jobs, err := JobsFromStateUnresolved(&schema.State{Backups: map[string]schema.Backup{
		"docs":   backupSpec("docs", "/volume1/docs", "/volume1/scans"),
		"laptop": waived,
		"mail":   mail,
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range jobs {
		t.Run(j.Name, func(t *testing.T) {
			got := Runbook(j)
			path := filepath.Join("testdata", "runbook-"+j.Name+".md")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("%s differs (go test ./backup -run Runbook -update to accept):\n%s", path, got)
			}
		})
	}
}

// TestRunbookNoSecret builds the runbook from resolved jobs: no secret
// value shows, only references.
func TestRunbookNoSecret(t *testing.T) {
	j := jobsOf(t, map[string]schema.Backup{"docs": backupSpec("docs", "/volume1/docs")})[0]
	rb := Runbook(j)
	if strings.Contains(rb, "secret-of-") {
		t.Errorf("runbook shows a secret:\n%s", rb)
	}
	for _, want := range []string{
		"env:PW_USB", "env:PW_CLOUD", "file:/run/secrets/b2",
		`export RESTIC_PASSWORD="${PW_CLOUD:?set PW_CLOUD (env:PW_CLOUD) first}"`,
		`export B2_ACCOUNT_KEY="$(cat /run/secrets/b2)"`,
		"restic snapshots --tag job:docs",
		"restic restore latest --tag job:docs --target /tmp/restore-docs --include /volume1/docs",
		"the rule holds",
	} {
		if !strings.Contains(rb, want) {
			t.Errorf("runbook lacks %q", want)
		}
	}
}

func TestThreeTwoOne(t *testing.T) {
	for _, tc := range []struct {
		name string
		dest map[string]schema.Destination
		want string
	}{
		{"two onsite", map[string]schema.Destination{
			"a": {Repository: "/a", Media: "usb"}, "b": {Repository: "/b", Media: "disk"}},
			"3 copies counting the source, on 2 kinds of media (disk, usb), none offsite: the rule does not hold."},
		{"same media", map[string]schema.Destination{
			"a": {Repository: "/a", Media: "disk", Offsite: true}, "b": {Repository: "/b", Media: "disk"}},
			"3 copies counting the source, on 1 kinds of media (disk), 1 offsite (a): the rule does not hold."},
		{"holds", map[string]schema.Destination{
			"a": {Repository: "/a", Media: "disk", Offsite: true}, "b": {Repository: "/b", Media: "usb"}},
			"3 copies counting the source, on 2 kinds of media (disk, usb), 1 offsite (a): the rule holds."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := backupSpec("x", "/x")
			b.Destinations = tc.dest
			j, err := JobsFromStateUnresolved(&schema.State{Backups: map[string]schema.Backup{"x": b}})
			if err != nil {
				t.Fatal(err)
			}
			if got := threeTwoOne(j[0]); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestShQuote(t *testing.T) {
	for in, want := range map[string]string{
		"/volume1/docs":  "/volume1/docs",
		"b2:bucket:docs": "b2:bucket:docs",
		"/a b":           "'/a b'",
		"ana's":          `'ana'\''s'`,
		"$(rm -rf /)":    "'$(rm -rf /)'",
		"":               "''",
	} {
		if got := shQuote(in); got != want {
			t.Errorf("shQuote(%q) = %s, want %s", in, got, want)
		}
	}
}
