package reconcile

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lagrieta/itlag/providers"
)

func savedFixture() (*Saved, Desired, Observed) {
	d := Desired{Zones: []Zone{zone(true, rec("www", "A", "1.2.3.4"), rec("mail", "A", "5.6.7.8"))}}
	o := observed("cf:"+tz, rec("www", "A", "1.1.1.1", id("r1")), rec("old", "A", "9.9.9.9", id("r2")), rec("keep", "TXT", "x", id("r3")))
	p := Plan(d, o, defaultPolicy)
	return NewSaved(p, d, o, "abc123", time.Date(2026, 1, 2, 3, 4, 5, 6, time.FixedZone("x", 3600))), d, o
}

func TestSavedRoundTrip(t *testing.T) {
	s, d, _ := savedFixture()
	path := filepath.Join(t.TempDir(), "plan.json")
	if err := WriteSaved(path, s); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	got, err := ReadSaved(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Checksum != s.Checksum || got.StateDigest != StateDigest(d) || got.GitCommit != "abc123" || !got.CreatedAt.Equal(s.CreatedAt) {
		t.Errorf("round trip changed the plan: %+v", got)
	}
	if len(got.Plan.Changes) != len(s.Plan.Changes) || len(got.Plan.Changes) == 0 {
		t.Errorf("changes: %d, want %d", len(got.Plan.Changes), len(s.Plan.Changes))
	}
	if len(got.Fingerprints) != 4 { // zone + 3 records
		t.Errorf("fingerprints: %v", got.Fingerprints)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
}

func TestReadSavedRejects(t *testing.T) {
	s, _, _ := savedFixture()
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	if err := WriteSaved(good, s); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(good)
	tests := []struct {
		name    string
		edit    func([]byte) []byte
		wantErr string
		is      error
	}{
		{"tampered content", func(b []byte) []byte { return bytes.Replace(b, []byte("5.6.7.8"), []byte("6.6.6.6"), 1) }, "changed after it was written", ErrTampered},
		{"tampered checksum", func(b []byte) []byte { return bytes.Replace(b, []byte(s.Checksum), []byte(strings.Repeat("0", 64)), 1) }, "changed after it was written", ErrTampered},
		{"other format", func(b []byte) []byte {
			return bytes.Replace(b, []byte(`"format_version": "1"`), []byte(`"format_version": "9"`), 1)
		}, `format version "9", this itlag reads "1"`, nil},
		{"not json", func([]byte) []byte { return []byte("hello") }, "not a saved plan", nil},
		{"no checksum", func(b []byte) []byte { return bytes.Replace(b, []byte(s.Checksum), nil, 1) }, "no checksum", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-"))
			if err := os.WriteFile(path, tt.edit(raw), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := ReadSaved(path)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("err does not wrap %v", tt.is)
			}
		})
	}
	if _, err := ReadSaved(filepath.Join(dir, "missing")); err == nil {
		t.Error("missing file read")
	}
}

func TestStale(t *testing.T) {
	s, d, o := savedFixture()
	if lines := Stale(s, d, o); len(lines) != 0 {
		t.Fatalf("fresh observation is stale: %v", lines)
	}
	recs := o.Zones["cf:"+tz].Records
	moved := observed("cf:"+tz,
		rec("www", "A", "1.1.1.1", id("r1"), ttl(60)), // changed
		rec("keep", "TXT", "x", id("r3")),
		rec("new", "A", "2.2.2.2", id("r4")), // appeared; r2 (old/A) disappeared
	)
	moved.Zones["cf:other.org"] = providers.Observation{Records: recs} // not in the plan: ignored
	want := []string{
		"cf:example.com/new/A appeared",
		"cf:example.com/old/A disappeared",
		"cf:example.com/www/A changed since the plan",
	}
	if got := Stale(s, d, moved); join(got) != join(want) {
		t.Errorf("Stale:\n%s\nwant:\n%s", join(got), join(want))
	}
	gone := Observed{Zones: map[string]providers.Observation{}}
	if got := Stale(s, d, gone); join(got) != "cf:example.com disappeared" {
		t.Errorf("zone gone: %v", got)
	}
}

// TestStaleIgnoresUnmanaged: records an unmanaged rule covers may come and
// go between plan and apply (an ACME client's challenges) without making the
// plan stale; a declared record matching the rule still counts.
func TestStaleIgnoresUnmanaged(t *testing.T) {
	z := zone(true, rec("www", "A", "1.2.3.4"), rec("_acme-challenge.keep", "TXT", "declared"))
	z.Unmanaged = []Unmanaged{{Name: "_acme-challenge*", Type: "TXT"}}
	d := Desired{Zones: []Zone{z}}
	o := observed("cf:"+tz, rec("www", "A", "1.2.3.4", id("r1")), rec("_acme-challenge", "TXT", "t1", id("r2")),
		rec("_acme-challenge.keep", "TXT", "declared", id("r3")))
	s := NewSaved(Plan(d, o, defaultPolicy), d, o, "", time.Now())
	churned := observed("cf:"+tz, rec("www", "A", "1.2.3.4", id("r1")), rec("_acme-challenge", "TXT", "t2", id("r9")),
		rec("_acme-challenge.keep", "TXT", "declared", id("r3")))
	if lines := Stale(s, d, churned); len(lines) != 0 {
		t.Fatalf("unmanaged churn made the plan stale: %v", lines)
	}
	gone := observed("cf:"+tz, rec("www", "A", "1.2.3.4", id("r1")))
	if got := join(Stale(s, d, gone)); got != "cf:example.com/_acme-challenge.keep/TXT disappeared" {
		t.Fatalf("declared record gone: %q", got)
	}
}

// A saved plan is private, and a symlink at its path (or on the way in
// the repository) is refused, not followed.
func TestWriteSavedSafe(t *testing.T) {
	s, _, _ := savedFixture()
	dir := t.TempDir()
	path := filepath.Join(dir, "plan.json")
	if err := WriteSaved(path, s); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	target := filepath.Join(dir, "keep.txt")
	if err := os.WriteFile(target, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(dir, "linked.json")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(dir, filepath.Join(dir, "reports")); err != nil {
		t.Fatal(err)
	}
	if err := WriteSaved(filepath.Join(dir, "linked.json"), s); err == nil {
		t.Error("WriteSaved through a symlinked file succeeded")
	}
	if err := WriteSavedIn(dir, "reports/plan2.json", s); err == nil {
		t.Error("WriteSavedIn through a symlinked directory succeeded")
	}
	if b, _ := os.ReadFile(target); string(b) != "keep" {
		t.Errorf("the target was written: %.20q", b)
	}
}
