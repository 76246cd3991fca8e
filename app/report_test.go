package app

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/lagrieta/itlag/publish/periodic"
	"github.com/lagrieta/itlag/store"
)

// TestReportFromHistory: a month of seeded history in the database, a
// fixed clock: the weekly report's figures are the ones the history holds.
func TestReportFromHistory(t *testing.T) {
	dir := t.TempDir()
	db, err := store.Open(filepath.Join(dir, store.DefaultFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	end := time.Date(2026, 12, 14, 0, 0, 0, 0, time.UTC) // the Monday after 2026-W50
	st := seedHistory(t, db, end.AddDate(0, -1, 0), end, 3, 1, 2)
	rt := &Runtime{Opts: Options{StateDir: dir, DataDir: dir}, State: st, db: db}
	p, err := periodic.ParsePeriod(periodic.Weekly, "2026-W50", end)
	if err != nil {
		t.Fatal(err)
	}
	in, err := rt.gather(context.Background(), p, ReportOptions{Out: dir, Now: end}, &Observation{At: end}, true)
	if err != nil {
		t.Fatal(err)
	}
	r := periodic.Build(in)
	// 7 runs a job in the week, the one of the 13th failed
	if h := r.Headline.BackupSuccessRate; h == nil || *h != 12.0/14 {
		t.Errorf("backup success rate %v, want 12 of 14", h)
	}
	// each monitor is down an hour at 03:00 on the days where day%9 == m%9
	// (7-15 December: m0 on the 9th, m1 on the 10th, m2 on the 11th): 1 of 168 hours
	for _, m := range r.Availability.Monitors {
		if m.Uptime == nil || *m.Uptime != 167.0/168 || m.Outages != 1 || m.LongestOutageSeconds != 3600 || m.MetSLO == nil || *m.MetSLO {
			t.Errorf("%s: uptime %v, %d outages, longest %v s, met %v", m.Name, m.Uptime, m.Outages, m.LongestOutageSeconds, m.MetSLO)
		}
	}
	if v := r.Storage.Volumes; len(v) != 1 || v[0].Fill.Date == nil || v[0].GrowthPerWeek == nil {
		t.Fatalf("volumes %+v", v)
	} else if g := *v[0].GrowthPerWeek; g < 0.33 || g > 0.34 {
		t.Errorf("volume grows %.3f points a week, want 24*7/500 = 0.336", g)
	}
	if len(r.Storage.Shares) != 2 || r.Storage.Shares[0].UsedBytes == nil {
		t.Errorf("shares %+v", r.Storage.Shares)
	}
}
