package alert

import (
	"context"
	"fmt"
	"time"

	"github.com/lagrieta/itlag/store"
)

// SentAlert is one alert sent, held or failed (the alerts_sent table).
type SentAlert struct {
	At          time.Time
	Fingerprint string
	Kind        string // start, reminder, recovery
	Route       string
	Channel     string // email, webhook
	OK          bool
}

// SentBetween lists the alerts of [from, to), oldest first.
func SentBetween(ctx context.Context, db *store.DB, from, to time.Time) ([]SentAlert, error) {
	rows, err := db.SQL().QueryContext(ctx, `SELECT at, fingerprint, kind, route, channel, ok FROM alerts_sent
 WHERE at >= ? AND at < ? ORDER BY at, id`, stamp(from), stamp(to))
	if err != nil {
		return nil, fmt.Errorf("alerts sent: %w", err)
	}
	defer rows.Close()
	var out []SentAlert
	for rows.Next() {
		var s SentAlert
		var at string
		if err := rows.Scan(&at, &s.Fingerprint, &s.Kind, &s.Route, &s.Channel, &s.OK); err != nil {
			return nil, fmt.Errorf("alerts sent: %w", err)
		}
		s.At = parseStamp(at)
		out = append(out, s)
	}
	return out, rows.Err()
}
