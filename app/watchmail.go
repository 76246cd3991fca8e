package app

import (
	"context"
	"errors"
	"maps"
	"slices"
	"time"

	"github.com/lagrieta/itlag/ops/mail/inbox"
)

// mailEvery is how often watch reads the mailboxes without news from
// IDLE: the shortest declared interval (default 5 minutes).
func (w *Watcher) mailEvery() time.Duration {
	every := time.Duration(0)
	for _, a := range w.rt.State.Mail {
		iv, err := parseInterval(a.Interval)
		if err != nil || iv <= 0 {
			iv = 5 * time.Minute
		}
		if every == 0 || iv < every {
			every = iv
		}
	}
	return every
}

// mailDue reports whether the mailboxes are to be read in this round: on
// their interval, or at once when IDLE said new mail arrived.
func (w *Watcher) mailDue(now time.Time) bool {
	if len(w.rt.State.Mail) == 0 {
		return false
	}
	return w.mailWoken.Swap(false) || now.Sub(w.lastMail) >= w.mailEvery()
}

// readMail reads every mailbox once; it reports whether anything new was
// recorded (the world is then observed in the same round, so a new notice
// is alerted at once).
func (w *Watcher) readMail(ctx context.Context, now time.Time) bool {
	w.lastMail = now
	res, err := w.rt.readMail(ctx)
	if err != nil {
		w.log.Error("mail", "err", err)
		return false
	}
	for _, a := range res.Accounts {
		if a.Error != "" {
			w.log.Error("mail", "account", a.Name, "err", a.Error)
			continue
		}
		w.log.Info("mail", "account", a.Name, "new", a.Stats.New, "fetched", a.Stats.Fetched, "too_big", a.Stats.TooBig)
	}
	return len(res.Messages) > 0 || res.Failed()
}

// idleFor bounds one IDLE (servers may drop longer ones; RFC 2177 asks
// for one at least every 29 minutes).
const idleFor = 15 * time.Minute

// idle starts one IDLE per mailbox (its first folder) and returns the
// channel that says new mail arrived; nil without mailboxes, and under
// --sandbox, whose network lives only as long as a round (watch reads the
// sandbox's mailbox on its interval). Each waiter re-dials after an error,
// no sooner than the account's interval.
func (w *Watcher) idle(ctx context.Context) <-chan struct{} {
	if len(w.rt.State.Mail) == 0 || w.rt.Sandboxed() {
		return nil
	}
	wake := make(chan struct{}, 1)
	for _, name := range slices.Sorted(maps.Keys(w.rt.State.Mail)) {
		acct, err := w.rt.mailAccount(ctx, name)
		if err != nil {
			w.log.Error("mail: idle", "account", name, "err", err)
			continue
		}
		folder := "INBOX"
		if len(acct.Folders) > 0 {
			folder = acct.Folders[0]
		}
		retry, err := parseInterval(w.rt.State.Mail[name].Interval)
		if err != nil || retry <= 0 {
			retry = 5 * time.Minute
		}
		go func() {
			for ctx.Err() == nil {
				// A bounded wait: mail that came between the last pass and
				// this IDLE does not wake it, the interval's pass reads it.
				wctx, cancel := context.WithTimeout(ctx, idleFor)
				err := inbox.Wait(wctx, acct, folder)
				cancel()
				if err == nil {
					select {
					case wake <- struct{}{}:
					default:
					}
					continue
				}
				if ctx.Err() != nil {
					return
				}
				if errors.Is(err, context.DeadlineExceeded) {
					continue // idled its time: idle again
				}
				w.log.Info("mail: idle", "account", acct.Name, "err", err, "retry", retry)
				select {
				case <-ctx.Done():
				case <-time.After(retry):
				}
			}
		}()
	}
	return wake
}
