package alert

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lagrieta/itlag/finding"
)

// stamp is the store's time format: RFC 3339, UTC, to the second (fixed
// width, so that text comparison is time comparison).
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func parseStamp(s string) time.Time {
	t, _ := time.Parse(time.RFC3339, s)
	return t
}

// state is one alert_state row.
type state struct {
	Fingerprint string
	Source      string
	Severity    finding.Severity
	Summary     string
	Status      string // "open" | "resolved"
	StartedAt   string
	LastAlertAt string
	ResolvedAt  string
}

const (
	statusOpen     = "open"
	statusResolved = "resolved"
)

// channelKey names one route's channel.
type channelKey struct{ Route, Channel string }

// history is what a problem's successful sends say, per channel, since it
// opened.
type history struct {
	lastFiring string // last ok start or reminder ("" = never told)
	recovered  bool   // an ok recovery since resolved_at
}

type querier interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}

// loadStates returns the open states and the resolved ones, resolved since
// since, that still have a recovery held or failed after resolution.
func loadStates(ctx context.Context, q querier, since time.Time) (map[string]*state, error) {
	rows, err := q.QueryContext(ctx, `
SELECT fingerprint, source, severity, summary, status, started_at, last_alert_at, resolved_at
FROM alert_state s
WHERE status = 'open'
   OR (status = 'resolved' AND resolved_at >= ? AND EXISTS (
        SELECT 1 FROM alerts_sent a
        WHERE a.fingerprint = s.fingerprint AND a.kind = 'recovery' AND a.ok = 0 AND a.at >= s.resolved_at))`,
		stamp(since))
	if err != nil {
		return nil, fmt.Errorf("read alert_state: %w", err)
	}
	defer rows.Close()
	out := map[string]*state{}
	for rows.Next() {
		var s state
		if err := rows.Scan(&s.Fingerprint, &s.Source, &s.Severity, &s.Summary, &s.Status,
			&s.StartedAt, &s.LastAlertAt, &s.ResolvedAt); err != nil {
			return nil, fmt.Errorf("read alert_state: %w", err)
		}
		out[s.Fingerprint] = &s
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read alert_state: %w", err)
	}
	return out, nil
}

// loadHistory reads st's successful sends since it started.
func loadHistory(ctx context.Context, q querier, st *state) (map[channelKey]history, error) {
	rows, err := q.QueryContext(ctx, `
SELECT route, channel, kind, at FROM alerts_sent
WHERE fingerprint = ? AND ok = 1 AND at >= ? ORDER BY id`, st.Fingerprint, st.StartedAt)
	if err != nil {
		return nil, fmt.Errorf("read alerts_sent for %s: %w", st.Fingerprint, err)
	}
	defer rows.Close()
	out := map[channelKey]history{}
	for rows.Next() {
		var k channelKey
		var kind, at string
		if err := rows.Scan(&k.Route, &k.Channel, &kind, &at); err != nil {
			return nil, fmt.Errorf("read alerts_sent for %s: %w", st.Fingerprint, err)
		}
		h := out[k]
		switch Kind(kind) {
		case Start, Reminder:
			h.lastFiring = max(h.lastFiring, at)
		case Recovery:
			if st.ResolvedAt != "" && at >= st.ResolvedAt {
				h.recovered = true
			}
		}
		out[k] = h
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read alerts_sent for %s: %w", st.Fingerprint, err)
	}
	return out, nil
}

// save writes the run's states and sends in one transaction.
func save(ctx context.Context, db *sql.DB, states []*state, sends []Event, at time.Time) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	for _, s := range states {
		if _, err := tx.ExecContext(ctx, `
INSERT INTO alert_state (fingerprint, source, severity, summary, status, started_at, last_alert_at, resolved_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (fingerprint) DO UPDATE SET
	source = excluded.source, severity = excluded.severity, summary = excluded.summary,
	status = excluded.status, started_at = excluded.started_at,
	last_alert_at = excluded.last_alert_at, resolved_at = excluded.resolved_at`,
			s.Fingerprint, s.Source, string(s.Severity), s.Summary, s.Status, s.StartedAt, s.LastAlertAt, s.ResolvedAt); err != nil {
			return fmt.Errorf("write alert_state %s: %w", s.Fingerprint, err)
		}
	}
	for _, e := range sends {
		ok := 0
		if e.Result == Sent {
			ok = 1
		}
		if _, err := tx.ExecContext(ctx, `
INSERT INTO alerts_sent (at, fingerprint, kind, route, channel, ok, error) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			stamp(at), e.Fingerprint, string(e.Kind), e.Route, e.Channel, ok, e.Error); err != nil {
			return fmt.Errorf("write alerts_sent: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
