package restic

import (
	"errors"
	"sync/atomic"
	"time"
)

// Sentinel errors, wrapped (errors.Is) by the errors the Runner returns.
var (
	// ErrPartial: restic finished but could not read some source data
	// (exit code 3). Backup returns its Summary, with the Warnings, too.
	ErrPartial = errors.New("some source data could not be read")
	// ErrNoRepository: no repository at the URL (exit code 10, or 0.14's
	// "Is there a repository at the following location?").
	ErrNoRepository = errors.New("repository does not exist")
	// ErrWrongPassword: no key of the repository opens with the password
	// (exit code 12, or 0.14's "wrong password").
	ErrWrongPassword = errors.New("wrong password")
	// ErrLocked: another restic holds a conflicting lock (exit code 11, or
	// 0.14's "repository is already locked").
	ErrLocked = errors.New("repository is locked")
	// ErrNoSnapshot: the snapshot ID given to Ls or Restore matches no
	// snapshot.
	ErrNoSnapshot = errors.New("no such snapshot")
)

// Repo is one restic repository and how to open it.
type Repo struct {
	// URL is RESTIC_REPOSITORY: a path, sftp:user@host:/path, s3:…, b2:…,
	// rest:….
	URL string
	// Password is given to restic through RESTIC_PASSWORD in its
	// environment, never on the command line. It must not be empty.
	Password string
	// Env holds backend credentials (AWS_*, B2_*), added to restic's
	// environment. It may not set the RESTIC_* variables that URL,
	// Password and Runner.CacheDir own.
	Env map[string]string
	// SFTPCommand, for sftp: repositories, replaces restic's ssh command
	// (-o sftp.command=…): the CLI pins the host key with it. Build it
	// with SFTPCommand.
	SFTPCommand string
}

// Runner runs restic. The zero value runs "restic" from PATH with restic's
// default cache. A Runner is safe for concurrent use; it must not be
// copied after first use.
type Runner struct {
	// Bin is the restic binary; "" is "restic" looked up in PATH.
	Bin string
	// CacheDir is RESTIC_CACHE_DIR; "" leaves restic's default.
	CacheDir string
	// Calls counts restic invocations (for benchmarks and tests); safe for
	// concurrent use.
	Calls atomic.Int64
	// Grace is how long restic has to exit after SIGINT when the context
	// is cancelled before it is killed; 0 is 15 s.
	Grace time.Duration
}

// BackupOptions tunes one backup.
type BackupOptions struct {
	// Force re-reads every file instead of trusting the parent snapshot's
	// metadata (--force).
	Force bool
	// Excludes are restic --exclude patterns.
	Excludes []string
	// Tags are added to the snapshot; none may be empty or hold a comma.
	Tags []string
	// Host is the snapshot's hostname; "" is restic's (the machine's).
	Host string
	// Time, when not zero, is the snapshot's time (--time), for tests.
	Time time.Time
	// Progress, when not nil, receives restic's status lines. It is
	// called from one goroutine at a time, while restic runs: it must
	// return quickly (restic waits on its stdout meanwhile).
	Progress func(Progress)
}

// Progress is one of restic's backup status lines.
type Progress struct {
	// PercentDone is between 0 and 1.
	PercentDone           float64
	FilesDone, TotalFiles int64
	BytesDone, TotalBytes int64
}

// Summary is a backup's result.
type Summary struct {
	// SnapshotID is as restic prints it: short in 0.14, long later.
	SnapshotID                              string
	FilesNew, FilesChanged, FilesUnmodified int64
	DataAdded, TotalBytesProcessed          int64
	TotalFilesProcessed                     int64
	Duration                                time.Duration
	// Warnings are restic's per-file errors (unreadable files, vanished
	// paths): "item: message". They come with ErrPartial (exit code 3),
	// or alone when restic still exited 0 (a missing source path in 0.14).
	Warnings []string
	// DataAddedPacked is the data added after compression (newer restics; 0 in
	// 0.14).
	DataAddedPacked int64
}

// Snapshot is one snapshot as restic lists it.
type Snapshot struct {
	// ID is the full 64-hex-digit ID; ShortID its first 8 digits.
	ID, ShortID string
	Time        time.Time
	Paths, Tags []string
	Hostname    string
	// Summary is the backup's statistics, nil before restic 0.17.
	Summary *SnapshotSummary
	// Parent and Tree are snapshot and tree IDs; Parent is "" for a
	// snapshot made without a parent.
	Parent, Tree string
	Username     string
	// ProgramVersion is the restic that made it ("restic 0.17.0"), ""
	// before 0.17.
	ProgramVersion string
}

// SnapshotSummary is the statistics restic 0.17+ stores in a snapshot.
type SnapshotSummary struct {
	BackupStart, BackupEnd                   time.Time
	FilesNew, FilesChanged, FilesUnmodified  int64
	DirsNew, DirsChanged, DirsUnmodified     int64
	DataBlobs, TreeBlobs                     int64
	DataAdded, DataAddedPacked               int64
	TotalFilesProcessed, TotalBytesProcessed int64
}

// Keep is a retention policy: restic's --keep-* flags, ORed together.
// The zero Keep is refused: it would forget every snapshot.
type Keep struct {
	Daily, Weekly, Monthly, Yearly int
	// Within keeps every snapshot younger than this duration before the
	// latest one ("2y5m7d3h").
	Within string
	// Last keeps the n latest snapshots; Hourly the latest of n hours.
	Last, Hourly int
}

// IsZero reports whether k keeps nothing.
func (k Keep) IsZero() bool { return k == Keep{} }

// ForgetResult is what forget kept and removed, across all groups
// (restic groups snapshots by host and paths).
type ForgetResult struct {
	Kept, Removed []Snapshot
}

// CheckResult is a repository check's verdict. A damaged repository is
// OK=false with the reasons in Errors; it is not a Go error.
type CheckResult struct {
	OK     bool
	Errors []string
	// Output is restic's stdout then stderr, secrets redacted.
	Output string
	// BrokenPacks, SuggestRepairIndex and SuggestPrune come from the JSON
	// summary of newer restics (empty with 0.14).
	BrokenPacks                      []string
	SuggestRepairIndex, SuggestPrune bool
}

// Node is one entry of a snapshot.
type Node struct {
	// Path is the path inside the snapshot ("/home/x/file"); Type is
	// "file", "dir", "symlink", ….
	Path, Type string
	Size       int64
	Mtime      time.Time
}

// Stats is the repository's size (stats --mode raw-data).
type Stats struct {
	// TotalSize is the bytes stored in the repository.
	TotalSize int64
	// TotalFileCount is 0 in raw-data mode on restic 0.14.
	TotalFileCount int64
	// TotalBlobCount and SnapshotsCount come with every version;
	// TotalUncompressedSize with 0.14+ format 2 repositories.
	TotalBlobCount, SnapshotsCount int64
	TotalUncompressedSize          int64
}
