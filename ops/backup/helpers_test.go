package backup

import (
	"context"
	"testing"
	"time"

	"github.com/lagrieta/itlag/store/storetest"

	"github.com/lagrieta/itlag/schema"
	"github.com/lagrieta/itlag/store"
)

// t0 is the fake clock's start: a Thursday.
var t0 = time.Date(2026, 11, 26, 2, 30, 0, 0, time.UTC)

// clock is a settable fake clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time           { return c.t }
func (c *clock) add(d time.Duration)      { c.t = c.t.Add(d) }
func newClock() *clock                    { return &clock{t: t0} }
func ref(env string) schema.CredentialRef { return schema.CredentialRef{Env: env} }

// backupSpec is a job with two destinations, usb (onsite) and cloud
// (offsite), both on repositories named after the job.
func backupSpec(name string, sources ...string) schema.Backup {
	return schema.Backup{
		RunsOn:      "office",
		Sources:     sources,
		Exclude:     []string{"*.tmp"},
		SourceMedia: "disk",
		Destinations: map[string]schema.Destination{
			"usb":   {Repository: "/usb/" + name, Media: "usb", Password: ref("PW_USB")},
			"cloud": {Repository: "b2:bucket:" + name, Media: "cloud", Offsite: true, Password: ref("PW_CLOUD"), Env: map[string]schema.CredentialRef{"B2_ACCOUNT_KEY": {File: "/run/secrets/b2"}}},
		},
		Schedule:  schema.BackupSchedule{Daily: "02:30", WeeklyFull: "sunday", Grace: "6h"},
		Retention: schema.Retention{KeepDaily: 7, KeepWeekly: 4, KeepMonthly: 12},
		Verify:    schema.Verify{CheckEvery: "weekly", ReadDataSubset: "5%", DrillEvery: "monthly", DrillFiles: 3},
	}
}

// secrets resolves every reference to a value naming it.
func secrets(r schema.CredentialRef) (string, error) { return "secret-of-" + r.String(), nil }

func jobsOf(t testing.TB, backups map[string]schema.Backup) []Job {
	t.Helper()
	jobs, err := JobsFromState(&schema.State{Backups: backups}, secrets)
	if err != nil {
		t.Fatal(err)
	}
	return jobs
}

func openDB(t testing.TB) *store.DB { return storetest.Open(t) }

func deps(t testing.TB, f *fake, c *clock) Deps {
	return Deps{Restic: f, DB: openDB(t), Now: c.now}
}

func count(t testing.TB, db *store.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}
