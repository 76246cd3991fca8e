package app

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/lagrieta/itlag/publish/periodic"
	"github.com/lagrieta/itlag/schema"
	"github.com/lagrieta/itlag/store"
)

// BenchmarkMonthlyReportYear makes a monthly report over one year of
// history: 50 monitors (hourly roll-ups), 2 NAS (15 numbers each, hourly)
// and 5 backup jobs (a run a day). It reports the time of one report
// (gathering from the database, building, Markdown and charts) and the
// heap allocated by it.
func BenchmarkMonthlyReportYear(b *testing.B) {
	dir := b.TempDir()
	db, err := store.Open(filepath.Join(dir, store.DefaultFile))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	end := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	start := end.AddDate(-1, 0, 0)
	st := seedHistory(b, db, start, end, 50, 2, 5)
	rt := &Runtime{Opts: Options{StateDir: dir, DataDir: dir}, State: st, db: db}
	p, _ := periodic.ParsePeriod(periodic.Monthly, "2026-11", end)
	obs := &Observation{At: end}
	var ms runtime.MemStats
	var alloc uint64
	for b.Loop() {
		runtime.ReadMemStats(&ms)
		before := ms.TotalAlloc
		in, err := rt.gather(ctx, p, ReportOptions{Out: dir, Now: end}, obs, true)
		if err != nil {
			b.Fatal(err)
		}
		r := periodic.Build(in)
		_ = periodic.Markdown(r, nil)
		_ = periodic.Charts(r, in)
		if len(r.Availability.Monitors) != 50 || len(r.Storage.Volumes) != 2 || len(r.Backups) != 5 {
			b.Fatalf("report of %d monitors, %d volumes, %d jobs", len(r.Availability.Monitors), len(r.Storage.Volumes), len(r.Backups))
		}
		runtime.ReadMemStats(&ms)
		alloc += ms.TotalAlloc - before
	}
	b.ReportMetric(float64(alloc)/float64(b.N)/(1<<20), "MB-allocated/report")
}

// seedHistory fills db with the history of [start, end): monitors
// monitors (hourly roll-ups, each down for an hour every 9 days), nas NAS
// (15 numbers hourly, the volume growing steadily) and jobs backup jobs
// (a run a day, the 13th of each month failing), and returns the state
// that declares them.
func seedHistory(tb testing.TB, db *store.DB, start, end time.Time, monitors, nas, jobs int) *schema.State {
	tb.Helper()
	ctx := context.Background()
	st := &schema.State{Monitors: map[string]schema.Monitor{}, Backups: map[string]schema.Backup{}}
	tx, err := db.SQL().BeginTx(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	for m := 0; m < monitors; m++ {
		name := fmt.Sprintf("m%02d", m)
		st.Monitors[name] = schema.Monitor{Kind: "tcp", Target: "127.0.0.1:9", Interval: "1m", FailureThreshold: 2, SuccessThreshold: 1, Severity: "high", SLO: 99.9}
		for h := start; h.Before(end); h = h.Add(time.Hour) {
			fails := 0
			if h.Hour() == 3 && h.Day()%9 == m%9 {
				fails = 60
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO monitor_rollups VALUES (?, ?, 60, ?, ?, ?)`, name, h.Format(time.RFC3339), fails, 100+float64(m), 300.0); err != nil {
				tb.Fatal(err)
			}
		}
	}
	for _, nas := range []string{"office", "attic"}[:nas] {
		for k := 0; k < 15; k++ {
			key := fmt.Sprintf("nas:%s/metric%02d", nas, k)
			if k == 0 {
				key = "nas:" + nas + "/disk_used_percent:/volume1"
			}
			i := 0
			for h := start; h.Before(end); h = h.Add(time.Hour) {
				v := 40 + float64(i)/500
				if _, err := tx.ExecContext(ctx, `INSERT INTO metric_hours VALUES (?, ?, 1, ?, ?, ?, ?, ?)`, key, h.Format("2006-01-02T15:00:00Z"), v, v, v, v, h.Format(time.RFC3339)); err != nil {
					tb.Fatal(err)
				}
				i++
			}
		}
	}
	for j := 0; j < jobs; j++ {
		job := fmt.Sprintf("job%d", j)
		st.Backups[job] = schema.Backup{Sources: []string{"/volume1/" + job}, SourceMedia: "disk", Schedule: schema.BackupSchedule{Daily: "03:00"},
			Destinations: map[string]schema.Destination{"usb": {Media: "usb"}, "cloud": {Media: "cloud", Offsite: true}}}
		for d := start; d.Before(end); d = d.AddDate(0, 0, 1) {
			at := d.Add(3 * time.Hour).Format(time.RFC3339Nano)
			if _, err := tx.ExecContext(ctx, `INSERT INTO backup_runs (job, destination, repository, started_at, finished_at, ok, data_added, bytes_processed, duration_ms)
 VALUES (?, 'usb', '/r', ?, ?, ?, 1000000, 50000000, 60000)`, job, at, at, d.Day() != 13); err != nil {
				tb.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
	return st
}
