package history_test

import (
	"context"
	"math"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/lagrieta/itlag/store/storetest"

	"github.com/lagrieta/itlag/ops/history"
	"github.com/lagrieta/itlag/store"
)

func openDB(t *testing.T) *store.DB { return storetest.Open(t) }

func TestRecordSeries(t *testing.T) {
	db, ctx := openDB(t), context.Background()
	t0 := time.Date(2026, 11, 30, 10, 5, 0, 0, time.UTC)
	readings := []struct {
		at time.Time
		v  float64
	}{{t0, 10}, {t0.Add(20 * time.Minute), 30}, {t0.Add(10 * time.Minute), 20}, {t0.Add(time.Hour), 50}}
	for _, r := range readings {
		if err := history.Record(ctx, db, r.at, map[string]float64{"nas:office/cpu_percent": r.v, "bad": math.NaN()}); err != nil {
			t.Fatal(err)
		}
	}
	ps, err := history.Series(ctx, db, "nas:office/cpu_percent", t0.Add(-time.Hour), t0.Add(3*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	want := []history.Point{
		{Hour: t0.Truncate(time.Hour), Avg: 20, Min: 10, Max: 30, Last: 30, N: 3}, // the last reading by time, not by arrival
		{Hour: t0.Truncate(time.Hour).Add(time.Hour), Avg: 50, Min: 50, Max: 50, Last: 50, N: 1},
	}
	if !slices.Equal(ps, want) {
		t.Errorf("series %+v\nwant %+v", ps, want)
	}
	keys, err := history.Keys(ctx, db, "nas:", t0.Add(-time.Hour), t0.Add(3*time.Hour))
	if err != nil || !slices.Equal(keys, []string{"nas:office/cpu_percent"}) {
		t.Errorf("keys %v, %v (NaN never stored)", keys, err)
	}
	if ps, _ := history.Series(ctx, db, "nas:office/cpu_percent", t0.Add(time.Hour), t0.Add(2*time.Hour)); len(ps) != 1 {
		t.Errorf("[from, to) of one hour gave %d points", len(ps))
	}
	n, err := history.Prune(ctx, db, t0.Add(time.Hour))
	if err != nil || n != 1 {
		t.Errorf("prune: %d, %v; want 1 row", n, err)
	}
}

// BenchmarkRecordYear records a year of hourly readings of 30 keys (two
// NAS's numbers), then reads one key's year back.
func BenchmarkRecordYear(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		db, err := store.Open(filepath.Join(b.TempDir(), "itlag.db"))
		if err != nil {
			b.Fatal(err)
		}
		start := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
		vs := map[string]float64{}
		for h := 0; h < 8760; h++ {
			for k := 0; k < 30; k++ {
				vs["nas:n/metric"+string(rune('a'+k))] = float64(h + k)
			}
			if err := history.Record(ctx, db, start.Add(time.Duration(h)*time.Hour), vs); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := history.Series(ctx, db, "nas:n/metrica", start, start.AddDate(1, 0, 0)); err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
	b.ReportMetric(8760*30/(b.Elapsed().Seconds()/float64(b.N)), "readings/s")
}
