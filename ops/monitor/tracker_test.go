package monitor

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lagrieta/itlag/finding"
)

func TestTracker(t *testing.T) {
	scenarios := []struct {
		name       string
		fail, succ int
		seq        string // f = failure, s = success
		down       bool
		since      int // index of the result the state began at; -1: never changed
		changes    int
	}{
		{name: "one failure is not down", seq: "sf", since: -1},
		{name: "fail fail is down", seq: "sff", down: true, since: 1, changes: 1},
		{name: "then success is up", seq: "sffs", since: 3, changes: 2},
		{name: "flapping never down", seq: "fsfsfsf", since: -1},
		{name: "down stays down through short success (succ 2)", succ: 2, seq: "fffsf", down: true, since: 0, changes: 1},
		{name: "up after 2 successes", succ: 2, seq: "fffss", since: 3, changes: 2},
		{name: "threshold 3", fail: 3, seq: "ffsfff", down: true, since: 3, changes: 1},
		{name: "threshold 1", fail: 1, seq: "ssf", down: true, since: 2, changes: 1},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			tr := NewTracker(Monitor{FailureThreshold: sc.fail, SuccessThreshold: sc.succ})
			changes := 0
			for i, c := range sc.seq {
				if tr.Observe(c == 's', t0.Add(time.Duration(i)*time.Minute)) {
					changes++
				}
			}
			want := time.Time{}
			if sc.since >= 0 {
				want = t0.Add(time.Duration(sc.since) * time.Minute)
			}
			if tr.Down() != sc.down || !tr.Since().Equal(want) || changes != sc.changes {
				t.Fatalf("down %v since %v changes %d; want %v %v %d", tr.Down(), tr.Since(), changes, sc.down, want, sc.changes)
			}
		})
	}
}

func TestStateAndFindingsFromHistory(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	web := Monitor{Name: "web", Kind: HTTP, Target: "https://lagrieta.es/", Severity: finding.Critical}
	api := Monitor{Name: "api", Kind: HTTP, Target: "https://api.lagrieta.es/"}
	dns := Monitor{Name: "dns", Kind: DNS, Target: "lagrieta.es", FailureThreshold: 3}

	// nothing recorded: up
	if down, since, err := State(ctx, db, web); err != nil || down || !since.IsZero() {
		t.Fatalf("empty history: %v %v %v", down, since, err)
	}
	// recorded in two runs, as a restart would: s s | f f
	if err := Record(ctx, db, results("web", t0, true, true)); err != nil {
		t.Fatal(err)
	}
	if err := Record(ctx, db, results("web", t0.Add(2*time.Minute), false, false)); err != nil {
		t.Fatal(err)
	}
	if err := Record(ctx, db, results("api", t0, true, false, false, true)); err != nil {
		t.Fatal(err)
	}
	if err := Record(ctx, db, results("dns", t0, false, false)); err != nil {
		t.Fatal(err)
	}
	down, since, err := State(ctx, db, web)
	if err != nil || !down || !since.Equal(t0.Add(2*time.Minute)) {
		t.Fatalf("web: down %v since %v, %v; want down since 10:02", down, since, err)
	}
	if down, _, _ := State(ctx, db, api); down {
		t.Fatal("api recovered but reads down")
	}
	if down, _, _ := State(ctx, db, dns); down {
		t.Fatal("dns failed twice with threshold 3 but reads down")
	}

	fs, err := Findings(ctx, db, []Monitor{web, api, dns})
	if err != nil || len(fs) != 1 {
		t.Fatalf("findings %v, %v; want 1", fs, err)
	}
	f := fs[0]
	if f.Severity != finding.Critical || f.Source != "monitor:web" ||
		f.Summary != "web is down since 2026-11-20T10:02:00Z" ||
		!strings.Contains(f.Detail, ": got 503: status < 400 (got 503)") {
		t.Fatalf("finding %+v", f)
	}
	// another failure: the same fingerprint; default severity is high
	if err := Record(ctx, db, results("web", t0.Add(4*time.Minute), false)); err != nil {
		t.Fatal(err)
	}
	web.Severity = ""
	fs2, err := Findings(ctx, db, []Monitor{web})
	if err != nil || len(fs2) != 1 || fs2[0].Fingerprint != f.Fingerprint || fs2[0].Severity != finding.High {
		t.Fatalf("second run %+v, %v; want fingerprint %s severity high", fs2, err, f.Fingerprint)
	}
	// nothing in it changes with each probe: drift rewrites the incident
	// only when the situation changed
	if fs2[0].Summary != f.Summary || fs2[0].Detail != f.Detail {
		t.Errorf("another failure changed the finding:\n%s: %s\nwas\n%s: %s", fs2[0].Summary, fs2[0].Detail, f.Summary, f.Detail)
	}
	// recovery: no finding
	if err := Record(ctx, db, results("web", t0.Add(5*time.Minute), true)); err != nil {
		t.Fatal(err)
	}
	if fs, err := Findings(ctx, db, []Monitor{web}); err != nil || len(fs) != 0 {
		t.Fatalf("after recovery %v, %v", fs, err)
	}
}
