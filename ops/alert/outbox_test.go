package alert

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/finding"
)

// The outbox is a delivery backend: the same messages, written into a
// directory, nothing dialled.
func TestOutboxDeliversIntoFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "outbox")
	clock := &fakeClock{t: t0}
	n := &Notifier{DB: openDB(t), Now: clock.Now, Outbox: dir,
		SMTPDial: func(context.Context, string, string) (net.Conn, error) {
			t.Error("the outbox dialled SMTP")
			return nil, net.ErrClosed
		},
		HTTPClient: &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) {
			t.Error("the outbox posted a webhook")
			return nil, net.ErrClosed
		})},
		Routes: []Route{{Name: "oncall",
			Email:   &Email{Host: "smtp.example.com", Port: 587, From: "itlag@example.org", To: []string{"it@example.org"}, StartTLS: true},
			Webhook: &Webhook{URL: "https://webhook.sandbox.invalid/env:HOOK", Headers: map[string]string{"Authorization": "Bearer tok3n"}}}},
	}
	f := finding.New(finding.High, "monitor:website", "down", "website is down")
	rep, err := n.Process(context.Background(), []finding.Finding{f})
	if err != nil || rep.Sent != 2 {
		t.Fatalf("Process: %+v, %v; want 2 sent", rep, err)
	}
	clock.Advance(60e9)
	if rep, err = n.Process(context.Background(), nil); err != nil || rep.Sent != 2 {
		t.Fatalf("Process (recovery): %+v, %v; want 2 sent", rep, err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) != 4 || !slices.IsSorted(names) {
		t.Fatalf("outbox = %v, want 4 files", names)
	}
	kinds := map[string]string{}
	for _, name := range names {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "tok3n") {
			t.Errorf("%s shows a header's value", name)
		}
		switch {
		case strings.HasSuffix(name, "-email-oncall-start.eml"):
			kinds["email start"] = name
			for _, want := range []string{"From: itlag@example.org\r\n", "To: it@example.org\r\n", "Subject: [itlag] FIRING high monitor:website: website is down\r\n", "\r\n\r\n"} {
				if !strings.Contains(string(b), want) {
					t.Errorf("%s lacks %q:\n%s", name, want, b)
				}
			}
		case strings.HasSuffix(name, "-webhook-oncall-start.json"):
			kinds["webhook start"] = name
			var m OutboxMessage
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			if m.URL != "https://webhook.sandbox.invalid/env:HOOK" || m.Payload.Status != "firing" || !slices.Equal(m.Headers, []string{"Authorization"}) {
				t.Errorf("%s = %+v", name, m)
			}
		case strings.HasSuffix(name, "-recovery.eml"), strings.HasSuffix(name, "-recovery.json"):
			kinds[name[strings.LastIndex(name, "."):]+" recovery"] = name
		}
	}
	if len(kinds) != 4 {
		t.Errorf("outbox = %v: want a start and a recovery on each channel", names)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// An outbox that is a symlink is not written through: the alert fails
// (and is retried later), nothing lands where the link points.
func TestOutboxRefusesASymlink(t *testing.T) {
	base := t.TempDir()
	elsewhere := filepath.Join(base, "elsewhere")
	if err := os.Mkdir(elsewhere, 0o700); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(base, "outbox")
	if err := os.Symlink(elsewhere, dir); err != nil {
		t.Fatal(err)
	}
	n := &Notifier{DB: openDB(t), Now: (&fakeClock{t: t0}).Now, Outbox: dir,
		Routes: []Route{{Name: "oncall", Webhook: &Webhook{URL: "https://webhook.sandbox.invalid/env:HOOK"}}}}
	rep, _ := n.Process(context.Background(), []finding.Finding{finding.New(finding.High, "monitor:website", "down", "website is down")})
	if rep.Sent != 0 || rep.Failed != 1 {
		t.Errorf("report %+v, want the delivery failed", rep)
	}
	if entries, _ := os.ReadDir(elsewhere); len(entries) != 0 {
		t.Errorf("written through the link: %v", entries)
	}
}
