package ledger

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lagrieta/itlag/ops/mail"
	"github.com/lagrieta/itlag/ops/mail/inbox"
)

// Record stores one message of account and what it meant (notices, drawn
// from m by the classifiers), in one transaction. It is idempotent:
//
//   - the same (account, f.Key()) again returns Outcome{Again: true} with
//     the stored result (and the stored notices) and changes nothing;
//   - the same Message-ID and digest (SHA-256 of f.Raw) already recorded
//     under another key (a folder whose UIDVALIDITY changed, the same mail
//     in two folders) is recorded as OutcomeDuplicate, with no notice; a
//     message too big to fetch has no digest and is a duplicate when its
//     Message-ID (if known), size and INTERNALDATE match another one's;
//   - f.TooBig gives OutcomeTooBig (m may be nil, or hold the headers
//     only: its subject is kept for the finding);
//   - m == nil otherwise gives OutcomeMalformed;
//   - no notices gives OutcomeUnmatched, else OutcomeMatched.
//
// For each notice of a matched message, in order: a mail_notices row;
// then its Closes close the open notices received no later than this
// message whose kind is listed, about the same target (the same area when
// the notice has no target), and the open confirmations requested no later
// whose key is listed (closed_by "mail:<message-id>", closed_at the
// message's INTERNALDATE); then its Confirm opens a confirmation, or
// renews the open one with that key (a reminder: the new deadline, link
// and what replace the old ones), unless a confirmation with that key was
// requested later or closed at or after this message's date (the request
// is stale: read out of order). A notice carrying a Confirm is closed at
// once (closed_by "confirmation:<key>"): the confirmation stands for it.
// A DMARC report is stored unless (org, report_id) is already.
//
// The Outcome's Opened lists the confirmations opened or renewed, and
// Closed those closed, with the notice's AutoConfirm and LinkHosts. Record
// then closes the notices past their window (Expire at the clock's now).
func (l *Ledger) Record(ctx context.Context, account string, f inbox.Fetched, m *mail.Message, notices []mail.Notice) (Outcome, error) {
	key := f.Key()
	now := l.now()
	out := Outcome{Account: account, MessageKey: key}
	if m != nil {
		out.MessageID, out.From, out.Subject = m.MessageID, m.From.Address, m.Subject
	}
	digest := ""
	if !f.TooBig {
		sum := sha256.Sum256(f.Raw)
		digest = hex.EncodeToString(sum[:])
	}
	received := f.InternalDate
	if received.IsZero() && m != nil {
		received = m.Date
	}
	if received.IsZero() {
		received = now
	}
	wrap := func(what string, err error) error {
		return fmt.Errorf("ledger: record %s %s: %s: %w", account, key, what, err)
	}

	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return out, wrap("begin", err)
	}
	defer tx.Rollback()
	r := &recorder{ctx: ctx, tx: tx, account: account, key: key, messageID: out.MessageID, received: received}

	again, err := r.again(f, &out)
	if err != nil {
		return out, wrap("read", err)
	}
	if again {
		return out, nil // nothing written: the deferred rollback ends the read
	}

	switch {
	case f.TooBig:
		out.Result = OutcomeTooBig
	case m == nil:
		out.Result = OutcomeMalformed
	case len(notices) == 0:
		out.Result = OutcomeUnmatched
	default:
		out.Result = OutcomeMatched
	}
	dup, err := r.duplicate(digest, f)
	if err != nil {
		return out, wrap("look for a duplicate", err)
	}
	if dup {
		out.Result = OutcomeDuplicate
	}
	var kinds []string
	if out.Result == OutcomeMatched {
		for _, n := range notices {
			kinds = append(kinds, n.Kind)
		}
	}
	if _, err := tx.ExecContext(ctx, `
INSERT INTO mail_messages (account, folder, uidvalidity, uid, message_id, digest, size, received_at, sender, subject, outcome, kinds, processed_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		account, f.Folder, f.UIDValidity, f.UID, out.MessageID, digest, f.Size, stamp(received),
		out.From, out.Subject, out.Result, strings.Join(kinds, ","), stamp(now)); err != nil {
		return out, wrap("insert message", err)
	}
	if out.Result == OutcomeMatched {
		for _, n := range notices {
			if err := r.notice(n, &out); err != nil {
				return out, wrap("notice "+n.Kind, err)
			}
		}
	}
	if _, err := expire(ctx, tx, now); err != nil {
		return out, wrap("expire", err)
	}
	if err := tx.Commit(); err != nil {
		return out, wrap("commit", err)
	}
	return out, nil
}

// recorder is one message being recorded, inside Record's transaction.
type recorder struct {
	ctx       context.Context
	tx        *sql.Tx
	account   string
	key       string
	messageID string
	received  time.Time
}

// closedBy names this message as what closed something.
func (r *recorder) closedBy() string {
	if r.messageID != "" {
		return "mail:" + r.messageID
	}
	return "mail:" + r.account + "/" + r.key
}

// again fills out from the stored row when this message was recorded
// before, and reports whether it was.
func (r *recorder) again(f inbox.Fetched, out *Outcome) (bool, error) {
	err := r.tx.QueryRowContext(r.ctx, `
SELECT outcome, message_id, sender, subject FROM mail_messages
WHERE account = ? AND folder = ? AND uidvalidity = ? AND uid = ?`, r.account, f.Folder, f.UIDValidity, f.UID).
		Scan(&out.Result, &out.MessageID, &out.From, &out.Subject)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	out.Again = true
	ns, err := queryNotices(r.ctx, r.tx, `WHERE account = ? AND message_key = ? ORDER BY id`, r.account, r.key)
	if err != nil {
		return false, err
	}
	out.Notices = ns
	return true, nil
}

// duplicate reports whether the same message was recorded under another
// key of the account.
func (r *recorder) duplicate(digest string, f inbox.Fetched) (bool, error) {
	var n int
	var err error
	if digest != "" {
		err = r.tx.QueryRowContext(r.ctx, `
SELECT count(*) FROM mail_messages WHERE account = ? AND message_id = ? AND digest = ?`,
			r.account, r.messageID, digest).Scan(&n)
	} else {
		err = r.tx.QueryRowContext(r.ctx, `
SELECT count(*) FROM mail_messages
WHERE account = ? AND message_id = ? AND digest = '' AND outcome = ? AND size = ? AND received_at = ?`,
			r.account, r.messageID, OutcomeTooBig, f.Size, stamp(r.received)).Scan(&n)
	}
	return n > 0, err
}
