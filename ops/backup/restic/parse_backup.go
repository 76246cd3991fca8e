package restic

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"syscall"
	"time"
)

// parseVersion reads `restic version`: "restic 0.14.0 compiled with go1.19.8
// on linux/amd64" is "0.14.0"; "restic 0.19.1-dev (compiled manually) …" is
// "0.19.1-dev".
func parseVersion(out []byte) (string, error) {
	f := strings.Fields(string(out))
	if len(f) < 2 || f[0] != "restic" {
		return "", fmt.Errorf("unrecognised version output %q", firstLine(out))
	}
	v := f[1]
	if v == "" || v[0] < '0' || v[0] > '9' {
		return "", fmt.Errorf("unrecognised version output %q", firstLine(out))
	}
	return v, nil
}

// backupParser reads the JSON lines of `backup --json`, status and summary
// on stdout, per-file errors on stderr (stdout in some versions).
type backupParser struct {
	summary    *Summary
	warnings   []string
	onProgress func(Progress)
	bad        int // lines that looked like JSON but did not parse
}

type backupLine struct {
	Type string `json:"message_type"`
	// status
	PercentDone float64 `json:"percent_done"`
	TotalFiles  int64   `json:"total_files"`
	FilesDone   int64   `json:"files_done"`
	TotalBytes  int64   `json:"total_bytes"`
	BytesDone   int64   `json:"bytes_done"`
	// summary
	FilesNew            int64   `json:"files_new"`
	FilesChanged        int64   `json:"files_changed"`
	FilesUnmodified     int64   `json:"files_unmodified"`
	DataAdded           int64   `json:"data_added"`
	DataAddedPacked     int64   `json:"data_added_packed"`
	TotalFilesProcessed int64   `json:"total_files_processed"`
	TotalBytesProcessed int64   `json:"total_bytes_processed"`
	TotalDuration       float64 `json:"total_duration"`
	SnapshotID          string  `json:"snapshot_id"`
	// error
	Error  json.RawMessage `json:"error"`
	During string          `json:"during"`
	Item   string          `json:"item"`
}

// line handles one line of either stream. Text lines ("Warning: at least
// one source file could not be read") are skipped.
func (p *backupParser) line(b []byte) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		return
	}
	var l backupLine
	if err := json.Unmarshal(b, &l); err != nil {
		p.bad++
		return
	}
	switch l.Type {
	case "status":
		if p.onProgress != nil {
			p.onProgress(Progress{
				PercentDone: l.PercentDone,
				FilesDone:   l.FilesDone, TotalFiles: l.TotalFiles,
				BytesDone: l.BytesDone, TotalBytes: l.TotalBytes,
			})
		}
	case "summary":
		p.summary = &Summary{
			SnapshotID:          l.SnapshotID,
			FilesNew:            l.FilesNew,
			FilesChanged:        l.FilesChanged,
			FilesUnmodified:     l.FilesUnmodified,
			DataAdded:           l.DataAdded,
			DataAddedPacked:     l.DataAddedPacked,
			TotalFilesProcessed: l.TotalFilesProcessed,
			TotalBytesProcessed: l.TotalBytesProcessed,
			Duration:            time.Duration(l.TotalDuration * float64(time.Second)),
		}
	case "error":
		p.warnings = append(p.warnings, warningText(l.Item, l.During, l.Error))
	}
}

// result is the summary with the warnings; an error when restic printed
// no summary.
func (p *backupParser) result() (Summary, error) {
	if p.summary == nil {
		return Summary{Warnings: p.warnings}, errors.New("no summary in restic's output")
	}
	s := *p.summary
	s.Warnings = p.warnings
	return s, nil
}

// parseBackup parses a whole backup's output (for tests and callers that
// buffered it).
func parseBackup(stdout, stderr []byte) (Summary, error) {
	p := &backupParser{}
	for _, l := range bytes.Split(stdout, []byte("\n")) {
		p.line(l)
	}
	for _, l := range bytes.Split(stderr, []byte("\n")) {
		p.line(l)
	}
	return p.result()
}

// warningText renders a JSON error line as "item: message". restic 0.14
// marshals the Go error value ({"Op":"open","Path":"x","Err":13}); newer
// restics give {"message":"…"}.
func warningText(item, during string, raw json.RawMessage) string {
	msg := errorMessage(raw)
	where := item
	if where == "" {
		where = during
	}
	switch {
	case where == "":
		return msg
	case msg == "":
		return where + ": error"
	}
	return where + ": " + msg
}

func errorMessage(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var m struct {
		Message string          `json:"message"`
		Op      string          `json:"Op"`
		Path    string          `json:"Path"`
		Err     json.RawMessage `json:"Err"`
	}
	if json.Unmarshal(raw, &m) != nil {
		return string(raw)
	}
	if m.Message != "" {
		return m.Message
	}
	if m.Op == "" && m.Path == "" && len(m.Err) == 0 {
		if string(raw) == "{}" {
			return ""
		}
		return string(raw)
	}
	cause := errorMessage(m.Err)
	var errno uint64
	if json.Unmarshal(m.Err, &errno) == nil {
		cause = syscall.Errno(errno).Error()
	}
	out := strings.TrimSpace(m.Op + " " + m.Path)
	if cause != "" {
		out += ": " + cause
	}
	return out
}

func firstLine(b []byte) string {
	s := strings.TrimSpace(string(b))
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
