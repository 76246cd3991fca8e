package ledger

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/lagrieta/itlag/ops/mail"
)

// notice stores n and does what it says (Closes, Confirm, DMARC), adding
// to out.
func (r *recorder) notice(n mail.Notice, out *Outcome) error {
	res, err := r.tx.ExecContext(r.ctx, `
INSERT INTO mail_notices (account, message_key, message_id, kind, provider, severity, area, target, summary, link, date, verified, received_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.account, r.key, r.messageID, n.Kind, n.Provider, string(n.Severity), n.Area, n.Target,
		n.Summary, n.Link, dateText(n.Date), n.Verified, stamp(r.received))
	if err != nil {
		return fmt.Errorf("insert: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("insert: %w", err)
	}
	if len(n.Closes) > 0 {
		if err := r.closeNotices(n); err != nil {
			return err
		}
		closed, err := r.closeConfirmations(n)
		if err != nil {
			return err
		}
		out.Closed = append(out.Closed, closed...)
	}
	if n.Confirm != nil {
		key := requestKey(n)
		c, err := r.request(n, key)
		if err != nil {
			return fmt.Errorf("confirmation %s: %w", key, err)
		}
		if c != nil {
			out.Opened = append(out.Opened, *c)
		}
		if _, err := r.tx.ExecContext(r.ctx, `
UPDATE mail_notices SET state = ?, closed_at = ?, closed_by = ? WHERE id = ?`,
			stateClosed, stamp(r.received), "confirmation:"+key, id); err != nil {
			return fmt.Errorf("hand over to confirmation %s: %w", key, err)
		}
	}
	if n.DMARC != nil {
		if err := insertReport(r.ctx, r.tx, n.DMARC); err != nil {
			return err
		}
	}
	stored, err := queryNotices(r.ctx, r.tx, `WHERE id = ?`, id)
	if err != nil {
		return err
	}
	out.Notices = append(out.Notices, stored...)
	return nil
}

// requestKey is the key of n's confirmation: the request's, or else
// "<kind>:<target>".
func requestKey(n mail.Notice) string {
	if n.Confirm.Key != "" {
		return n.Confirm.Key
	}
	return n.Kind + ":" + n.Target
}

// placeholders is "?, ?, …" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// closeNotices closes the open notices n settles: of a listed kind, about
// n's target (n's area when it has no target), received no later than
// this message, from another message.
func (r *recorder) closeNotices(n mail.Notice) error {
	where, scope := "target = ?", n.Target
	if n.Target == "" {
		where, scope = "area = ?", n.Area
	}
	args := []any{stateClosed, stamp(r.received), r.closedBy(), stateOpen, scope, stamp(r.received), r.account, r.key}
	for _, k := range n.Closes {
		args = append(args, k)
	}
	if _, err := r.tx.ExecContext(r.ctx, `
UPDATE mail_notices SET state = ?, closed_at = ?, closed_by = ?
WHERE state = ? AND `+where+` AND received_at <= ? AND NOT (account = ? AND message_key = ?)
  AND kind IN (`+placeholders(len(n.Closes))+`)`, args...); err != nil {
		return fmt.Errorf("close notices: %w", err)
	}
	return nil
}

// closeConfirmations closes the open confirmations whose key n lists,
// requested no later than this message (but not the one n itself asks
// for: that one is renewed).
func (r *recorder) closeConfirmations(n mail.Notice) ([]Confirmation, error) {
	args := []any{stateDone, stamp(r.received), r.closedBy(), stateOpen, stamp(r.received)}
	keys := 0
	for _, k := range n.Closes {
		if n.Confirm != nil && k == requestKey(n) {
			continue // a new request for the same key renews the open one
		}
		args = append(args, k)
		keys++
	}
	if keys == 0 {
		return nil, nil
	}
	cs, err := queryConfirmations(r.ctx, r.tx, `
UPDATE mail_confirmations SET state = ?, closed_at = ?, closed_by = ?
WHERE state = ? AND requested_at <= ? AND key IN (`+placeholders(keys)+`)
RETURNING `+confirmationColumns, args...)
	if err != nil {
		return nil, fmt.Errorf("close confirmations: %w", err)
	}
	for i := range cs {
		cs[i].AutoConfirm, cs[i].LinkHosts = n.AutoConfirm, n.LinkHosts
	}
	return cs, nil
}

// request opens the confirmation n asks for, or renews the open one with
// its key; it returns nil when the request is stale (a confirmation with
// that key was requested after this message, or closed at or after it).
func (r *recorder) request(n mail.Notice, key string) (*Confirmation, error) {
	at := stamp(r.received)
	var stale int
	if err := r.tx.QueryRowContext(r.ctx, `
SELECT count(*) FROM mail_confirmations
WHERE key = ? AND (requested_at > ? OR (state = ? AND closed_at >= ?))`, key, at, stateDone, at).Scan(&stale); err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	if stale > 0 {
		return nil, nil
	}
	req := n.Confirm
	link, what := req.Link, req.What
	if link == "" {
		link = n.Link
	}
	if what == "" {
		what = n.Summary
	}
	var openID int64
	err := r.tx.QueryRowContext(r.ctx, `
SELECT id FROM mail_confirmations WHERE key = ? AND state = ? ORDER BY id DESC LIMIT 1`, key, stateOpen).Scan(&openID)
	var cs []Confirmation
	switch {
	case errors.Is(err, sql.ErrNoRows):
		cs, err = queryConfirmations(r.ctx, r.tx, `
INSERT INTO mail_confirmations (key, account, kind, provider, area, target, what, link, deadline, requested_at, message_id)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
RETURNING `+confirmationColumns,
			key, r.account, n.Kind, n.Provider, n.Area, n.Target, what, link, stampOrEmpty(req.Deadline), at, r.messageID)
		if err != nil {
			return nil, fmt.Errorf("open: %w", err)
		}
	case err != nil:
		return nil, fmt.Errorf("read: %w", err)
	default:
		// a reminder: what it says replaces what the first request said,
		// where it says anything
		cs, err = queryConfirmations(r.ctx, r.tx, `
UPDATE mail_confirmations SET
	deadline = CASE WHEN ? = '' THEN deadline ELSE ? END,
	link     = CASE WHEN ? = '' THEN link ELSE ? END,
	what     = CASE WHEN ? = '' THEN what ELSE ? END
WHERE id = ?
RETURNING `+confirmationColumns,
			stampOrEmpty(req.Deadline), stampOrEmpty(req.Deadline), link, link, what, what, openID)
		if err != nil {
			return nil, fmt.Errorf("renew %d: %w", openID, err)
		}
	}
	if len(cs) != 1 {
		return nil, fmt.Errorf("wrote %d rows, not 1", len(cs))
	}
	c := cs[0]
	c.AutoConfirm, c.LinkHosts = n.AutoConfirm, n.LinkHosts
	return &c, nil
}
