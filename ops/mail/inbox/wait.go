package inbox

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/emersion/go-imap/client"
)

// DefaultPollInterval is Wait's NOOP interval when Account.PollInterval
// is zero.
const DefaultPollInterval = time.Minute

// idleRestart re-issues IDLE before the server's 30-minute autologout
// (RFC 3501 §5.4; RFC 2177 asks for less than 29 minutes).
const idleRestart = 25 * time.Minute

// Wait blocks until folder may hold new mail: it opens the folder with
// EXAMINE and waits in IDLE when the server offers it (re-issued every 25
// minutes), or polls with NOOP every PollInterval otherwise. It returns
// nil when the server reports new messages (EXISTS; Dovecot and RFC 3501
// servers send it only when the folder grows), ctx.Err() when ctx ends,
// or the connection's error.
//
// Mail that arrived before Wait opened the folder does not wake it: run
// Pass after Wait returns, and give ctx a deadline (say 15 minutes) so
// that a message delivered between a Pass and the next Wait is read at
// the latest then.
func Wait(ctx context.Context, a Account, folder string) error {
	a = a.withDefaults()
	if a.PollInterval <= 0 {
		a.PollInterval = DefaultPollInterval
	}
	n := &newMail{signal: make(chan struct{}, 1)}
	s, err := dial(ctx, a, n.update)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("inbox: %s: %w", a.Name, err)
	}
	defer s.close()
	if err := s.wait(ctx, folder, n); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("inbox: %s: %s: %w", a.Name, folder, err)
	}
	return nil
}

// newMail signals the first mailbox update (EXISTS, or RECENT with it)
// after the folder was opened. It does not read the update's counts:
// go-imap keeps writing them under its own lock.
type newMail struct {
	signal chan struct{}
	open   atomic.Bool
}

func (n *newMail) start() { n.open.Store(true) }

func (n *newMail) update(u client.Update) {
	if _, ok := u.(*client.MailboxUpdate); !ok || !n.open.Load() {
		return
	}
	select {
	case n.signal <- struct{}{}:
	default:
	}
}

func (s *session) wait(ctx context.Context, folder string, n *newMail) error {
	if _, err := s.c.Select(folder, true); err != nil {
		return fmt.Errorf("examine: %w", err)
	}
	n.start()
	idle, err := s.c.Support("IDLE")
	if err != nil {
		return err
	}
	if !idle {
		return s.poll(ctx, n)
	}
	stop := make(chan struct{})
	done := make(chan error, 1)
	s.c.Timeout = 0 // the client's timeout would cut IDLE itself
	go func() { done <- s.c.Idle(stop, &client.IdleOptions{LogoutTimeout: idleRestart}) }()
	select {
	case <-n.signal:
		close(stop)
		s.idleDone(done)
		return nil
	case <-ctx.Done():
		close(stop)
		s.idleDone(done)
		return ctx.Err()
	case err := <-done:
		return fmt.Errorf("idle: %w", err)
	}
}

// idleDone waits for IDLE to end after DONE, at most the command timeout
// (then the connection is closed).
func (s *session) idleDone(done <-chan error) {
	t := time.NewTimer(s.a.Timeout)
	defer t.Stop()
	select {
	case <-done:
		s.c.Timeout = s.a.Timeout
	case <-t.C:
		s.conn.Close()
		<-done
	}
}

// poll sends NOOP every PollInterval until the folder grows.
func (s *session) poll(ctx context.Context, n *newMail) error {
	t := time.NewTicker(s.a.PollInterval)
	defer t.Stop()
	for {
		select {
		case <-n.signal:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			if err := s.c.Noop(); err != nil {
				return fmt.Errorf("noop: %w", err)
			}
		}
	}
}
