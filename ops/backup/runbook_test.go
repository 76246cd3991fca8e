package backup

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/schema"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// runbookJobs are the golden runbooks' jobs: docs (secrets in the
// environment and a file), laptop (a waived 3-2-1, sftp, a password file)
// and mail (secrets in an age-encrypted file, every kind of retention).
func runbookJobs(t *testing.T) []Job {
	t.Helper()
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
	return jobs
}

// TestRunbookGolden compares each job's runbook in each language with
// testdata/runbook-JOB.md (English) and runbook-JOB.LANG.md.
func TestRunbookGolden(t *testing.T) {
	jobs := runbookJobs(t)
	for _, lang := range RunbookLangs() {
		for _, j := range jobs {
			t.Run(lang+"/"+j.Name, func(t *testing.T) {
				got, err := Runbook(j, lang)
				if err != nil {
					t.Fatal(err)
				}
				path := filepath.Join("testdata", goldenName(j.Name, lang))
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
					t.Errorf("%s differs (go test ./ops/backup -run RunbookGolden -update to accept):\n%s", path, got)
				}
			})
		}
	}
}

func goldenName(job, lang string) string {
	if lang == "en" {
		return "runbook-" + job + ".md"
	}
	return "runbook-" + job + "." + lang + ".md"
}

func TestRunbookLang(t *testing.T) {
	j := runbookJobs(t)[0]
	for _, lang := range []string{"", "fr", "EN", "es-ES"} {
		t.Run(lang, func(t *testing.T) {
			rb, err := Runbook(j, lang)
			if err == nil || !strings.Contains(err.Error(), `want en or es`) || !strings.Contains(err.Error(), `"`+lang+`"`) {
				t.Errorf("Runbook(%q) = %d bytes, %v; want an error naming en and es", lang, len(rb), err)
			}
		})
	}
}

// TestRunbookNoSecret builds the runbook from resolved jobs: in every
// language no secret value shows, only references, and the commands are
// there.
func TestRunbookNoSecret(t *testing.T) {
	j := jobsOf(t, map[string]schema.Backup{"docs": backupSpec("docs", "/volume1/docs")})[0]
	holds := map[string]string{"en": "the rule holds", "es": "se cumple la regla"}
	for _, lang := range RunbookLangs() {
		t.Run(lang, func(t *testing.T) {
			rb, err := Runbook(j, lang)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(rb, "secret-of-") {
				t.Errorf("runbook shows a secret:\n%s", rb)
			}
			for _, want := range []string{
				"env:PW_USB", "env:PW_CLOUD", "file:/run/secrets/b2",
				`export RESTIC_PASSWORD="${PW_CLOUD:?set PW_CLOUD (env:PW_CLOUD) first}"`,
				`export B2_ACCOUNT_KEY="$(cat /run/secrets/b2)"`,
				"restic snapshots --tag job:docs",
				"restic restore latest --tag job:docs --target /tmp/restore-docs --include /volume1/docs",
				holds[lang],
			} {
				if !strings.Contains(rb, want) {
					t.Errorf("runbook lacks %q", want)
				}
			}
		})
	}
}

// englishMarkers are words and phrases of the English runbook's own text
// (not of the state's names, nor of the shell commands).
var englishMarkers = []string{
	"Recovery runbook", "backup job", "Generated by", "secret:", "What is backed up", "Runs on",
	"Sources", "Left out", "Schedule", "daily at", "full run", "late", "Snapshots are tagged",
	"Retention", "keep ", "this job's", "within", "Verification", "restore drill",
	"copies", "counting the source", "kinds of media", "none offsite", "the rule holds",
	"does not hold", "knowingly", "Waiver", "Destinations", "Run the commands", "Set up the shell",
	"Repository:", "Media:", "onsite", "Reached over", "Password:", "environment variable",
	"age-encrypted", "state directory", "holds the password", "where the job runs",
	"command printing it", "YOUR_KEY_FILE", "decrypt", "Commands", "Restore", "restore the",
	"oldest first", "find a file", "what the latest", "older snapshot", "verify:", "of its data",
	"the machine running itlag", "sunday", "wednesday", "friday", "weekly", "monthly", "yearly",
}

// TestRunbookSpanishHasNoEnglish: the Spanish runbooks' words (all but the
// shell commands, which TestRunbookSameCommands keeps alike) hold none of
// the English runbook's (each marker is checked to be in some English
// runbook, so the list stays honest).
func TestRunbookSpanishHasNoEnglish(t *testing.T) {
	var en strings.Builder
	for _, j := range runbookJobs(t) {
		rb, err := Runbook(j, "en")
		if err != nil {
			t.Fatal(err)
		}
		en.WriteString(words(rb))
		t.Run(j.Name, func(t *testing.T) {
			es, err := Runbook(j, "es")
			if err != nil {
				t.Fatal(err)
			}
			es = words(es)
			for _, m := range englishMarkers {
				if strings.Contains(es, m) {
					t.Errorf("the Spanish runbook holds %q", m)
				}
			}
		})
	}
	for _, m := range englishMarkers {
		if !strings.Contains(en.String(), m) {
			t.Errorf("marker %q is in no English runbook", m)
		}
	}
}

// splitRunbook parts a runbook into its words (the prose and the shell
// blocks' comments) and its shell commands, each block's ending in "---".
func splitRunbook(rb string) (words, commands string) {
	var w, c strings.Builder
	inBlock := false
	for _, l := range strings.SplitAfter(rb, "\n") {
		switch {
		case l == "```sh\n":
			inBlock = true
		case inBlock && l == "```\n":
			inBlock = false
			c.WriteString("---\n")
		case inBlock && !strings.HasPrefix(l, "#"):
			c.WriteString(l)
		default:
			w.WriteString(l)
		}
	}
	return w.String(), c.String()
}

func words(rb string) string { w, _ := splitRunbook(rb); return w }

func commands(rb string) string { _, c := splitRunbook(rb); return c }

// TestRunbookSameCommands: the shell blocks of both languages differ only
// in their comments.
func TestRunbookSameCommands(t *testing.T) {
	for _, j := range runbookJobs(t) {
		t.Run(j.Name, func(t *testing.T) {
			en, err := Runbook(j, "en")
			if err != nil {
				t.Fatal(err)
			}
			es, err := Runbook(j, "es")
			if err != nil {
				t.Fatal(err)
			}
			if ce, cs := commands(en), commands(es); ce != cs || strings.Count(ce, "\n") < 10 {
				t.Errorf("the commands differ:\n--- en\n%s--- es\n%s", ce, cs)
			}
		})
	}
}

func TestThreeTwoOne(t *testing.T) {
	for _, tc := range []struct {
		name   string
		dest   map[string]schema.Destination
		en, es string
	}{
		{"two onsite", map[string]schema.Destination{
			"a": {Repository: "/a", Media: "usb"}, "b": {Repository: "/b", Media: "disk"}},
			"3 copies counting the source, on 2 kinds of media (disk, usb), none offsite: the rule does not hold.",
			"3 copias contando el origen, en 2 tipos de soporte (disk, usb), ninguna fuera de las instalaciones: no se cumple la regla."},
		{"same media", map[string]schema.Destination{
			"a": {Repository: "/a", Media: "disk", Offsite: true}, "b": {Repository: "/b", Media: "disk"}},
			"3 copies counting the source, on 1 kinds of media (disk), 1 offsite (a): the rule does not hold.",
			"3 copias contando el origen, en 1 tipo de soporte (disk), 1 fuera de las instalaciones (a): no se cumple la regla."},
		{"holds", map[string]schema.Destination{
			"a": {Repository: "/a", Media: "disk", Offsite: true}, "b": {Repository: "/b", Media: "usb"}},
			"3 copies counting the source, on 2 kinds of media (disk, usb), 1 offsite (a): the rule holds.",
			"3 copias contando el origen, en 2 tipos de soporte (disk, usb), 1 fuera de las instalaciones (a): se cumple la regla."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := backupSpec("x", "/x")
			b.Destinations = tc.dest
			j, err := JobsFromStateUnresolved(&schema.State{Backups: map[string]schema.Backup{"x": b}})
			if err != nil {
				t.Fatal(err)
			}
			for lang, want := range map[string]string{"en": tc.en, "es": tc.es} {
				tmpl, err := runbookTemplate(lang)
				if err != nil {
					t.Fatal(err)
				}
				var got bytes.Buffer
				if err := tmpl.ExecuteTemplate(&got, "rule321", newRunbookView(j[0]).Rule); err != nil {
					t.Fatal(err)
				}
				if got.String() != want {
					t.Errorf("%s:\ngot  %s\nwant %s", lang, got.String(), want)
				}
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
