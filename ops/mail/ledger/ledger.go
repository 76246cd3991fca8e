package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lagrieta/itlag/store"
)

// Ledger keeps what the mailbox said in the store. It is safe for
// concurrent use (the store serialises its transactions).
type Ledger struct {
	db  *sql.DB
	now func() time.Time
}

// New returns the ledger kept in db; now is the clock (nil: time.Now).
func New(db *store.DB, now func() time.Time) *Ledger {
	if now == nil {
		now = time.Now
	}
	return &Ledger{db: db.SQL(), now: now}
}

// ErrNotFound is returned for a confirmation id the store does not hold.
var ErrNotFound = errors.New("no such confirmation")

// ErrDone is returned when closing a confirmation that is already done.
var ErrDone = errors.New("already done")

// The states of notices and confirmations, as stored.
const (
	stateOpen   = "open"
	stateClosed = "closed" // a notice
	stateDone   = "done"   // a confirmation
)

// stamp is the store's time format: RFC 3339, UTC, to the second (fixed
// width, so that text comparison is time comparison).
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// stampOrEmpty is stamp, or "" for the zero time (an unknown deadline).
func stampOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return stamp(t)
}

func parseStamp(s string) time.Time {
	t, _ := time.Parse(time.RFC3339, s)
	return t
}

// dayFormat is a date a mail told (mail_notices.date).
const dayFormat = "2006-01-02"

// dateText is t's date as the mail told it (not converted to UTC: a date, not
// an instant), or "" for the zero time.
func dateText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(dayFormat)
}

func parseDay(s string) time.Time {
	t, _ := time.Parse(dayFormat, s)
	return t
}

type querier interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	QueryRowContext(context.Context, string, ...any) *sql.Row
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}

// Counts are the messages recorded by outcome (the Outcome* constants),
// those processed at or after since (the zero time: all).
func (l *Ledger) Counts(ctx context.Context, since time.Time) (map[string]int, error) {
	rows, err := l.db.QueryContext(ctx,
		`SELECT outcome, count(*) FROM mail_messages WHERE processed_at >= ? GROUP BY outcome`, stampOrEmpty(since))
	if err != nil {
		return nil, fmt.Errorf("ledger: count messages: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var outcome string
		var n int
		if err := rows.Scan(&outcome, &n); err != nil {
			return nil, fmt.Errorf("ledger: count messages: %w", err)
		}
		out[outcome] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("ledger: count messages: %w", err)
	}
	return out, nil
}
