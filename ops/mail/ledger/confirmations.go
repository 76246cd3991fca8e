package ledger

import (
	"context"
	"fmt"
)

// confirmationColumns are read by scanConfirmation, in its order.
const confirmationColumns = `id, key, account, kind, provider, area, target, what, link, deadline,
	requested_at, message_id, state, closed_at, closed_by, note`

// queryConfirmations runs query (a SELECT, or a statement RETURNING
// confirmationColumns) and reads its rows.
func queryConfirmations(ctx context.Context, q querier, query string, args ...any) ([]Confirmation, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Confirmation
	for rows.Next() {
		var c Confirmation
		var deadline, requested, closed string
		if err := rows.Scan(&c.ID, &c.Key, &c.Account, &c.Kind, &c.Provider, &c.Area, &c.Target, &c.What,
			&c.Link, &deadline, &requested, &c.MessageID, &c.State, &closed, &c.ClosedBy, &c.Note); err != nil {
			return nil, err
		}
		c.Deadline, c.RequestedAt, c.ClosedAt = parseStamp(deadline), parseStamp(requested), parseStamp(closed)
		out = append(out, c)
	}
	return out, rows.Err()
}

// Confirmations returns the open confirmations, or every one when all is
// set, by deadline (unknown deadlines last), then id.
func (l *Ledger) Confirmations(ctx context.Context, all bool) ([]Confirmation, error) {
	where := `WHERE state = 'open'`
	if all {
		where = ``
	}
	cs, err := queryConfirmations(ctx, l.db, `SELECT `+confirmationColumns+` FROM mail_confirmations `+where+`
ORDER BY deadline = '', deadline, id`)
	if err != nil {
		return nil, fmt.Errorf("ledger: read confirmations: %w", err)
	}
	return cs, nil
}

// Confirm closes the open confirmation id as done by a person (closed_by
// "person") with note, and returns it. An id the store does not hold is
// ErrNotFound; one already done is ErrDone (the error says when and by
// whom it was closed).
func (l *Ledger) Confirm(ctx context.Context, id int64, note string) (Confirmation, error) {
	return l.close(ctx, id, "person", note)
}

// CloseAuto is Confirm for a confirmation itlag confirmed by itself
// (following its link, as the rule allows): closed_by "auto".
func (l *Ledger) CloseAuto(ctx context.Context, id int64, note string) (Confirmation, error) {
	return l.close(ctx, id, "auto", note)
}

func (l *Ledger) close(ctx context.Context, id int64, by, note string) (Confirmation, error) {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return Confirmation{}, fmt.Errorf("ledger: confirmation %d: begin: %w", id, err)
	}
	defer tx.Rollback()
	cs, err := queryConfirmations(ctx, tx, `SELECT `+confirmationColumns+` FROM mail_confirmations WHERE id = ?`, id)
	if err != nil {
		return Confirmation{}, fmt.Errorf("ledger: confirmation %d: read: %w", id, err)
	}
	if len(cs) == 0 {
		return Confirmation{}, fmt.Errorf("ledger: confirmation %d: %w", id, ErrNotFound)
	}
	if c := cs[0]; c.State != stateOpen {
		return Confirmation{}, fmt.Errorf("ledger: confirmation %d (%s): %w on %s by %s",
			id, c.Key, ErrDone, stamp(c.ClosedAt), c.ClosedBy)
	}
	cs, err = queryConfirmations(ctx, tx, `
UPDATE mail_confirmations SET state = ?, closed_at = ?, closed_by = ?, note = ? WHERE id = ? AND state = ?
RETURNING `+confirmationColumns, stateDone, stamp(l.now()), by, note, id, stateOpen)
	if err != nil {
		return Confirmation{}, fmt.Errorf("ledger: confirmation %d: close: %w", id, err)
	}
	if len(cs) != 1 {
		return Confirmation{}, fmt.Errorf("ledger: confirmation %d: close: changed %d rows, not 1", id, len(cs))
	}
	if err := tx.Commit(); err != nil {
		return Confirmation{}, fmt.Errorf("ledger: confirmation %d: commit: %w", id, err)
	}
	return cs[0], nil
}
