package alert

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lagrieta/itlag/finding"
)

var diskFull = finding.New(finding.Critical, "nas:office", "disk:/volume1", "disk 97% full")

func TestSequenceStartReminderRecovery(t *testing.T) {
	db := openDB(t)
	h := startHook(t)
	srv := startSMTP(t, &smtpServer{})
	clk := &fakeClock{t: t0}
	n := &Notifier{DB: db, Now: clk.Now, SMTPDial: dialTo(srv.Addr),
		Routes: []Route{{
			Name:    "oncall",
			Email:   &Email{Host: "127.0.0.1", Port: 25, From: "itlag@example.com", To: []string{"ops@example.com"}},
			Webhook: &Webhook{URL: h.URL + "/hook"},
			Repeat:  time.Hour,
		}}}
	f := diskFull
	f.Detail = "/volume1: 97.2% used"

	steps := []struct {
		name     string
		advance  time.Duration
		findings []finding.Finding
		hook     []string // all webhook statuses so far
		mails    int      // all mails so far
		opened   int
		resolved int
		status   string
	}{
		{"start", 0, []finding.Finding{f}, []string{"firing"}, 1, 1, 0, "open"},
		{"no duplicate", 10 * time.Minute, []finding.Finding{f, f}, []string{"firing"}, 1, 0, 0, "open"},
		{"not yet due", 49 * time.Minute, []finding.Finding{f}, []string{"firing"}, 1, 0, 0, "open"},
		{"reminder", time.Minute, []finding.Finding{f}, []string{"firing", "reminder"}, 2, 0, 0, "open"},
		{"no second reminder", 30 * time.Minute, []finding.Finding{f}, []string{"firing", "reminder"}, 2, 0, 0, "open"},
		{"recovery", 5 * time.Minute, nil, []string{"firing", "reminder", "resolved"}, 3, 0, 1, "resolved"},
		{"nothing more", 5 * time.Hour, nil, []string{"firing", "reminder", "resolved"}, 3, 0, 0, "resolved"},
	}
	for _, s := range steps {
		clk.Advance(s.advance)
		rep := process(t, n, s.findings...)
		if got := h.Statuses(); !slices.Equal(got, s.hook) {
			t.Fatalf("%s: webhook got %v, want %v", s.name, got, s.hook)
		}
		if got := len(srv.Mails()); got != s.mails {
			t.Fatalf("%s: %d mails, want %d", s.name, got, s.mails)
		}
		if rep.Opened != s.opened || rep.Resolved != s.resolved || rep.Failed != 0 || rep.Held != 0 {
			t.Fatalf("%s: report %+v", s.name, rep)
		}
		if st, _, _ := stateOf(t, db, f.Fingerprint); st != s.status {
			t.Fatalf("%s: state %s, want %s", s.name, st, s.status)
		}
	}

	p := h.Payloads()[1]
	if p.Severity != "critical" || p.Source != "nas:office" || p.Summary != "disk 97% full" ||
		p.Detail != "/volume1: 97.2% used" || p.Fingerprint != f.Fingerprint ||
		p.StartedAt != "2026-03-04T10:00:00Z" || !strings.Contains(p.Text, "REMINDER critical nas:office: disk 97% full") ||
		!strings.Contains(p.Text, "1h0m0s") {
		t.Errorf("reminder payload = %+v", p)
	}
	m := srv.Mails()[2]
	if m.From != "itlag@example.com" || !slices.Equal(m.To, []string{"ops@example.com"}) ||
		!strings.Contains(m.Data, "Subject: [itlag] RESOLVED critical nas:office: disk 97% full\n") ||
		!strings.Contains(m.Data, "X-Itlag-Fingerprint: "+f.Fingerprint) {
		t.Errorf("recovery mail = %+v", m)
	}
	var kinds []string
	for _, r := range sentRows(t, db) {
		if !r.OK || r.Route != "oncall" {
			t.Errorf("row %+v", r)
		}
		kinds = append(kinds, r.Kind+"/"+r.Channel)
	}
	want := []string{"start/email", "start/webhook", "reminder/email", "reminder/webhook", "recovery/email", "recovery/webhook"}
	if !slices.Equal(kinds, want) {
		t.Errorf("alerts_sent = %v, want %v", kinds, want)
	}
	if _, last, resolved := stateOf(t, db, f.Fingerprint); last != "2026-03-04T11:00:00Z" || resolved != "2026-03-04T11:35:00Z" {
		t.Errorf("last_alert_at %s, resolved_at %s", last, resolved)
	}

	// the problem comes back: a new start, from a new started_at
	clk.Advance(time.Hour)
	rep := process(t, n, f)
	if rep.Opened != 1 || rep.Sent != 2 {
		t.Errorf("reopen: report %+v", rep)
	}
	if p := h.Payloads()[3]; p.Status != "firing" || p.StartedAt != "2026-03-04T17:35:00Z" {
		t.Errorf("reopen payload = %+v", p)
	}
}

func TestHeldDuringWindow(t *testing.T) {
	db := openDB(t)
	h := startHook(t)
	clk := &fakeClock{t: t0}
	n := &Notifier{DB: db, Now: clk.Now,
		Routes:  []Route{{Name: "chat", Webhook: &Webhook{URL: h.URL}}},
		Windows: []Window{{Name: "upgrade", Start: t0.Add(-time.Minute), End: t0.Add(time.Hour)}}}
	other := finding.New(finding.Low, "godaddy", "expiry:example.com", "expires in 20 days")

	// inside the window: held, nothing sent
	rep := process(t, n, diskFull, other)
	if rep.Held != 2 || rep.Sent != 0 || len(h.Payloads()) != 0 {
		t.Fatalf("in window: report %+v, %d payloads", rep, len(h.Payloads()))
	}
	for _, r := range sentRows(t, db) {
		if r.OK || r.Error != "held: maintenance window upgrade" || r.Kind != "start" {
			t.Errorf("held row %+v", r)
		}
	}
	// "other" resolves inside the window: it was never told, so nothing is
	// owed for it
	clk.Advance(30 * time.Minute)
	rep = process(t, n, diskFull)
	if rep.Held != 1 || rep.Resolved != 1 || len(h.Payloads()) != 0 {
		t.Fatalf("in window, later: report %+v", rep)
	}
	// after the window: the still-open problem gets its start
	clk.Advance(30 * time.Minute)
	rep = process(t, n, diskFull)
	if got := h.Statuses(); !slices.Equal(got, []string{"firing"}) || h.Payloads()[0].Fingerprint != diskFull.Fingerprint {
		t.Fatalf("after window: %v, report %+v", h.Payloads(), rep)
	}
	// a recovery held by a window is sent after it
	n.Windows = append(n.Windows, Window{Name: "night", Start: t0.Add(2 * time.Hour), End: t0.Add(3 * time.Hour)})
	clk.Advance(90 * time.Minute)
	if rep = process(t, n); rep.Held != 1 || rep.Resolved != 1 {
		t.Fatalf("recovery in window: report %+v", rep)
	}
	clk.Advance(time.Hour)
	rep = process(t, n)
	if got := h.Statuses(); !slices.Equal(got, []string{"firing", "resolved"}) || rep.Sent != 1 {
		t.Fatalf("recovery after window: %v, report %+v", got, rep)
	}
	clk.Advance(time.Hour)
	if rep = process(t, n); len(rep.Events) != 0 || len(h.Payloads()) != 2 {
		t.Fatalf("after recovery: report %+v", rep)
	}
}

func TestSeverityRouting(t *testing.T) {
	db := openDB(t)
	page, chat := startHook(t), startHook(t)
	srv := startSMTP(t, &smtpServer{})
	clk := &fakeClock{t: t0}
	n := &Notifier{DB: db, Now: clk.Now, SMTPDial: dialTo(srv.Addr), Routes: []Route{
		{Name: "page", Severities: []finding.Severity{finding.Critical},
			Email:   &Email{Host: "localhost", Port: 25, From: "a@example.com", To: []string{"b@example.com"}},
			Webhook: &Webhook{URL: page.URL}},
		{Name: "chat", Severities: []finding.Severity{finding.Low, finding.Medium, finding.High},
			Webhook: &Webhook{URL: chat.URL}},
	}}
	low := finding.New(finding.Low, "cloudflare:example.com", "ttl", "TTL below 300")
	process(t, n, low)
	if len(srv.Mails()) != 0 || len(page.Payloads()) != 0 || len(chat.Payloads()) != 1 {
		t.Fatalf("low: %d mails, %d page, %d chat", len(srv.Mails()), len(page.Payloads()), len(chat.Payloads()))
	}
	process(t, n, low, diskFull)
	if len(srv.Mails()) != 1 || len(page.Payloads()) != 1 || len(chat.Payloads()) != 1 {
		t.Fatalf("critical: %d mails, %d page, %d chat", len(srv.Mails()), len(page.Payloads()), len(chat.Payloads()))
	}
	if page.Payloads()[0].Fingerprint != diskFull.Fingerprint || chat.Payloads()[0].Fingerprint != low.Fingerprint {
		t.Error("a finding went to the wrong route")
	}
	// the low problem escalates to critical: the page route is told now
	esc := low
	esc.Severity = finding.Critical
	process(t, n, esc, diskFull)
	if len(srv.Mails()) != 2 || len(page.Payloads()) != 2 || len(chat.Payloads()) != 1 {
		t.Fatalf("escalation: %d mails, %d page, %d chat", len(srv.Mails()), len(page.Payloads()), len(chat.Payloads()))
	}
	// both resolve: every route that was told gets one recovery
	process(t, n)
	if got := chat.Statuses(); !slices.Equal(got, []string{"firing", "resolved"}) {
		t.Errorf("chat: %v", got)
	}
	if got := page.Statuses(); !slices.Equal(got, []string{"firing", "firing", "resolved", "resolved"}) {
		t.Errorf("page: %v", got)
	}
	if len(srv.Mails()) != 4 {
		t.Errorf("%d mails, want 4", len(srv.Mails()))
	}
}

func TestFailingWebhookRetriedAsStart(t *testing.T) {
	db := openDB(t)
	h := startHook(t)
	clk := &fakeClock{t: t0}
	n := &Notifier{DB: db, Now: clk.Now, Routes: []Route{{Name: "chat", Webhook: &Webhook{URL: h.URL + "/T000/secret-token"}, Repeat: time.Hour}}}
	h.SetFail(true)
	rep := process(t, n, diskFull)
	if rep.Failed != 1 || rep.Sent != 0 || rep.Events[0].Result != Failed {
		t.Fatalf("report %+v", rep)
	}
	rows := sentRows(t, db)
	if len(rows) != 1 || rows[0].OK || !strings.Contains(rows[0].Error, "500") {
		t.Fatalf("rows %+v", rows)
	}
	if strings.Contains(rows[0].Error, "secret-token") {
		t.Errorf("error shows the webhook's path: %s", rows[0].Error)
	}
	if _, last, _ := stateOf(t, db, diskFull.Fingerprint); last != "" {
		t.Errorf("last_alert_at = %q after a failure", last)
	}
	// retried as "start" (the channel was never told), then deduped
	h.SetFail(false)
	clk.Advance(5 * time.Minute)
	if rep = process(t, n, diskFull); rep.Sent != 1 || rep.Events[0].Kind != Start {
		t.Fatalf("retry: report %+v", rep)
	}
	clk.Advance(5 * time.Minute)
	if rep = process(t, n, diskFull); len(rep.Events) != 0 {
		t.Fatalf("after retry: report %+v", rep)
	}
	if got := h.Statuses(); !slices.Equal(got, []string{"firing"}) {
		t.Fatalf("webhook got %v", got)
	}
	// the reminder counts from the successful start, not the failed one
	clk.Advance(50 * time.Minute)
	if rep = process(t, n, diskFull); len(rep.Events) != 0 {
		t.Fatalf("reminder too early: %+v", rep)
	}
	clk.Advance(5 * time.Minute)
	if rep = process(t, n, diskFull); len(rep.Events) != 1 || rep.Events[0].Kind != Reminder {
		t.Fatalf("reminder: %+v", rep)
	}
	// a failed recovery is retried too
	h.SetFail(true)
	if rep = process(t, n); rep.Failed != 1 || rep.Resolved != 1 {
		t.Fatalf("recovery failed: %+v", rep)
	}
	h.SetFail(false)
	if rep = process(t, n); rep.Sent != 1 || rep.Events[0].Kind != Recovery {
		t.Fatalf("recovery retry: %+v", rep)
	}
	if rep = process(t, n); len(rep.Events) != 0 {
		t.Fatalf("after recovery: %+v", rep)
	}
}

func TestWebhookHeadersAndNoFingerprint(t *testing.T) {
	db := openDB(t)
	h := startHook(t)
	n := &Notifier{DB: db, Routes: []Route{{Name: "ntfy", Webhook: &Webhook{URL: h.URL,
		Headers: map[string]string{"Authorization": "Bearer tk", "X-Title": "itlag"}}}}}
	bad := finding.Finding{Severity: finding.High, Source: "x", Summary: "no fingerprint"}
	rep := process(t, n, bad, diskFull)
	if len(rep.Invalid) != 1 || rep.Sent != 1 {
		t.Fatalf("report %+v", rep)
	}
	hd := h.headers[0]
	if hd.Get("Authorization") != "Bearer tk" || hd.Get("X-Title") != "itlag" || hd.Get("Content-Type") != "application/json" {
		t.Errorf("headers %v", hd)
	}
}

func TestInvalidConfiguration(t *testing.T) {
	hookURL := "https://hooks.example.com/x"
	cases := []struct {
		name string
		n    Notifier
		want string
	}{
		{"no name", Notifier{Routes: []Route{{Webhook: &Webhook{URL: hookURL}}}}, "no name"},
		{"no channel", Notifier{Routes: []Route{{Name: "a"}}}, "no email and no webhook"},
		{"duplicate", Notifier{Routes: []Route{{Name: "a", Webhook: &Webhook{URL: hookURL}}, {Name: "a", Webhook: &Webhook{URL: hookURL}}}}, "defined twice"},
		{"severity", Notifier{Routes: []Route{{Name: "a", Severities: []finding.Severity{"urgent"}, Webhook: &Webhook{URL: hookURL}}}}, "unknown severity"},
		{"bad url", Notifier{Routes: []Route{{Name: "a", Webhook: &Webhook{URL: "ftp://x/secret"}}}}, "not an http(s) URL"},
		{"plain http webhook", Notifier{Routes: []Route{{Name: "a", Webhook: &Webhook{URL: "http://hooks.example.com/secret"}}}}, "only over TLS"},
		{"plain remote", Notifier{Routes: []Route{{Name: "a", Email: &Email{Host: "smtp.example.com", Port: 587, From: "a@x", To: []string{"b@x"}}}}}, "set starttls"},
		{"no password", Notifier{Routes: []Route{{Name: "a", Email: &Email{Host: "localhost", Port: 25, From: "a@x", To: []string{"b@x"}, Username: "u"}}}}, "no password"},
		{"header injection", Notifier{Routes: []Route{{Name: "a", Email: &Email{Host: "localhost", Port: 25, From: "a@x\r\nBcc: c@y", To: []string{"b@x"}}}}}, "not a plain address"},
		{"window", Notifier{Windows: []Window{{Name: "w", Start: t0, End: t0}}}, "not before end"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.n.DB = openDB(t)
			_, err := c.n.Process(t.Context(), nil)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("error shows the URL: %v", err)
			}
		})
	}
}

// TestSourceWindow: a source's own window (a monitor's maintenance) holds
// only that source's alerts; the others go out.
func TestSourceWindow(t *testing.T) {
	db := openDB(t)
	h := startHook(t)
	clk := &fakeClock{t: t0}
	site := finding.New(finding.Critical, "monitor:website", "down", "website is down")
	n := &Notifier{DB: db, Now: clk.Now,
		Routes:        []Route{{Name: "chat", Webhook: &Webhook{URL: h.URL}}},
		SourceWindows: map[string][]Window{"monitor:website": {{Name: "deploy", Start: t0.Add(-time.Minute), End: t0.Add(time.Hour)}}}}
	rep := process(t, n, site, diskFull)
	if rep.Held != 1 || rep.Sent != 1 || len(h.Payloads()) != 1 || h.Payloads()[0].Fingerprint != diskFull.Fingerprint {
		t.Fatalf("report %+v, payloads %+v: want the website held, the disk sent", rep, h.Payloads())
	}
	clk.Advance(2 * time.Hour)
	if rep = process(t, n, site, diskFull); rep.Sent != 1 || h.Payloads()[1].Fingerprint != site.Fingerprint {
		t.Fatalf("after the website's window: report %+v", rep)
	}
}
