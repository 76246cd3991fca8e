package audit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/lagrieta/itlag/store"
)

// Head is a trail's last entry: its seq and the hash of its line.
type Head struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
}

// Anchor keeps a copy of each appended line away from the trail's files,
// so that a removed tail is noticed.
type Anchor interface {
	// Head is the last entry recorded for the trail in dir; ok is false
	// when none was.
	Head(ctx context.Context, dir string) (h Head, ok bool, err error)
	// Record keeps the line appended to the trail in dir with its seq and
	// hash; it is called under the trail's lock, once a line, seq rising.
	Record(ctx context.Context, dir string, seq int64, hash string, line []byte) error
	// Rewind forgets the lines recorded after seq (Rebase appends them
	// again, with new seqs).
	Rewind(ctx context.Context, dir string, seq int64) error
}

// DBAnchor anchors trails in the local database (table audit_entries),
// each trail named by its directory's absolute path. Safe for concurrent
// use.
type DBAnchor struct{ DB *store.DB }

var _ Anchor = DBAnchor{}

func trailKey(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("anchor %s: %w", dir, err)
	}
	return abs, nil
}

// Head implements Anchor.
func (a DBAnchor) Head(ctx context.Context, dir string) (Head, bool, error) {
	key, err := trailKey(dir)
	if err != nil {
		return Head{}, false, err
	}
	var h Head
	err = a.DB.SQL().QueryRowContext(ctx,
		`SELECT seq, hash FROM audit_entries WHERE trail = ? ORDER BY seq DESC LIMIT 1`, key).Scan(&h.Seq, &h.Hash)
	if errors.Is(err, sql.ErrNoRows) {
		return Head{}, false, nil
	}
	if err != nil {
		return Head{}, false, fmt.Errorf("anchor %s: read head: %w", dir, err)
	}
	return h, true, nil
}

// Record implements Anchor.
func (a DBAnchor) Record(ctx context.Context, dir string, seq int64, hash string, line []byte) error {
	key, err := trailKey(dir)
	if err != nil {
		return err
	}
	if _, err := a.DB.SQL().ExecContext(ctx,
		`INSERT INTO audit_entries (trail, seq, hash, line, recorded_at) VALUES (?, ?, ?, ?, ?)`,
		key, seq, hash, string(line), time.Now().UTC().Format(time.RFC3339)); err != nil {
		return fmt.Errorf("anchor %s: record entry %d: %w", dir, seq, err)
	}
	return nil
}

// Rewind implements Anchor.
func (a DBAnchor) Rewind(ctx context.Context, dir string, seq int64) error {
	key, err := trailKey(dir)
	if err != nil {
		return err
	}
	if _, err := a.DB.SQL().ExecContext(ctx, `DELETE FROM audit_entries WHERE trail = ? AND seq > ?`, key, seq); err != nil {
		return fmt.Errorf("anchor %s: rewind to %d: %w", dir, seq, err)
	}
	return nil
}
