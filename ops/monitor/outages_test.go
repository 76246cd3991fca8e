package monitor

import (
	"context"
	"slices"
	"testing"
	"time"
)

func TestOutages(t *testing.T) {
	db, ctx := openDB(t), context.Background()
	t0 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	var rs []Result
	// an old hour, rolled up, all failed; then raw: up, down 10:00-10:20, up, down from 11:50 on
	for m := 0; m < 60; m += 10 {
		rs = append(rs, Result{Monitor: "web", At: t0.Add(2*time.Hour + time.Duration(m)*time.Minute), OK: false, Value: "503"})
	}
	for m := 0; m < 120; m += 10 {
		at := t0.Add(10*time.Hour + time.Duration(m)*time.Minute)
		ok := !(m < 20 || m >= 110)
		rs = append(rs, Result{Monitor: "web", At: at, OK: ok, Value: "200"})
	}
	rs = append(rs, Result{Monitor: "web", At: t0.Add(3 * time.Hour), OK: true, Value: "200"})
	if err := Record(ctx, db, rs); err != nil {
		t.Fatal(err)
	}
	if _, err := Rollup(ctx, db, t0.Add(4*time.Hour)); err != nil {
		t.Fatal(err)
	}
	end := t0.Add(12 * time.Hour)
	got, err := Outages(ctx, db, "web", t0, end)
	if err != nil {
		t.Fatal(err)
	}
	want := []Outage{
		{Start: t0.Add(2 * time.Hour), End: t0.Add(3 * time.Hour)}, // the rolled-up hour
		{Start: t0.Add(10 * time.Hour), End: t0.Add(10*time.Hour + 20*time.Minute)},
		{Start: t0.Add(11*time.Hour + 50*time.Minute), End: end}, // still down
	}
	if !slices.Equal(got, want) {
		t.Errorf("outages %v\nwant %v", got, want)
	}
	if v, err := LastValue(ctx, db, "web", end); err != nil || v != "200" {
		t.Errorf("last value %q, %v", v, err)
	}
	if v, err := LastValue(ctx, db, "none", end); err != nil || v != "" {
		t.Errorf("last value of no monitor %q, %v", v, err)
	}
}
