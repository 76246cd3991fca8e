package noip

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/store"
)

// Hold stops updates, until a time or until a human clears it.
type Hold struct {
	Target string
	// Host is the hostname held, or "" for the whole account.
	Host string
	// Code is NoIP's answer that caused it: "911", "badauth", "nohost"…
	Code   string
	Reason string
	Since  time.Time
	// Until is when it ends by itself; zero means when cleared.
	Until time.Time
}

// Active reports whether h still holds at now.
func (h Hold) Active(now time.Time) bool { return h.Until.IsZero() || now.Before(h.Until) }

// accountWide reports whether an answer stops every host of the account:
// a failure on NoIP's side (911), refused credentials or client, and
// abuse (NoIP blocks the username, not one host). nohost and !donator
// concern one host.
func accountWide(code string) bool {
	switch code {
	case "911", "badauth", "badagent", "abuse":
		return true
	}
	return false
}

// Holds returns every hold of target recorded in db, expired ones too,
// account-wide first, then by host.
func Holds(ctx context.Context, db *store.DB, target string) ([]Hold, error) {
	rows, err := db.SQL().QueryContext(ctx,
		`SELECT host, code, reason, until, since FROM ddns_holds WHERE target = ? ORDER BY host`, target)
	if err != nil {
		return nil, fmt.Errorf("noip: %s: read holds: %w", target, err)
	}
	defer rows.Close()
	var out []Hold
	for rows.Next() {
		h := Hold{Target: target}
		var until, since string
		if err := rows.Scan(&h.Host, &h.Code, &h.Reason, &until, &since); err != nil {
			return nil, fmt.Errorf("noip: %s: read holds: %w", target, err)
		}
		h.Since, _ = time.Parse(time.RFC3339Nano, since)
		if until != "" {
			t, err := time.Parse(time.RFC3339Nano, until)
			if err != nil {
				t = time.Time{} // unreadable: held until cleared, the safe side
			}
			h.Until = t
		}
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("noip: %s: read holds: %w", target, err)
	}
	return out, nil
}

// ClearHolds removes the holds of target: the one of host, or every hold
// (the account's and every host's) when host is "". It returns how many it
// removed. This is what a human runs (itlag ddns clear) after fixing what
// a hold's finding asked for.
func ClearHolds(ctx context.Context, db *store.DB, target, host string) (int, error) {
	q, args := `DELETE FROM ddns_holds WHERE target = ?`, []any{target}
	if host != "" {
		q, args = q+` AND host = ?`, append(args, strings.TrimSuffix(strings.ToLower(host), "."))
	}
	res, err := db.SQL().ExecContext(ctx, q, args...)
	if err != nil {
		return 0, fmt.Errorf("noip: %s: clear holds: %w", target, err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// activeHolds returns the holds of target active at now, by host ("" for
// the account).
func activeHolds(ctx context.Context, db *store.DB, target string, now time.Time) (map[string]Hold, error) {
	all, err := Holds(ctx, db, target)
	if err != nil {
		return nil, err
	}
	out := map[string]Hold{}
	for _, h := range all {
		if h.Active(now) {
			out[h.Host] = h
		}
	}
	return out, nil
}

// dropExpired removes the holds of target that ended before now.
func dropExpired(ctx context.Context, db *store.DB, target string, now time.Time) error {
	all, err := Holds(ctx, db, target)
	if err != nil {
		return err
	}
	for _, h := range all {
		if !h.Active(now) {
			if _, err := db.SQL().ExecContext(ctx, `DELETE FROM ddns_holds WHERE target = ? AND host = ? AND code = ?`,
				target, h.Host, h.Code); err != nil {
				return fmt.Errorf("noip: %s: drop expired hold: %w", target, err)
			}
		}
	}
	return nil
}

// putHold records h, replacing any hold of the same host.
func putHold(ctx context.Context, tx *sql.Tx, h Hold) error {
	until := ""
	if !h.Until.IsZero() {
		until = stamp(h.Until)
	}
	_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO ddns_holds (target, host, code, reason, until, since) VALUES (?, ?, ?, ?, ?, ?)`,
		h.Target, h.Host, h.Code, h.Reason, until, stamp(h.Since))
	return err
}

// recordAnswer adds one host's answer to the history.
func recordAnswer(ctx context.Context, tx *sql.Tx, target, host, addr, line string, at time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO ddns_updates (target, host, address, answer, sent_at) VALUES (?, ?, ?, ?, ?)`,
		target, host, addr, line, stamp(at))
	return err
}

// lastSent returns the address of the last update of host NoIP accepted
// (good or nochg) and when it was sent; ok is false when there is none.
func lastSent(ctx context.Context, db *store.DB, target, host string) (addr string, at time.Time, ok bool, err error) {
	var sent string
	err = db.SQL().QueryRowContext(ctx, `SELECT address, sent_at FROM ddns_updates
		WHERE target = ? AND host = ? AND (answer = 'good' OR answer LIKE 'good %' OR answer = 'nochg' OR answer LIKE 'nochg %')
		ORDER BY id DESC LIMIT 1`, target, host).Scan(&addr, &sent)
	if err == sql.ErrNoRows {
		return "", time.Time{}, false, nil
	}
	if err != nil {
		return "", time.Time{}, false, fmt.Errorf("noip: %s: read update history of %s: %w", target, host, err)
	}
	at, err = time.Parse(time.RFC3339Nano, sent)
	if err != nil {
		return "", time.Time{}, false, nil // unreadable: trust DNS instead
	}
	return addr, at, true, nil
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// explain says what a hold means and what a human must do, and how bad it
// is.
func (p *Provider) explain(h Hold) (finding.Severity, string) {
	at := h.Since.UTC().Format(time.RFC3339)
	clear := "itlag ddns clear"
	if h.Host != "" {
		clear += " " + h.Host
	}
	switch h.Code {
	case "911":
		return finding.Medium, fmt.Sprintf("NoIP answered 911 at %s; no retry before %s", at, h.Until.UTC().Format(time.RFC3339))
	case "badauth":
		return finding.High, fmt.Sprintf("NoIP refused the credentials from %s / %s (badauth) at %s: check them, then run `%s`",
			orUnnamed(p.userRef), orUnnamed(p.passRef), at, clear)
	case "badagent":
		return finding.High, fmt.Sprintf("NoIP refused the client (badagent, User-Agent %q) at %s: report it to itlag's maintainers; no update until `%s`",
			p.agent, at, clear)
	case "abuse":
		return finding.Critical, fmt.Sprintf("NoIP blocked the account for abuse (answer abuse at %s): log in to noip.com to resolve it, then run `%s`", at, clear)
	case "nohost":
		return finding.High, fmt.Sprintf("NoIP answered nohost for %s at %s: the hostname is not in the account of %s; add it at noip.com or fix the state, then run `%s`",
			h.Host, at, orUnnamed(p.userRef), clear)
	case "!donator":
		return finding.Medium, fmt.Sprintf("NoIP answered !donator for %s at %s: the update needs a paid NoIP plan; upgrade or drop the feature, then run `%s`",
			h.Host, at, clear)
	}
	return finding.High, fmt.Sprintf("NoIP answered %q at %s; no update until `%s`", h.Code, at, clear)
}

// holdFinding is the finding that goes with an active hold.
func (p *Provider) holdFinding(target string, h Hold) finding.Finding {
	sev, msg := p.explain(h)
	f := finding.New(sev, source(target), "hold/"+h.Host+"/"+h.Code, msg)
	if h.Reason != "" && h.Reason != msg {
		f.Detail = h.Reason
	}
	return f
}
