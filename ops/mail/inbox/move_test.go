package inbox_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/ops/mail/inbox"
	"github.com/lagrieta/itlag/ops/mail/inbox/dovecottest"
)

// TestPassMoveTo: handled messages move to MoveTo, by UID MOVE or by UID
// COPY + \Deleted + UID EXPUNGE; a server with neither is refused.
func TestPassMoveTo(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		caps    string // Dovecot's imap_capability; "" for its own
		wantErr string
	}{
		{name: "UID MOVE"},
		{name: "COPY, STORE, UID EXPUNGE", caps: "IMAP4rev1 SASL-IR ID ENABLE IDLE UNSELECT UIDPLUS LITERAL+"},
		{name: "neither MOVE nor UIDPLUS", caps: "IMAP4rev1 SASL-IR ID ENABLE IDLE UNSELECT LITERAL+", wantErr: "refusing to expunge"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := dovecottest.StartWith(t, dovecottest.Options{Capability: tt.caps})
			for i := 1; i <= 3; i++ {
				s.Append(t, "INBOX", mail(i), date)
			}
			s.Client(t).Create("Processed")
			db, a, r := openDB(t), account(t, s), newRecorder(t)
			a.MoveTo = "Processed"
			st, err := inbox.Pass(context.Background(), db, a, r.handle)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || len(r.got) != 0 {
					t.Fatalf("err %v, handled %d; want an error with %q and nothing handled", err, len(r.got), tt.wantErr)
				}
				if got := s.UIDs(t, "INBOX"); len(got) != 3 {
					t.Errorf("INBOX holds %v, want 3 messages", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if st.Moved != 3 || len(r.got) != 3 {
				t.Fatalf("stats %+v, handled %d", st, len(r.got))
			}
			if got := s.UIDs(t, "INBOX"); len(got) != 0 {
				t.Errorf("INBOX still holds %v", got)
			}
			if got := s.UIDs(t, "Processed"); !slices.Equal(got, seq(1, 3)) {
				t.Errorf("Processed holds %v", got)
			}
			for uid, flags := range s.Flags(t, "Processed") {
				if slices.Contains(flags, `\Seen`) || slices.Contains(flags, `\Deleted`) {
					t.Errorf("moved UID %d has flags %v", uid, flags)
				}
			}
		})
	}
}
