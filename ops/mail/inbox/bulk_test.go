package inbox_test

import (
	"context"
	"testing"

	"github.com/lagrieta/itlag/ops/mail/inbox"
	"github.com/lagrieta/itlag/ops/mail/inbox/dovecottest"
)

// TestPass10k: one pass hands 10,000 messages over, in order; the next
// fetches nothing.
func TestPass10k(t *testing.T) {
	t.Parallel()
	s := dovecottest.Start(t)
	s.SeedMaildir(t, mails(1, 10_000))
	db, a := openDB(t), account(t, s)
	var n, last uint32
	ordered := true
	h := func(_ context.Context, f inbox.Fetched) error {
		n++
		ordered = ordered && f.UID == last+1 && len(f.Raw) > 0
		last = f.UID
		return nil
	}
	ctx := context.Background()
	st, err := inbox.Pass(ctx, db, a, h)
	if err != nil {
		t.Fatal(err)
	}
	if n != 10_000 || !ordered || st.Fetched != 10_000 {
		t.Fatalf("handed %d (in order: %v), stats %+v", n, ordered, st)
	}
	t.Logf("first pass: %d commands, %d bytes", st.Commands, st.Bytes)
	st, err = inbox.Pass(ctx, db, a, h)
	if err != nil || st.New != 0 || st.Fetched != 0 || st.Commands != 3 || n != 10_000 {
		t.Fatalf("second pass: %+v, %v (handed %d)", st, err, n)
	}
}

// BenchmarkPass10k is a first pass over 10,000 small messages.
func BenchmarkPass10k(b *testing.B) {
	s := dovecottest.Start(b)
	s.SeedMaildir(b, mails(1, 10_000))
	a := account(b, s)
	h := func(context.Context, inbox.Fetched) error { return nil }
	ctx := context.Background()
	if _, err := inbox.Pass(ctx, openDB(b), a, h); err != nil { // Dovecot indexes the folder
		b.Fatal(err)
	}
	var st inbox.Stats
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		db := openDB(b)
		b.StartTimer()
		var err error
		if st, err = inbox.Pass(ctx, db, a, h); err != nil || st.Fetched != 10_000 {
			b.Fatal(st, err)
		}
	}
	b.ReportMetric(float64(st.Commands), "commands/op")
	b.ReportMetric(float64(st.Fetched)*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(st.Bytes)/1e6, "MB/op")
}

// BenchmarkPassNothingNew is a pass over a folder with nothing new.
func BenchmarkPassNothingNew(b *testing.B) {
	s := dovecottest.Start(b)
	s.SeedMaildir(b, mails(1, 100))
	db, a := openDB(b), account(b, s)
	h := func(context.Context, inbox.Fetched) error { return nil }
	ctx := context.Background()
	if _, err := inbox.Pass(ctx, db, a, h); err != nil {
		b.Fatal(err)
	}
	var st inbox.Stats
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if st, err = inbox.Pass(ctx, db, a, h); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(st.Commands), "commands/op")
	b.ReportMetric(float64(st.Fetched), "bodies/op")
}
