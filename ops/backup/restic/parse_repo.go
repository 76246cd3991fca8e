package restic

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// snapshotJSON is a snapshot in snapshots, forget and ls output.
type snapshotJSON struct {
	Time           time.Time    `json:"time"`
	Parent         string       `json:"parent"`
	Tree           string       `json:"tree"`
	Paths          []string     `json:"paths"`
	Hostname       string       `json:"hostname"`
	Username       string       `json:"username"`
	Tags           []string     `json:"tags"`
	ProgramVersion string       `json:"program_version"`
	Summary        *summaryJSON `json:"summary"`
	ID             string       `json:"id"`
	ShortID        string       `json:"short_id"`
}

type summaryJSON struct {
	BackupStart         time.Time `json:"backup_start"`
	BackupEnd           time.Time `json:"backup_end"`
	FilesNew            int64     `json:"files_new"`
	FilesChanged        int64     `json:"files_changed"`
	FilesUnmodified     int64     `json:"files_unmodified"`
	DirsNew             int64     `json:"dirs_new"`
	DirsChanged         int64     `json:"dirs_changed"`
	DirsUnmodified      int64     `json:"dirs_unmodified"`
	DataBlobs           int64     `json:"data_blobs"`
	TreeBlobs           int64     `json:"tree_blobs"`
	DataAdded           int64     `json:"data_added"`
	DataAddedPacked     int64     `json:"data_added_packed"`
	TotalFilesProcessed int64     `json:"total_files_processed"`
	TotalBytesProcessed int64     `json:"total_bytes_processed"`
}

func (s snapshotJSON) snapshot() Snapshot {
	out := Snapshot{
		ID: s.ID, ShortID: s.ShortID,
		Time: s.Time, Paths: s.Paths, Tags: s.Tags,
		Hostname: s.Hostname, Username: s.Username,
		Parent: s.Parent, Tree: s.Tree,
		ProgramVersion: s.ProgramVersion,
	}
	if out.ShortID == "" && len(out.ID) >= 8 {
		out.ShortID = out.ID[:8]
	}
	if m := s.Summary; m != nil {
		out.Summary = &SnapshotSummary{
			BackupStart: m.BackupStart, BackupEnd: m.BackupEnd,
			FilesNew: m.FilesNew, FilesChanged: m.FilesChanged, FilesUnmodified: m.FilesUnmodified,
			DirsNew: m.DirsNew, DirsChanged: m.DirsChanged, DirsUnmodified: m.DirsUnmodified,
			DataBlobs: m.DataBlobs, TreeBlobs: m.TreeBlobs,
			DataAdded: m.DataAdded, DataAddedPacked: m.DataAddedPacked,
			TotalFilesProcessed: m.TotalFilesProcessed, TotalBytesProcessed: m.TotalBytesProcessed,
		}
	}
	return out
}

// parseSnapshots reads `snapshots --json`: one JSON array (empty output is
// no snapshots).
func parseSnapshots(out []byte) ([]Snapshot, error) {
	out = bytes.TrimSpace(out)
	if len(out) == 0 {
		return nil, nil
	}
	var raw []snapshotJSON
	if err := json.Unmarshal(out, &raw); err != nil {
		return nil, fmt.Errorf("parse snapshots: %w", err)
	}
	snaps := make([]Snapshot, 0, len(raw))
	for _, s := range raw {
		if s.ID == "" {
			return nil, errors.New("parse snapshots: a snapshot without an id")
		}
		snaps = append(snaps, s.snapshot())
	}
	return snaps, nil
}

// parseForget reads `forget --json`: an array of groups on one line.
// With --prune, prune's text may share stdout (newer restics), so the
// first line that parses as the array wins. Empty output (no snapshot
// matched) is an empty result.
func parseForget(out []byte) (ForgetResult, error) {
	var res ForgetResult
	found := false
	for _, line := range bytes.Split(out, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] != '[' {
			continue
		}
		var groups []struct {
			Keep   []snapshotJSON `json:"keep"`
			Remove []snapshotJSON `json:"remove"`
		}
		if json.Unmarshal(line, &groups) != nil {
			continue // "[0:00] 100.00% …" progress
		}
		for _, g := range groups {
			for _, s := range g.Keep {
				res.Kept = append(res.Kept, s.snapshot())
			}
			for _, s := range g.Remove {
				res.Removed = append(res.Removed, s.snapshot())
			}
		}
		found = true
		break
	}
	if !found && len(bytes.TrimSpace(out)) > 0 && bytes.Contains(out, []byte(`"keep"`)) {
		return res, errors.New("parse forget: unreadable JSON")
	}
	return res, nil
}

// parseLsLine reads one line of `ls --json`: the snapshot (first) or a
// node. restic 0.14 names the kind in struct_type, newer ones also in
// message_type. Other kinds return kind "".
func parseLsLine(line []byte) (kind string, snap Snapshot, node Node, err error) {
	var l struct {
		snapshotJSON
		MessageType string    `json:"message_type"`
		StructType  string    `json:"struct_type"`
		Type        string    `json:"type"`
		Path        string    `json:"path"`
		Size        int64     `json:"size"`
		Mtime       time.Time `json:"mtime"`
	}
	if err := json.Unmarshal(line, &l); err != nil {
		return "", snap, node, fmt.Errorf("parse ls: %w", err)
	}
	kind = l.StructType
	if l.MessageType != "" {
		kind = l.MessageType
	}
	switch kind {
	case "snapshot":
		return kind, l.snapshotJSON.snapshot(), node, nil
	case "node":
		return kind, snap, Node{Path: l.Path, Type: l.Type, Size: l.Size, Mtime: l.Mtime}, nil
	}
	return "", snap, node, nil
}

// parseLs reads a whole `ls --json` output: the snapshot line, then nodes.
// No snapshot line (restic 0.14 prints nothing, exit 0, for an unknown ID)
// is ErrNoSnapshot.
func parseLs(out []byte) (Snapshot, []Node, error) {
	p := &lsParser{}
	for _, l := range bytes.Split(out, []byte("\n")) {
		p.line(l)
	}
	return p.result()
}

type lsParser struct {
	snap  *Snapshot
	nodes []Node
	err   error
}

func (p *lsParser) line(b []byte) {
	b = bytes.TrimSpace(b)
	if p.err != nil || len(b) == 0 {
		return
	}
	kind, snap, node, err := parseLsLine(b)
	switch {
	case err != nil:
		p.err = err
	case kind == "snapshot" && p.snap == nil:
		p.snap = &snap
	case kind == "node" && p.snap == nil:
		p.err = errors.New("parse ls: a node before the snapshot")
	case kind == "node":
		p.nodes = append(p.nodes, node)
	}
}

func (p *lsParser) result() (Snapshot, []Node, error) {
	if p.err != nil {
		return Snapshot{}, nil, p.err
	}
	if p.snap == nil {
		return Snapshot{}, nil, ErrNoSnapshot
	}
	return *p.snap, p.nodes, nil
}

// parseStats reads `stats --json`.
func parseStats(out []byte) (Stats, error) {
	var s struct {
		TotalSize             int64 `json:"total_size"`
		TotalFileCount        int64 `json:"total_file_count"`
		TotalBlobCount        int64 `json:"total_blob_count"`
		SnapshotsCount        int64 `json:"snapshots_count"`
		TotalUncompressedSize int64 `json:"total_uncompressed_size"`
	}
	if err := json.Unmarshal(bytes.TrimSpace(out), &s); err != nil {
		return Stats{}, fmt.Errorf("parse stats: %w", err)
	}
	return Stats(s), nil
}
