package ledger

import (
	"context"
	"fmt"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/ops/mail"
)

// noticeColumns are read by queryNotices, in its order.
const noticeColumns = `id, account, message_key, message_id, kind, provider, severity, area, target,
	summary, link, date, verified, received_at, state, closed_at, closed_by`

// queryNotices reads the notices selected by where (with its ORDER BY).
func queryNotices(ctx context.Context, q querier, where string, args ...any) ([]Notice, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+noticeColumns+` FROM mail_notices `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Notice
	for rows.Next() {
		var n Notice
		var date, received, closed string
		if err := rows.Scan(&n.ID, &n.Account, &n.MessageKey, &n.MessageID, &n.Kind, &n.Provider, &n.Severity,
			&n.Area, &n.Target, &n.Summary, &n.Link, &date, &n.Verified, &received, &n.State, &closed, &n.ClosedBy); err != nil {
			return nil, err
		}
		n.Date, n.ReceivedAt, n.ClosedAt = parseDay(date), parseStamp(received), parseStamp(closed)
		out = append(out, n)
	}
	return out, rows.Err()
}

// Notices returns the stored notices (the open ones only when openOnly),
// by id (the order they were recorded in).
func (l *Ledger) Notices(ctx context.Context, openOnly bool) ([]Notice, error) {
	where := `ORDER BY id`
	if openOnly {
		where = `WHERE state = 'open' ORDER BY id`
	}
	ns, err := queryNotices(ctx, l.db, where)
	if err != nil {
		return nil, fmt.Errorf("ledger: read notices: %w", err)
	}
	return ns, nil
}

// Learned returns, per (area, target) of the areas ddns, domain and
// subscription, the date told by the most recently received notice with a
// date and a target, open or closed (the newest mail wins; between mails
// received in the same second, the one recorded last), by area then
// target.
func (l *Ledger) Learned(ctx context.Context) ([]Learned, error) {
	rows, err := l.db.QueryContext(ctx, `
SELECT area, target, date, kind, received_at FROM mail_notices
WHERE area IN (?, ?, ?) AND target != '' AND date != ''
ORDER BY area, target, received_at DESC, id DESC`, mail.AreaDDNS, mail.AreaDomain, mail.AreaSubscription)
	if err != nil {
		return nil, fmt.Errorf("ledger: read learned dates: %w", err)
	}
	defer rows.Close()
	var out []Learned
	for rows.Next() {
		var x Learned
		var date, received string
		if err := rows.Scan(&x.Area, &x.Target, &date, &x.Kind, &received); err != nil {
			return nil, fmt.Errorf("ledger: read learned dates: %w", err)
		}
		if n := len(out); n > 0 && out[n-1].Area == x.Area && out[n-1].Target == x.Target {
			continue // an older mail about the same thing
		}
		x.Date, x.ReceivedAt = parseDay(date), parseStamp(received)
		out = append(out, x)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("ledger: read learned dates: %w", err)
	}
	return out, nil
}

// minWindow is the shortest Window: Expire looks only at notices older.
const minWindow = 7 * 24 * time.Hour

// Window is how long after it was received an open notice of kind and
// severity stays a finding: critical and high 30 days, medium 14 days,
// low (and informational, severity "") 7 days. Past it the notice is
// closed by Expire (closed_by "window"). No kind has a window of its own
// yet: kind is there so that one may.
func Window(kind string, sev finding.Severity) time.Duration {
	switch sev {
	case finding.Critical, finding.High:
		return 30 * 24 * time.Hour
	case finding.Medium:
		return 14 * 24 * time.Hour
	}
	return minWindow
}

// Expire closes the open notices whose window has passed at at
// (closed_by "window", closed_at the window's end), and returns how many.
// Record calls it; Findings leaves notices past their window out without
// it.
func (l *Ledger) Expire(ctx context.Context, at time.Time) (int, error) {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("ledger: expire notices: begin: %w", err)
	}
	defer tx.Rollback()
	n, err := expire(ctx, tx, at)
	if err != nil {
		return 0, fmt.Errorf("ledger: expire notices: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("ledger: expire notices: commit: %w", err)
	}
	return n, nil
}

func expire(ctx context.Context, q querier, at time.Time) (int, error) {
	// only the notices older than the shortest window can have lapsed
	rows, err := q.QueryContext(ctx, `
SELECT id, kind, severity, received_at FROM mail_notices WHERE state = ? AND received_at <= ?`,
		stateOpen, stamp(at.Add(-minWindow)))
	if err != nil {
		return 0, err
	}
	type lapse struct {
		id  int64
		end time.Time
	}
	var lapsed []lapse
	for rows.Next() {
		var id int64
		var kind, received string
		var sev finding.Severity
		if err := rows.Scan(&id, &kind, &sev, &received); err != nil {
			rows.Close()
			return 0, err
		}
		if end := parseStamp(received).Add(Window(kind, sev)); !end.After(at) {
			lapsed = append(lapsed, lapse{id, end})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, x := range lapsed {
		if _, err := q.ExecContext(ctx, `UPDATE mail_notices SET state = ?, closed_at = ?, closed_by = 'window' WHERE id = ?`,
			stateClosed, stamp(x.end), x.id); err != nil {
			return 0, err
		}
	}
	return len(lapsed), nil
}
