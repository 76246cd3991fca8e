package inbox_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/lagrieta/itlag/ops/mail/inbox"
	"github.com/lagrieta/itlag/ops/mail/inbox/dovecottest"
)

// TestWait: Wait returns nil once a message is appended from another
// connection (IDLE, or NOOP polls without it), and ctx.Err() when ctx
// ends.
func TestWait(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, caps string }{
		{name: "IDLE"},
		{name: "NOOP polls", caps: "IMAP4rev1 SASL-IR ID ENABLE UNSELECT UIDPLUS MOVE LITERAL+"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := dovecottest.StartWith(t, dovecottest.Options{Capability: tt.caps})
			s.Append(t, "INBOX", mail(1), date)
			a := account(t, s)
			a.PollInterval = 50 * time.Millisecond

			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan error, 1)
			go func() { done <- inbox.Wait(ctx, a, "INBOX") }()
			// a message appended before Wait opened the folder does not
			// wake it: append until it returns
			for i := 2; ; i++ {
				s.Append(t, "INBOX", mail(i), date)
				select {
				case err := <-done:
					if err != nil {
						t.Fatalf("Wait after new mail: %v", err)
					}
				case <-time.After(200 * time.Millisecond):
					continue
				}
				break
			}

			ctx, cancel = context.WithCancel(context.Background())
			go func() { done <- inbox.Wait(ctx, a, "INBOX") }()
			cancel()
			if err := <-done; !errors.Is(err, context.Canceled) {
				t.Fatalf("Wait after cancel: %v, want context.Canceled", err)
			}
		})
	}
}
