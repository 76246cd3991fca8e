package restic

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	if name == "" {
		return nil
	}
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseVersion(t *testing.T) {
	tests := []struct {
		out, want string
		err       bool
	}{
		{"restic 0.14.0 compiled with go1.19.8 on linux/amd64\n", "0.14.0", false},
		{"restic 0.19.1-dev (compiled manually) compiled with go1.24.1 on linux/amd64\n", "0.19.1-dev", false},
		{"restic 0.18.0 compiled with go1.24.1 on linux/arm64", "0.18.0", false},
		{"rustic 0.9.0\n", "", true},
		{"restic version unknown\n", "", true},
		{"", "", true},
	}
	for _, tt := range tests {
		got, err := parseVersion([]byte(tt.out))
		if got != tt.want || (err != nil) != tt.err {
			t.Errorf("parseVersion(%q) = %q, %v; want %q, err %v", tt.out, got, err, tt.want, tt.err)
		}
	}
}

func TestParseBackup(t *testing.T) {
	tests := []struct {
		name, stdout, stderr string
		want                 Summary
		progress             []Progress
	}{
		{
			name: "0.14 sample", stdout: "restic-0.14-backup.jsonl",
			want: Summary{SnapshotID: "34b8b145", FilesChanged: 1, FilesUnmodified: 2, DataAdded: 1403,
				TotalFilesProcessed: 3, TotalBytesProcessed: 100017, Duration: 210346851 * time.Nanosecond},
			progress: []Progress{{TotalFiles: 1, TotalBytes: 13}},
		},
		{
			name: "0.14 unreadable file", stdout: "restic-0.14-backup-partial.jsonl", stderr: "restic-0.14-backup-partial.stderr",
			want: Summary{SnapshotID: "b8e4d476", FilesNew: 1, DataAdded: 730, TotalFilesProcessed: 1, TotalBytesProcessed: 2,
				Duration: 211297402 * time.Nanosecond,
				Warnings: []string{"$WORKDIR/d/secret: open d/secret: permission denied"}},
			progress: []Progress{{TotalFiles: 1, TotalBytes: 2}},
		},
		{
			name: "0.18 with backup_start and data_added_packed", stdout: "restic-0.18-backup.jsonl", stderr: "restic-0.18-backup-partial.stderr",
			want: Summary{SnapshotID: "cc11bb22cc33dd44ee55ff6600778899aa11bb22cc33dd44ee55ff6600778899",
				FilesNew: 3, DataAdded: 4500, DataAddedPacked: 2300, TotalFilesProcessed: 3, TotalBytesProcessed: 3072,
				Duration: 1500 * time.Millisecond,
				Warnings: []string{"/srv/data/secret: open /srv/data/secret: permission denied"}},
			progress: []Progress{
				{PercentDone: 0.25, FilesDone: 1, TotalFiles: 4, BytesDone: 1024, TotalBytes: 4096},
				{PercentDone: 1, FilesDone: 4, TotalFiles: 4, BytesDone: 4096, TotalBytes: 4096},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []Progress
			p := &backupParser{onProgress: func(pr Progress) { got = append(got, pr) }}
			for _, l := range strings.Split(string(fixture(t, tt.stdout)), "\n") {
				p.line([]byte(l))
			}
			for _, l := range strings.Split(string(fixture(t, tt.stderr)), "\n") {
				p.line([]byte(l))
			}
			sum, err := p.result()
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(sum, tt.want) {
				t.Errorf("summary\n got %+v\nwant %+v", sum, tt.want)
			}
			if !reflect.DeepEqual(got, tt.progress) {
				t.Errorf("progress\n got %+v\nwant %+v", got, tt.progress)
			}
		})
	}
}

func TestParseBackupNoSummary(t *testing.T) {
	_, err := parseBackup([]byte(`{"message_type":"status","percent_done":0.5}`+"\n"), []byte("Fatal: unable to save snapshot\n"))
	if err == nil {
		t.Fatal("a backup without summary parsed")
	}
}

func TestWarningText(t *testing.T) {
	tests := []struct {
		item, during, raw, want string
	}{
		{"/x/secret", "archival", `{"Op":"open","Path":"x/secret","Err":13}`, "/x/secret: open x/secret: permission denied"},
		{"/x/gone", "scan", `{"Op":"lstat","Path":"/x/gone","Err":2}`, "/x/gone: lstat /x/gone: no such file or directory"},
		{"/x/y", "archival", `{"message":"read /x/y: input/output error"}`, "/x/y: read /x/y: input/output error"},
		{"", "scan", `"plain string"`, "scan: plain string"},
		{"/x/z", "archival", `{}`, "/x/z: error"},
		{"/x/w", "archival", `{"Op":"read","Path":"/x/w","Err":{"Op":"inner","Path":"p","Err":5}}`, "/x/w: read /x/w: inner p: input/output error"},
	}
	for _, tt := range tests {
		if got := warningText(tt.item, tt.during, []byte(tt.raw)); got != tt.want {
			t.Errorf("warningText(%q, %s) = %q, want %q", tt.item, tt.raw, got, tt.want)
		}
	}
}

func TestParseSnapshots(t *testing.T) {
	t.Run("0.14", func(t *testing.T) {
		snaps, err := parseSnapshots(fixture(t, "restic-0.14-snapshots.json"))
		if err != nil {
			t.Fatal(err)
		}
		if len(snaps) != 3 {
			t.Fatalf("%d snapshots, want 3", len(snaps))
		}
		s := snaps[1]
		want := Snapshot{
			ID: "b93195889e6c31a7e29bf645fa8d164a001a0e79743bef464a1a72f4d8a0afde", ShortID: "b9319588",
			Time:  time.Date(2026, 11, 26, 18, 48, 24, 206635564, time.UTC),
			Paths: []string{"$WORKDIR/data"}, Tags: []string{"daily"}, Hostname: "nas01", Username: "root",
			Parent: "4a391be29d98bc3b4f156b6ed0e58678f60b715617146df7ce8cdf51d7fb7b30",
			Tree:   "7d9b86fec15186be0ec9db6d1f6220100fad25e2c554b8d85f6b7b7bf35fb971",
		}
		if !s.Time.Equal(want.Time) {
			t.Errorf("time %v, want %v", s.Time, want.Time)
		}
		s.Time = want.Time
		if !reflect.DeepEqual(s, want) {
			t.Errorf("snapshot\n got %+v\nwant %+v", s, want)
		}
		if snaps[2].Tags != nil || snaps[2].Hostname != "vm" || snaps[0].Parent != "" || snaps[0].Summary != nil {
			t.Errorf("untagged first/last snapshots misread: %+v %+v", snaps[0], snaps[2])
		}
	})
	t.Run("0.18 summary and program_version", func(t *testing.T) {
		snaps, err := parseSnapshots(fixture(t, "restic-0.18-snapshots.json"))
		if err != nil {
			t.Fatal(err)
		}
		if len(snaps) != 2 {
			t.Fatalf("%d snapshots, want 2", len(snaps))
		}
		s := snaps[0]
		if s.ProgramVersion != "restic 0.18.0" || s.Summary == nil {
			t.Fatalf("snapshot %+v: no program_version or summary", s)
		}
		wantSum := SnapshotSummary{
			BackupStart: time.Date(2026, 11, 20, 2, 0, 1, 123456789, time.UTC),
			BackupEnd:   time.Date(2026, 11, 20, 2, 0, 4, 500000000, time.UTC),
			FilesNew:    12, DirsNew: 3, DataBlobs: 12, TreeBlobs: 4, DataAdded: 40960, DataAddedPacked: 20480,
			TotalFilesProcessed: 12, TotalBytesProcessed: 40000,
		}
		got := *s.Summary
		if !got.BackupStart.Equal(wantSum.BackupStart) || !got.BackupEnd.Equal(wantSum.BackupEnd) {
			t.Errorf("backup start/end %v %v", got.BackupStart, got.BackupEnd)
		}
		got.BackupStart, got.BackupEnd = wantSum.BackupStart, wantSum.BackupEnd
		if got != wantSum {
			t.Errorf("summary\n got %+v\nwant %+v", got, wantSum)
		}
		// short_id was deprecated: derived from id when absent.
		if snaps[1].ShortID != "bb11bb22" {
			t.Errorf("short id %q, want bb11bb22", snaps[1].ShortID)
		}
	})
	t.Run("empty and broken", func(t *testing.T) {
		for _, in := range []string{"", "[]", "\n"} {
			if s, err := parseSnapshots([]byte(in)); err != nil || len(s) != 0 {
				t.Errorf("parseSnapshots(%q) = %v, %v", in, s, err)
			}
		}
		for _, in := range []string{"[{", `[{"time":"2026-01-01T00:00:00Z"}]`, "Fatal: x"} {
			if _, err := parseSnapshots([]byte(in)); err == nil {
				t.Errorf("parseSnapshots(%q) accepted", in)
			}
		}
	})
}

func ids(snaps []Snapshot) []string {
	var out []string
	for _, s := range snaps {
		out = append(out, s.ShortID)
	}
	return out
}

func TestParseForget(t *testing.T) {
	tests := []struct {
		name, file    string
		kept, removed []string
	}{
		{"0.14 dry run, two groups", "restic-0.14-forget-dryrun.json", []string{"7a58e684", "b9319588"}, []string{"4a391be2"}},
		{"0.14 with prune text on stdout", "restic-0.14-forget-prune.stdout", []string{"790b10bc", "d324e040"}, []string{"ca629529", "9f309dd7"}},
		{"0.18 with prune progress", "restic-0.18-forget-prune.stdout", []string{"bb11bb22"}, []string{"aa11bb22"}},
		{"nothing matched: empty output", "", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := parseForget(fixture(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(ids(res.Kept), tt.kept) || !reflect.DeepEqual(ids(res.Removed), tt.removed) {
				t.Errorf("kept %v removed %v; want %v, %v", ids(res.Kept), ids(res.Removed), tt.kept, tt.removed)
			}
		})
	}
	if _, err := parseForget([]byte(`[{"keep":[{"id":1}]}]`)); err == nil {
		t.Error("a malformed forget array was accepted")
	}
}

func TestParseLs(t *testing.T) {
	tests := []struct {
		name, file string
		snapID     string
		nodes      []Node
	}{
		{"0.14 struct_type", "restic-0.14-ls.jsonl", "19984158", []Node{
			{Path: "/data", Type: "dir"}, {Path: "/data/a", Type: "file", Size: 6}, {Path: "/data/sub", Type: "dir"}, {Path: "/data/sub/c", Type: "file", Size: 2},
		}},
		{"0.18 message_type", "restic-0.18-ls.jsonl", "aa11bb22", []Node{
			{Path: "/srv", Type: "dir"}, {Path: "/srv/data", Type: "dir"}, {Path: "/srv/data/a.txt", Type: "file", Size: 5}, {Path: "/srv/data/link", Type: "symlink"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap, nodes, err := parseLs(fixture(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if tt.snapID != "" && snap.ShortID != tt.snapID {
				t.Errorf("snapshot %q, want %q", snap.ShortID, tt.snapID)
			}
			for i := range nodes {
				if nodes[i].Mtime.IsZero() {
					t.Errorf("node %s: no mtime", nodes[i].Path)
				}
				nodes[i].Mtime = time.Time{}
			}
			if !reflect.DeepEqual(nodes, tt.nodes) {
				t.Errorf("nodes\n got %+v\nwant %+v", nodes, tt.nodes)
			}
		})
	}
	t.Run("unknown snapshot: no output", func(t *testing.T) {
		if _, _, err := parseLs(nil); !errors.Is(err, ErrNoSnapshot) {
			t.Errorf("err %v, want ErrNoSnapshot", err)
		}
	})
	t.Run("node before snapshot", func(t *testing.T) {
		if _, _, err := parseLs([]byte(`{"struct_type":"node","path":"/x"}`)); err == nil || errors.Is(err, ErrNoSnapshot) {
			t.Errorf("err %v, want a parse error", err)
		}
	})
}

func TestParseStats(t *testing.T) {
	tests := []struct {
		file string
		want Stats
	}{
		{"restic-0.14-stats-raw.json", Stats{TotalSize: 931, TotalBlobCount: 5, SnapshotsCount: 1}},
		{"restic-0.18-stats-raw.json", Stats{TotalSize: 100203257, TotalUncompressedSize: 255114219, TotalBlobCount: 1284, SnapshotsCount: 1}},
	}
	for _, tt := range tests {
		got, err := parseStats(fixture(t, tt.file))
		if err != nil || got != tt.want {
			t.Errorf("%s: %+v, %v; want %+v", tt.file, got, err, tt.want)
		}
	}
	if _, err := parseStats([]byte("not json")); err == nil {
		t.Error("parseStats accepted text")
	}
}

func TestParseCheck(t *testing.T) {
	tests := []struct {
		name, stdout, stderr string
		code                 int
		ok, damaged          bool
		errs                 []string
		broken               []string
	}{
		{name: "0.14 clean", stdout: "restic-0.14-check.txt", ok: true},
		{name: "0.14 damaged pack", stdout: "restic-0.14-check-damaged.stdout", stderr: "restic-0.14-check-damaged.stderr", code: 1, damaged: true,
			errs: []string{"Pack ID does not match, want 26ebbc26b24fba7a11a9102a1138225a77f7ed410bd78c6b118fa206d87eb1f3, got 3c57f18129f489234de03266cd90ac0baefe15db32ef3e59630c1c44372486d8"}},
		{name: "0.14 wrong password is no verdict", stderr: "restic-0.14-wrong-password.stderr", code: 1},
		{name: "0.14 no repository is no verdict", stderr: "restic-0.14-no-repository.stderr", code: 1},
		{name: "0.18 clean summary", stdout: "restic-0.18-check-ok.stdout", ok: true},
		{name: "0.18 broken pack", stdout: "restic-0.18-check-damaged.stdout", stderr: "restic-0.18-check-damaged.stderr", code: 1, damaged: true,
			errs:   []string{"pack 26ebbc26: Pack ID does not match, want 26ebbc26, got 3c57f181", "broken pack 26ebbc26b24fba7a11a9102a1138225a77f7ed410bd78c6b118fa206d87eb1f3"},
			broken: []string{"26ebbc26b24fba7a11a9102a1138225a77f7ed410bd78c6b118fa206d87eb1f3"}},
		{name: "0.18 wrong password", stderr: "restic-0.18-wrong-password.stderr", code: 12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, damaged := parseCheck(fixture(t, tt.stdout), fixture(t, tt.stderr), tt.code)
			if res.OK != tt.ok || damaged != tt.damaged {
				t.Errorf("OK %v damaged %v; want %v %v", res.OK, damaged, tt.ok, tt.damaged)
			}
			if !reflect.DeepEqual(res.Errors, tt.errs) {
				t.Errorf("errors\n got %q\nwant %q", res.Errors, tt.errs)
			}
			if !reflect.DeepEqual(res.BrokenPacks, tt.broken) {
				t.Errorf("broken packs %q, want %q", res.BrokenPacks, tt.broken)
			}
		})
	}
}

func TestCheckErrorsTree(t *testing.T) {
	stderr := "error for tree 4a391be2:\n  tree 4a391be2: file \"a\" blob 0 size could not be found\n  tree 4a391be2: file \"b\" blob 1 size could not be found\nerror: load <data/1234>: not found\nFatal: repository contains errors\n"
	res, damaged := parseCheck(nil, []byte(stderr), 1)
	want := []string{
		`error for tree 4a391be2: tree 4a391be2: file "a" blob 0 size could not be found; tree 4a391be2: file "b" blob 1 size could not be found`,
		"error: load <data/1234>: not found",
	}
	if !damaged || res.OK || !reflect.DeepEqual(res.Errors, want) {
		t.Errorf("damaged %v OK %v errors\n got %q\nwant %q", damaged, res.OK, res.Errors, want)
	}
}
