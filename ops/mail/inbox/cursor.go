package inbox

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lagrieta/itlag/store"
)

// Cursor reads a folder's stored cursor: the folder's UIDVALIDITY, the
// last UID handled and when a pass last read the folder. ok is false when
// the folder was never read.
func Cursor(ctx context.Context, db *store.DB, account, folder string) (uidvalidity, lastUID uint32, checkedAt time.Time, ok bool, err error) {
	uidvalidity, lastUID, checkedAt, ok, err = loadCursor(ctx, db, account, folder)
	if err != nil {
		return 0, 0, time.Time{}, false, fmt.Errorf("inbox: %s: %s: %w", account, folder, err)
	}
	return uidvalidity, lastUID, checkedAt, ok, nil
}

func loadCursor(ctx context.Context, db *store.DB, account, folder string) (uidvalidity, lastUID uint32, checkedAt time.Time, ok bool, err error) {
	var v, last int64
	var at string
	err = db.SQL().QueryRowContext(ctx,
		`SELECT uidvalidity, last_uid, checked_at FROM mail_cursors WHERE account = ? AND folder = ?`,
		account, folder).Scan(&v, &last, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, time.Time{}, false, nil
	}
	if err != nil {
		return 0, 0, time.Time{}, false, fmt.Errorf("read cursor: %w", err)
	}
	checkedAt, err = time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return 0, 0, time.Time{}, false, fmt.Errorf("read cursor: checked_at %q: %w", at, err)
	}
	return uint32(v), uint32(last), checkedAt, true, nil
}

// saveCursor stores how far folder is read.
func saveCursor(ctx context.Context, db *store.DB, account, folder string, uidvalidity, lastUID uint32) error {
	_, err := db.SQL().ExecContext(ctx, `
INSERT INTO mail_cursors (account, folder, uidvalidity, last_uid, checked_at) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (account, folder) DO UPDATE SET uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid, checked_at = excluded.checked_at`,
		account, folder, int64(uidvalidity), int64(lastUID), time.Now().UTC().Format(time.RFC3339Nano))
	if err != nil {
		return fmt.Errorf("save cursor: %w", err)
	}
	return nil
}
