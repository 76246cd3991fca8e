package restic

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

// BenchmarkSnapshots measures listing snapshots: restic invocations per
// call (must be 1: the engine lists once per repository, whatever the
// count) and snapshots parsed per second. "fake" serves 500 snapshots of
// the 0.18 shape from the fake restic; "restic" lists 3 snapshots of a
// local repository with the real one.
func BenchmarkSnapshots(b *testing.B) {
	b.Run("fake-500", func(b *testing.B) {
		f := newFake(b, map[string]fakeResponse{"snapshots": {Stdout: manySnapshots(b, 500)}})
		benchSnapshots(b, &Runner{Bin: f.Bin}, fakeRepo(), 500)
	})
	b.Run("restic", func(b *testing.B) {
		r, repo := newRepo(b)
		src := sourceTree(b)
		for i := range 3 {
			if _, err := r.Backup(context.Background(), repo, []string{src}, BackupOptions{Tags: []string{fmt.Sprint(i)}}); err != nil {
				b.Fatal(err)
			}
		}
		benchSnapshots(b, r, repo, 3)
	})
}

func benchSnapshots(b *testing.B, r *Runner, repo Repo, want int) {
	before := r.Calls.Load()
	b.ResetTimer()
	for range b.N {
		snaps, err := r.Snapshots(context.Background(), repo)
		if err != nil {
			b.Fatal(err)
		}
		if len(snaps) != want {
			b.Fatalf("%d snapshots, want %d", len(snaps), want)
		}
	}
	b.StopTimer()
	perCall := float64(r.Calls.Load()-before) / float64(b.N)
	if perCall != 1 {
		b.Fatalf("%.2f restic invocations per Snapshots call, want 1", perCall)
	}
	b.ReportMetric(perCall, "invocations/op")
	b.ReportMetric(float64(want*b.N)/b.Elapsed().Seconds(), "snapshots/s")
}

func manySnapshots(b *testing.B, n int) string {
	var raw []snapshotJSON
	if err := json.Unmarshal(fixture(b, "restic-0.18-snapshots.json"), &raw); err != nil {
		b.Fatal(err)
	}
	out := make([]snapshotJSON, n)
	for i := range out {
		s := raw[i%len(raw)]
		s.ID = fmt.Sprintf("%064x", i+1)
		s.Time = s.Time.Add(time.Duration(i) * time.Hour)
		out[i] = s
	}
	data, err := json.Marshal(out)
	if err != nil {
		b.Fatal(err)
	}
	return string(data)
}
