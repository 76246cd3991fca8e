package audit

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lagrieta/itlag/store"
)

// clock returns times one hour apart, starting at start.
func clock(start time.Time) func() time.Time {
	var mu sync.Mutex
	t := start
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Hour)
		return t
	}
}

func openDB(t *testing.T, dir string) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(dir, "itlag.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// newTrail appends three entries in November 2026 and three in December.
func newTrail(t *testing.T) *Trail {
	t.Helper()
	dir := t.TempDir()
	tr := &Trail{Dir: filepath.Join(dir, "repo", "audit"), Anchor: DBAnchor{DB: openDB(t, dir)},
		Now: clock(time.Date(2026, 11, 30, 20, 0, 0, 0, time.UTC))}
	for i := range 6 {
		if _, err := tr.Append(context.Background(), Entry{Actor: "ana <ana@example.org>", Action: ActionApply,
			Target: fmt.Sprintf("plan:%d", i), Detail: Detail{Outcome: OutcomeOK, Addresses: []string{"cloudflare:example.org/www/A"}}}); err != nil {
			t.Fatal(err)
		}
	}
	return tr
}

func lines(t *testing.T, tr *Trail, month string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(tr.Dir, month+".jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	ls := strings.SplitAfter(string(b), "\n")
	return ls[:len(ls)-1] // each with its newline
}

func writeLines(t *testing.T, tr *Trail, month string, ls []string) {
	t.Helper()
	s := strings.Join(ls, "")
	if s != "" && !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	if err := os.WriteFile(filepath.Join(tr.Dir, month+".jsonl"), []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestAppendChains(t *testing.T) {
	tr := newTrail(t)
	if got := len(lines(t, tr, "2026-11")); got != 3 {
		t.Errorf("2026-11.jsonl has %d lines, want 3", got)
	}
	nov := lines(t, tr, "2026-11")
	dec := lines(t, tr, "2026-12")
	if !strings.Contains(nov[0], `"seq":1,`) || !strings.Contains(nov[0], `"prev":"`+Genesis+`"`) {
		t.Errorf("first line %s: want seq 1 and the genesis prev", nov[0])
	}
	if want := `"prev":"` + Hash([]byte(strings.TrimSuffix(nov[2], "\n"))) + `"`; !strings.Contains(dec[0], want) || !strings.Contains(dec[0], `"seq":4,`) {
		t.Errorf("December's first line %s: want seq 4 and prev = hash of November's last line", dec[0])
	}
	if !strings.Contains(nov[0], `"actor":"ana <ana@example.org>"`) {
		t.Errorf("first line %s: want the actor unescaped", nov[0])
	}
	s, err := tr.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if s.Entries != 6 || s.Files != 2 || s.Head.Seq != 6 || !s.Anchored || s.Anchor != s.Head {
		t.Errorf("summary %+v: want 6 entries in 2 files, anchored at the head", s)
	}
	es, err := tr.Entries(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 3 || es[0].Seq != 4 || es[0].Detail.Addresses[0] != "cloudflare:example.org/www/A" {
		t.Errorf("entries since December: %+v", es)
	}
}

func TestVerifyDetectsTampering(t *testing.T) {
	tests := []struct {
		name     string
		noAnchor bool
		tamper   func(t *testing.T, tr *Trail)
		// wantAt is "month:line"; "" means the trail still verifies
		wantAt, wantWhy string
	}{
		{name: "edited line", tamper: func(t *testing.T, tr *Trail) {
			ls := lines(t, tr, "2026-12")
			ls[0] = strings.Replace(ls[0], "plan:3", "plan:X", 1)
			writeLines(t, tr, "2026-12", ls)
		}, wantAt: "2026-12:2", wantWhy: "prev does not match the hash of"},
		{name: "edited last line, with the database", tamper: func(t *testing.T, tr *Trail) {
			ls := lines(t, tr, "2026-12")
			ls[2] = strings.Replace(ls[2], `"ok"`, `"failed"`, 1)
			writeLines(t, tr, "2026-12", ls)
		}, wantAt: "2026-12:3", wantWhy: "differs from the line the database recorded"},
		{name: "removed middle line", tamper: func(t *testing.T, tr *Trail) {
			ls := lines(t, tr, "2026-11")
			writeLines(t, tr, "2026-11", []string{ls[0], ls[2]})
		}, wantAt: "2026-11:2", wantWhy: "seq 3, want 2"},
		{name: "removed tail, with the database", tamper: func(t *testing.T, tr *Trail) {
			ls := lines(t, tr, "2026-12")
			writeLines(t, tr, "2026-12", ls[:2])
		}, wantAt: "2026-12:3", wantWhy: "the tail was removed"},
		{name: "removed tail month, with the database", tamper: func(t *testing.T, tr *Trail) {
			os.Remove(filepath.Join(tr.Dir, "2026-12.jsonl"))
		}, wantAt: "2026-11:4", wantWhy: "ends at seq 3, but the database recorded entries up to seq 6"},
		{name: "removed tail, no database: not seen", noAnchor: true, tamper: func(t *testing.T, tr *Trail) {
			ls := lines(t, tr, "2026-12")
			writeLines(t, tr, "2026-12", ls[:2])
		}},
		{name: "reordered pair", tamper: func(t *testing.T, tr *Trail) {
			ls := lines(t, tr, "2026-12")
			writeLines(t, tr, "2026-12", []string{ls[1], ls[0], ls[2]})
		}, wantAt: "2026-12:1", wantWhy: "seq 5, want 4"},
		{name: "line moved to the next month file", tamper: func(t *testing.T, tr *Trail) {
			nov, dec := lines(t, tr, "2026-11"), lines(t, tr, "2026-12")
			writeLines(t, tr, "2026-11", nov[:2])
			writeLines(t, tr, "2026-12", append([]string{nov[2]}, dec...))
		}, wantAt: "2026-12:1", wantWhy: "belongs in 2026-11.jsonl"},
		{name: "partial last line", tamper: func(t *testing.T, tr *Trail) {
			ls := lines(t, tr, "2026-12")
			ls[2] = ls[2][:20]
			os.WriteFile(filepath.Join(tr.Dir, "2026-12.jsonl"), []byte(strings.Join(ls, "")), 0o644)
		}, wantAt: "2026-12:3", wantWhy: "partial line"},
		{name: "a line that is not an entry", tamper: func(t *testing.T, tr *Trail) {
			ls := lines(t, tr, "2026-11")
			ls[1] = `{"seq":2,"evil":true}` + "\n"
			writeLines(t, tr, "2026-11", ls)
		}, wantAt: "2026-11:2", wantWhy: "not an audit entry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := newTrail(t)
			if tt.noAnchor {
				tr.Anchor = nil
			}
			tt.tamper(t, tr)
			_, err := tr.Verify(context.Background())
			if tt.wantAt == "" {
				if err != nil {
					t.Fatalf("Verify: %v, want nil", err)
				}
				return
			}
			var ve *VerifyError
			if !errors.As(err, &ve) {
				t.Fatalf("Verify: %v, want a *VerifyError", err)
			}
			month, line, _ := strings.Cut(tt.wantAt, ":")
			if got := fmt.Sprintf("%s:%d", filepath.Base(ve.File), ve.Line); got != month+".jsonl:"+line {
				t.Errorf("first bad line %s (%v), want %s.jsonl:%s", got, err, month, line)
			}
			if !strings.Contains(ve.Why, tt.wantWhy) {
				t.Errorf("why %q, want it to say %q", ve.Why, tt.wantWhy)
			}
			if !strings.HasPrefix(err.Error(), ve.File+":"+line+": ") {
				t.Errorf("error %q does not start with file:line", err)
			}
		})
	}
}

func TestAppendRefusesTruncatedTrail(t *testing.T) {
	tr := newTrail(t)
	ls := lines(t, tr, "2026-12")
	writeLines(t, tr, "2026-12", ls[:2])
	if err := tr.Ready(context.Background()); !errors.Is(err, ErrTruncated) {
		t.Errorf("Ready on a truncated trail: %v, want ErrTruncated", err)
	}
	_, err := tr.Append(context.Background(), Entry{Actor: "x", Action: ActionApply})
	if !errors.Is(err, ErrTruncated) {
		t.Fatalf("Append on a truncated trail: %v, want ErrTruncated", err)
	}
}

// TestConcurrentAppendsDoNotFork appends from several goroutines, each
// with its own Trail and database handle (as separate processes would):
// the chain stays one line, seq 1..n.
func TestConcurrentAppendsDoNotFork(t *testing.T) {
	dir := t.TempDir()
	auditDir := filepath.Join(dir, "audit")
	const writers, each = 4, 8
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		db := openDB(t, dir)
		tr := &Trail{Dir: auditDir, Anchor: DBAnchor{DB: db}}
		wg.Go(func() {
			for i := range each {
				if _, err := tr.Append(context.Background(), Entry{Actor: fmt.Sprintf("w%d", w), Action: ActionDDNSUpdate, Target: fmt.Sprint(i)}); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	tr := &Trail{Dir: auditDir, Anchor: DBAnchor{DB: openDB(t, dir)}}
	s, err := tr.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if s.Entries != writers*each || s.Head.Seq != writers*each || s.Anchor != s.Head {
		t.Errorf("summary %+v: want %d entries, anchored at the head", s, writers*each)
	}
}

func TestUnsafePathsRefused(t *testing.T) {
	e := Entry{Actor: "x", Action: ActionApply}
	t.Run("symlinked directory", func(t *testing.T) {
		dir := t.TempDir()
		os.Mkdir(filepath.Join(dir, "elsewhere"), 0o755)
		os.Symlink(filepath.Join(dir, "elsewhere"), filepath.Join(dir, "audit"))
		_, err := (&Trail{Dir: filepath.Join(dir, "audit")}).Append(context.Background(), e)
		if err == nil || !strings.Contains(err.Error(), "symlink") {
			t.Errorf("Append into a symlinked directory: %v, want a refusal", err)
		}
	})
	t.Run("symlinked month file", func(t *testing.T) {
		dir := t.TempDir()
		audit := filepath.Join(dir, "audit")
		os.Mkdir(audit, 0o755)
		os.WriteFile(filepath.Join(dir, "target"), nil, 0o644)
		now := time.Now()
		os.Symlink(filepath.Join(dir, "target"), filepath.Join(audit, monthFile(now)))
		_, err := (&Trail{Dir: audit, Now: func() time.Time { return now }}).Append(context.Background(), e)
		if err == nil {
			t.Error("Append through a symlinked month file succeeded")
		}
		if b, _ := os.ReadFile(filepath.Join(dir, "target")); len(b) != 0 {
			t.Errorf("the symlink's target was written: %q", b)
		}
	})
	t.Run("directory writable by others", func(t *testing.T) {
		dir := t.TempDir()
		audit := filepath.Join(dir, "audit")
		os.Mkdir(audit, 0o755)
		os.Chmod(audit, 0o777)
		_, err := (&Trail{Dir: audit}).Append(context.Background(), e)
		if err == nil || !strings.Contains(err.Error(), "writable by others") {
			t.Errorf("Append into a world-writable directory: %v, want a refusal", err)
		}
	})
}

func TestParseSince(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
		bad  bool
	}{
		{in: "", want: time.Time{}},
		{in: "2026-12-01", want: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)},
		{in: "2026-12-01T10:00:00Z", want: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)},
		{in: "36h", want: now.Add(-36 * time.Hour)},
		{in: "7d", want: now.AddDate(0, 0, -7)},
		{in: "yesterday", bad: true},
		{in: "-3h", bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseSince(tt.in, now)
			if (err != nil) != tt.bad || (!tt.bad && !got.Equal(tt.want)) {
				t.Errorf("ParseSince(%q) = %v, %v; want %v (error: %v)", tt.in, got, err, tt.want, tt.bad)
			}
		})
	}
}

// TestRebase: the trail's files are replaced by another copy that shares
// its first entries and has one of its own (a push race); Rebase appends
// the lost entries again on top, and the chain and the anchor verify.
func TestRebase(t *testing.T) {
	ctx := context.Background()
	tr := newTrail(t) // 6 entries, anchored: 3 in November, 3 in December
	snap, err := tr.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	// the reset: the files become the remote's, our first three entries
	// and one of another run's
	os.Remove(filepath.Join(tr.Dir, "2026-12.jsonl"))
	theirs := &Trail{Dir: tr.Dir, Now: tr.Now}
	if _, err := theirs.Append(ctx, Entry{Actor: "bo", Action: ActionDriftCommit, Target: "git:main"}); err != nil {
		t.Fatal(err)
	}
	n, err := tr.Rebase(ctx, snap)
	if err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Errorf("Rebase appended %d entries, want our 3 lost ones", n)
	}
	s, err := tr.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	es, err := tr.Entries(time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Entries != 7 || es[3].Actor != "bo" || es[4].Target != "plan:3" || es[6].Target != "plan:5" || es[6].Seq != 7 || s.Anchor != s.Head {
		t.Errorf("after Rebase: %+v, entries %v; want theirs at 4, ours at 5..7, anchored", s, es)
	}
}
