package monitor

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/lagrieta/itlag/store/storetest"

	"github.com/lagrieta/itlag/store"
)

func openDB(t testing.TB) *store.DB { return storetest.Open(t) }

func count(t *testing.T, db *store.DB, query string) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

var t0 = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

// results are one a minute from start, ok as given, response time 100 ms
// plus 10 ms a result.
func results(name string, start time.Time, oks ...bool) []Result {
	rs := make([]Result, len(oks))
	for i, ok := range oks {
		rs[i] = Result{Monitor: name, At: start.Add(time.Duration(i) * time.Minute), OK: ok,
			Duration: time.Duration(100+10*i) * time.Millisecond, Value: "200"}
		if !ok {
			rs[i].Value, rs[i].Failed = "503", []string{"status < 400 (got 503)"}
		}
	}
	return rs
}

func TestRecordAndUptime(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	if err := Record(ctx, db, nil); err != nil {
		t.Fatal(err)
	}
	// 1200 results: more than one batch, the last one partial
	var rs []Result
	for i := range 1200 {
		rs = append(rs, results("web", t0.Add(time.Duration(i)*time.Minute), i%4 != 0)...)
	}
	rs = append(rs, results("other", t0, false)...)
	if err := Record(ctx, db, rs); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, `SELECT count(*) FROM monitor_results`); n != 1201 {
		t.Fatalf("%d rows, want 1201", n)
	}
	var errText string
	db.SQL().QueryRow(`SELECT error FROM monitor_results WHERE monitor = 'other'`).Scan(&errText)
	if errText != "status < 400 (got 503)" {
		t.Fatalf("error column %q: want the failed conditions", errText)
	}
	u, err := Uptime(ctx, db, "web", t0, t0.Add(1200*time.Minute))
	if err != nil || u != 0.75 {
		t.Fatalf("uptime %v, %v; want 0.75", u, err)
	}
	// [10:00, 10:04): results 0..3, one failure
	u, err = Uptime(ctx, db, "web", t0, t0.Add(4*time.Minute))
	if err != nil || u != 0.75 {
		t.Fatalf("uptime of 4 minutes %v, %v; want 0.75", u, err)
	}
	u, err = Uptime(ctx, db, "web", t0.Add(time.Minute), t0.Add(4*time.Minute))
	if err != nil || u != 1 {
		t.Fatalf("uptime of 3 good minutes %v, %v; want 1", u, err)
	}
	if _, err := Uptime(ctx, db, "nobody", t0, t0.Add(time.Hour)); !errors.Is(err, ErrNoData) {
		t.Fatalf("no results: %v, want ErrNoData", err)
	}
}

func TestRollupKeepsUptimeAndSeries(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	// 3 hours of one result a minute: the first of every 10 fails;
	// response time 100 ms + 10 ms × minute within the run
	var oks []bool
	for i := range 180 {
		oks = append(oks, i%10 != 0)
	}
	if err := Record(ctx, db, results("web", t0, oks...)); err != nil {
		t.Fatal(err)
	}
	before, err := Series(ctx, db, "web", t0, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	upBefore, err := Uptime(ctx, db, "web", t0, t0.Add(3*time.Hour))
	if err != nil || upBefore != 0.9 {
		t.Fatalf("uptime %v, %v; want 0.9", upBefore, err)
	}

	// roll up the first two hours (olderThan mid-hour: only whole hours)
	n, err := Rollup(ctx, db, t0.Add(2*time.Hour+30*time.Minute))
	if err != nil || n != 120 {
		t.Fatalf("rolled up %d, %v; want 120", n, err)
	}
	if raw := count(t, db, `SELECT count(*) FROM monitor_results`); raw != 60 {
		t.Fatalf("%d raw rows left, want 60", raw)
	}
	if h := count(t, db, `SELECT count(*) FROM monitor_rollups`); h != 2 {
		t.Fatalf("%d roll-ups, want 2", h)
	}
	up, err := Uptime(ctx, db, "web", t0, t0.Add(3*time.Hour))
	if err != nil || up != upBefore {
		t.Fatalf("uptime after roll-up %v, %v; want %v", up, err, upBefore)
	}
	after, err := Series(ctx, db, "web", t0, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if len(before) != 3 || len(after) != 3 {
		t.Fatalf("series: %d points before, %d after; want 3", len(before), len(after))
	}
	for i := range before {
		b, a := before[i], after[i]
		if !a.At.Equal(t0.Add(time.Duration(i)*time.Hour)) || a.Checks != 60 || a.Failures != 6 ||
			math.Abs(a.AvgMs-b.AvgMs) > 1e-9 || a.MaxMs != b.MaxMs {
			t.Fatalf("point %d: before %+v after %+v", i, b, a)
		}
	}
	// hour 0: minutes 0..59 → avg 100 + 10×29.5 = 395, max 690
	if before[0].AvgMs != 395 || before[0].MaxMs != 690 {
		t.Fatalf("first hour %+v, want avg 395 max 690", before[0])
	}

	// a late result for an hour already rolled up merges into it
	late := results("web", t0.Add(30*time.Minute), false)
	late[0].Duration = 2 * time.Second
	if err := Record(ctx, db, late); err != nil {
		t.Fatal(err)
	}
	if n, err := Rollup(ctx, db, t0.Add(2*time.Hour)); err != nil || n != 1 {
		t.Fatalf("rolled up %d, %v; want 1", n, err)
	}
	var checks, failures int
	var avg, maxMs float64
	db.SQL().QueryRow(`SELECT checks, failures, avg_ms, max_ms FROM monitor_rollups WHERE hour = '2026-11-20T10:00:00Z'`).Scan(&checks, &failures, &avg, &maxMs)
	if checks != 61 || failures != 7 || math.Abs(avg-(395*60+2000)/61.0) > 1e-9 || maxMs != 2000 {
		t.Fatalf("merged hour: %d checks %d failures avg %v max %v", checks, failures, avg, maxMs)
	}

	// 10-minute steps over the raw third hour
	pts, err := Series(ctx, db, "web", t0.Add(2*time.Hour), 10*time.Minute)
	if err != nil || len(pts) != 6 || pts[1].Checks != 10 || pts[1].Failures != 1 || !pts[1].At.Equal(t0.Add(2*time.Hour+10*time.Minute)) {
		t.Fatalf("10-minute series %+v, %v", pts, err)
	}
	if _, err := Series(ctx, db, "web", t0, 0); err == nil {
		t.Fatal("a zero step is accepted")
	}

	// prune: raw before 12:30, roll-ups of hours starting before 10:30
	n, err = Prune(ctx, db, t0.Add(2*time.Hour+30*time.Minute), t0.Add(30*time.Minute))
	if err != nil || n != 30+1 {
		t.Fatalf("pruned %d, %v; want 31", n, err)
	}
	if raw, h := count(t, db, `SELECT count(*) FROM monitor_results`), count(t, db, `SELECT count(*) FROM monitor_rollups`); raw != 30 || h != 1 {
		t.Fatalf("after prune %d raw %d roll-ups; want 30 and 1", raw, h)
	}
	if err := Vacuum(ctx, db); err != nil {
		t.Fatal(err)
	}
}
