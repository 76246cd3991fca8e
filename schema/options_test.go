package schema

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/lagrieta/itlag/schema/statetest"
)

// A file over the size limit is a problem naming the file and the limit,
// found without reading it; the other files are still validated.
func TestLoadMaxFileSize(t *testing.T) {
	dir := t.TempDir()
	small := "zones:\n  - {name: x.example, provider: nobody}\n"
	if err := os.WriteFile(filepath.Join(dir, "a.yaml"), []byte(small), 0o644); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.yaml")
	if err := statetest.WriteLarge(big, 100, statetest.Flow); err != nil { // some 7 KiB
		t.Fatal(err)
	}
	tests := []struct {
		name string
		max  int64
		want []string // the problems, in order
	}{
		{
			name: "over the limit",
			max:  2048,
			want: []string{
				filepath.Join(dir, "a.yaml") + `:2:33: zones[0].provider: "nobody" is not allowed, want one of cloudflare, godaddy`,
				big + ": is 7.2 KiB (7342 bytes), over the limit of 2 KiB (2048 bytes) for one state file, refusing to read it; want the records split over several files, or a higher limit (ITLAG_MAX_STATE_FILE)",
			},
		},
		{
			name: "under the limit",
			max:  1 << 20,
			want: []string{filepath.Join(dir, "a.yaml") + `:2:33: zones[0].provider: "nobody" is not allowed, want one of cloudflare, godaddy`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadContext(context.Background(), dir, LoadOptions{MaxFileSize: tt.max})
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("LoadContext() error = %v, want Errors", err)
			}
			var got []string
			for _, p := range errs {
				got = append(got, p.String())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("LoadContext() problems =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// readLimited refuses a file that grows past the limit after its size was
// looked at: it never reads more than the limit and one byte.
func TestReadLimited(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.yaml")
	if err := os.WriteFile(path, []byte("0123456789"), 0o644); err != nil {
		t.Fatal(err)
	}
	fsys := os.DirFS(filepath.Dir(path))
	tests := []struct {
		max     int64
		want    string
		wantErr string
	}{
		{max: 10, want: "0123456789"},
		{max: 9, wantErr: "is 10 bytes (10 bytes), over the limit of 9 bytes (9 bytes)"},
	}
	for _, tt := range tests {
		got, err := readLimited(fsys, "a.yaml", tt.max)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("readLimited(max %d) error = %v, want %q", tt.max, err, tt.wantErr)
			}
			continue
		}
		if err != nil || string(got) != tt.want {
			t.Errorf("readLimited(max %d) = %q, %v, want %q", tt.max, got, err, tt.want)
		}
	}
	if err := (&errTooLarge{size: -1, max: 9}).Error(); !strings.HasPrefix(err, "is larger than the limit of 9 bytes (9 bytes)") {
		t.Errorf("a file that grew while read: %q", err)
	}
}

func TestParseFileSize(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{in: "1048576", want: 1 << 20},
		{in: "64MiB", want: 64 << 20},
		{in: "64 MiB", want: 64 << 20},
		{in: "100MB", want: 100e6},
		{in: "2GiB", want: 2 << 30},
		{in: "512KiB", want: 512 << 10},
		{in: "10B", want: 10},
		{in: "", wantErr: true},
		{in: "0", wantErr: true},
		{in: "-5MiB", wantErr: true},
		{in: "64 mebibytes", wantErr: true},
		{in: "99999999999GiB", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseFileSize(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseFileSize(%q) = %d, %v, want %d (error %v)", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

// countdownCtx is a context that ends after its Err has been asked
// left+1 times: a load cancelled part way, without timing.
type countdownCtx struct {
	context.Context
	left atomic.Int64
}

func (c *countdownCtx) Err() error {
	if c.left.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

// A context that ends stops the load with an error saying it was
// interrupted and why, between files and between batches of records.
func TestLoadContextInterrupted(t *testing.T) {
	dir := writeState(t, 2*recordsPerBatch, statetest.Flow)
	second := "zones:\n  - name: second.example\n    provider: cloudflare\n    records: [{name: www, type: A, value: 192.0.2.1}]\n"
	if err := os.WriteFile(filepath.Join(dir, "second.yaml"), []byte(second), 0o644); err != nil {
		t.Fatal(err)
	}
	sig, cancel := context.WithCancelCause(context.Background())
	cancel(errors.New("terminated signal received"))
	tests := []struct {
		name  string
		ctx   context.Context
		cause string
	}{
		{name: "before the first file", ctx: sig, cause: "terminated signal received"},
		// Err is asked before each file (2) and each document (2), then
		// before each batch of records (two here) and before each text
		// check of a batch (each of the six definitions, names, four
		// value types and comments, in lists of up to 256 strings).
		{name: "between the files", ctx: countdown(2), cause: "context canceled"},
		{name: "among the records", ctx: countdown(4), cause: "context canceled"},
		{name: "among the text batches", ctx: countdown(10), cause: "context canceled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := LoadContext(tt.ctx, dir, LoadOptions{})
			want := "loading " + dir + ": interrupted: " + tt.cause
			if st != nil || err == nil || err.Error() != want {
				t.Fatalf("LoadContext() = %v, %v, want %q", st, err, want)
			}
			if !errors.Is(err, context.Canceled) {
				t.Errorf("error %v does not wrap context.Canceled", err)
			}
		})
	}
	// the same load, not interrupted, succeeds
	if _, err := LoadContext(countdown(1<<20), dir, LoadOptions{}); err != nil {
		t.Fatalf("LoadContext() not interrupted: %v", err)
	}
}

func countdown(n int64) *countdownCtx {
	c := &countdownCtx{Context: context.Background()}
	c.left.Store(n)
	return c
}
