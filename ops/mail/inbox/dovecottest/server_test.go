package dovecottest

import (
	"fmt"
	"testing"
	"time"
)

func TestServer(t *testing.T) {
	s := Start(t)
	date := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	u1 := s.Append(t, "INBOX", []byte("Subject: one\r\n\r\nbody\r\n"), date)
	u2 := s.Append(t, "Archive", []byte("Subject: two\r\n\r\nbody\r\n"), date)
	if u1 != 1 || u2 != 1 {
		t.Fatalf("UIDs %d, %d, want 1, 1", u1, u2)
	}
	s.SeedMaildir(t, [][]byte{[]byte("Subject: three\r\n\r\nx\r\n"), []byte("Subject: four\r\n\r\ny\r\n")})
	if got := fmt.Sprint(s.UIDs(t, "INBOX")); got != "[1 2 3]" {
		t.Fatalf("INBOX UIDs %s, want [1 2 3]", got)
	}
	c := s.Client(t)
	before, err := c.Select("INBOX", true)
	if err != nil {
		t.Fatal(err)
	}
	c.Logout()
	s.ResetUIDValidity(t)
	c = s.Client(t)
	after, err := c.Select("INBOX", true)
	if err != nil {
		t.Fatal(err)
	}
	if after.UidValidity == before.UidValidity || after.Messages != 3 {
		t.Fatalf("after reset: UIDVALIDITY %d (was %d), %d messages", after.UidValidity, before.UidValidity, after.Messages)
	}
	if got := fmt.Sprint(s.UIDs(t, "INBOX")); got != "[1 2 3]" {
		t.Fatalf("INBOX UIDs after reset %s, want [1 2 3]", got)
	}
}
