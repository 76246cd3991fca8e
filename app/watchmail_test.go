package app

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/lagrieta/itlag/ops/mail/inbox/dovecottest"
)

// TestWatchIdleWakes: watch's IDLE on the real Dovecot says new mail came,
// and the next round reads it at once, before the interval.
func TestWatchIdleWakes(t *testing.T) {
	s := dovecottest.Start(t)
	s.User = "it-mailbox"
	t.Setenv("ITLAG_TEST_MAIL_USER", s.User)
	t.Setenv("ITLAG_TEST_MAIL_PASSWORD", s.Password)
	rt := loadMail(t, mailState(t, s, "    interval: 1h\n"))
	w, err := rt.NewWatcher(WatchOptions{Tick: time.Minute}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	now := time.Now()
	if !w.mailDue(now) {
		t.Fatal("the first round should read the mailbox (never read yet)")
	}
	if w.readMail(ctx, now) {
		t.Fatal("an empty mailbox read as news")
	}
	if w.mailDue(now.Add(time.Minute)) {
		t.Fatal("mail due a minute later with a 1h interval and no news")
	}
	wake := w.idle(ctx)
	// IDLE starts in the background: mail that came before it does not
	// wake it, so send one until it does (the round reads them all).
	woken := false
	for i := 0; i < 60 && !woken; i++ {
		s.Append(t, "INBOX", []byte(fmt.Sprintf("Message-ID: <n%d@example.net>\r\nFrom: a@example.net\r\nSubject: news %d\r\n\r\nhello\r\n", i, i)), time.Now())
		select {
		case <-wake:
			woken = true
		case <-time.After(2 * time.Second):
		case <-ctx.Done():
			t.Fatal(ctx.Err())
		}
	}
	if !woken {
		t.Fatal("IDLE never said new mail came")
	}
	w.mailWoken.Store(true) // as Run does on the wake
	later := now.Add(time.Minute)
	if !w.mailDue(later) {
		t.Fatal("mail not due after IDLE woke")
	}
	res, err := rt.readMail(ctx)
	if err != nil || len(res.Messages) == 0 {
		t.Fatalf("the woken round read %+v, %v; want the new mail", res, err)
	}
}
