package samples

import (
	"bytes"
	"net/mail"
	"testing"
	"time"
)

func TestBuildDeterministic(t *testing.T) {
	now := time.Date(2026, 11, 7, 10, 30, 0, 0, time.UTC)
	a, b := Build(now, Names{}), Build(now, Names{})
	if len(a) != len(b) || len(a) < 20 {
		t.Fatalf("got %d and %d samples", len(a), len(b))
	}
	seen := map[string]bool{}
	for i := range a {
		t.Run(a[i].Name, func(t *testing.T) {
			if !bytes.Equal(a[i].Raw, b[i].Raw) {
				t.Error("two builds differ")
			}
			if seen[a[i].Name] {
				t.Error("duplicate name")
			}
			seen[a[i].Name] = true
			m, err := mail.ReadMessage(bytes.NewReader(a[i].Raw))
			if err != nil {
				t.Fatalf("header: %v", err)
			}
			if m.Header.Get("Message-ID") == "" || m.Header.Get("Date") == "" || m.Header.Get("Subject") == "" {
				t.Error("missing Message-ID, Date or Subject")
			}
		})
	}
}

func TestBuildNames(t *testing.T) {
	now := time.Date(2026, 11, 7, 10, 30, 0, 0, time.UTC)
	for _, s := range Build(now, Names{DDNS: "shop.hopto.org"}) {
		if s.Name == "noip-expired" && !bytes.Contains(s.Raw, []byte("shop.hopto.org has Expired")) {
			t.Errorf("noip-expired does not name the declared host:\n%s", s.Raw)
		}
	}
}
