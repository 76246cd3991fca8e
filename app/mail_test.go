package app

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/ops/mail"
	"github.com/lagrieta/itlag/ops/mail/inbox/dovecottest"
	"github.com/lagrieta/itlag/ops/mail/ledger"
	"github.com/lagrieta/itlag/ops/mail/samples"
)

// mailState writes a state whose only mailbox is the test's Dovecot,
// with the declared names the samples talk about and extra YAML.
func mailState(t *testing.T, s *dovecottest.Server, extra string) string {
	t.Helper()
	dir := t.TempDir()
	_, port, _ := strings.Cut(s.Addr, ":")
	yaml := fmt.Sprintf(`mail:
  it:
    host: 127.0.0.1
    port: %s
    ca_file: %s
    username: {env: ITLAG_TEST_MAIL_USER}
    password: {env: ITLAG_TEST_MAIL_PASSWORD}
    trusted_authserv_id: %s
%s`, port, s.CAFile, samples.MXAuthServID, extra)
	if err := os.WriteFile(filepath.Join(dir, "state.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func loadMail(t *testing.T, state string) *Runtime {
	t.Helper()
	rt, err := Load(Options{StateDir: state, DataDir: filepath.Join(filepath.Dir(state), "data"), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rt.Close() })
	return rt
}

// TestMailCheckDovecot reads a real Dovecot holding one mail of each kind,
// a message over the cap and a mail whose rule allows following its link:
// every sample means what it should, the big one is skipped with a
// finding, the link is followed once, and a second pass reads nothing and
// changes no finding.
func TestMailCheckDovecot(t *testing.T) {
	s := dovecottest.Start(t)
	s.User = "it-mailbox" // a resolved secret: redacted wherever it appears
	t.Setenv("ITLAG_TEST_MAIL_USER", s.User)
	t.Setenv("ITLAG_TEST_MAIL_PASSWORD", s.Password)

	var followed []string
	web := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		followed = append(followed, r.URL.Path)
	}))
	defer web.Close()
	host := strings.Split(strings.TrimPrefix(web.URL, "https://"), ":")[0]
	state := mailState(t, s, fmt.Sprintf(`    max_message_size: 1MB
mail_rules:
  hosting:
    from: "@hosting.example"
    subject: "confirm your order"
    kind: hosting.confirm
    severity: medium
    confirm: true
    deadline_days: 10
    auto_confirm: true
    link_hosts: [%s]
`, host))

	now := time.Now().UTC()
	want := map[string]string{} // Message-ID → kind
	for _, sm := range samples.Build(now, samples.DefaultNames()) {
		m, err := mail.Parse(sm.Raw, mail.Limits{})
		if err != nil {
			t.Fatalf("%s: %v", sm.Name, err)
		}
		want[m.MessageID] = sm.Kind
		at := now.Add(-time.Hour)
		if sm.Kind == "noip.confirmed" {
			at = now.Add(-48 * time.Hour) // last month's: the request after it stays open
		}
		s.Append(t, "INBOX", sm.Raw, at)
	}
	link := web.URL + "/confirm?token=s3cr3t-order-token"
	s.Append(t, "INBOX", []byte("Message-ID: <order-1@hosting.example>\r\nDate: "+now.Format(time.RFC1123Z)+
		"\r\nFrom: orders@hosting.example\r\nTo: it@lagrieta.es\r\nSubject: Please confirm your order\r\n"+
		"Authentication-Results: "+samples.MXAuthServID+"; dkim=pass header.d=hosting.example; dmarc=pass header.from=hosting.example\r\n"+
		"\r\nConfirm here: "+link+"\r\n"), now)
	want["order-1@hosting.example"] = "hosting.confirm"
	big := "Message-ID: <big@example.net>\r\nFrom: a@example.net\r\nSubject: photos\r\n\r\n" + strings.Repeat("x", 2<<20) + "\r\n"
	s.Append(t, "INBOX", []byte(big), now)

	rt := loadMail(t, state)
	rt.hc = web.Client() // trusts the test server's certificate
	ctx := context.Background()
	res, err := rt.MailCheck(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed() {
		t.Fatalf("accounts: %+v", res.Accounts)
	}
	if got := len(res.Messages); got != len(want)+1 {
		t.Errorf("%d messages recorded, want %d", got, len(want)+1)
	}
	for _, o := range res.Messages {
		if o.MessageID == "big@example.net" {
			if o.Result != ledger.OutcomeTooBig {
				t.Errorf("the 2 MB message: %s, want %s", o.Result, ledger.OutcomeTooBig)
			}
			continue
		}
		kind := ""
		if len(o.Notices) > 0 {
			kind = o.Notices[0].Kind
		}
		if w, ok := want[o.MessageID]; !ok || kind != w {
			t.Errorf("%s (%q): %s, kind %q, want %q", o.MessageID, o.Subject, o.Result, kind, w)
		}
	}
	if len(followed) != 1 || len(res.AutoConfirmed) != 1 || res.AutoConfirmed[0].Error != "" {
		t.Errorf("auto-confirm: followed %v, results %+v; want the order's link followed once", followed, res.AutoConfirmed)
	}
	obs, err := rt.Observe(ctx, ObserveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var sums []string
	for _, f := range obs.Findings {
		sums = append(sums, f.Source+": "+f.Summary)
	}
	all := strings.Join(sums, "\n")
	for _, w := range []string{"larger than the cap and was not read: look at it by hand (subjects: \"photos\")", "mail:confirmation: confirm lagrieta.ddns.net"} {
		if !strings.Contains(all, w) {
			t.Errorf("findings lack %q:\n%s", w, all)
		}
	}
	if strings.Contains(all, "hosting.confirm") || slices.ContainsFunc(obs.Mail.Confirmations, func(c ledger.Confirmation) bool { return c.Kind == "hosting.confirm" }) {
		t.Errorf("the auto-confirmed order is still open:\n%s", all)
	}
	entries, err := AuditEntries(rt.Opts, time.Time{})
	if err != nil || len(entries) != 1 || entries[0].Action != "mail-confirm" || strings.Contains(fmt.Sprint(entries[0]), "s3cr3t") {
		t.Errorf("audit: %+v (%v); want one mail-confirm entry without the link's token", entries, err)
	}

	// A second pass: nothing new, no body fetched, the same findings.
	again, err := rt.MailCheck(ctx)
	if err != nil || len(again.Messages) != 0 || again.Accounts[0].Stats.Fetched != 0 {
		t.Fatalf("second pass: %+v, %v; want nothing read", again, err)
	}
	obs2, err := rt.Observe(ctx, ObserveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if a, b := Fingerprints(obs.Findings), Fingerprints(obs2.Findings); !slices.Equal(a, b) {
		t.Errorf("findings changed on a pass with nothing new:\n%v\n%v", a, b)
	}
}

// TestMailCheckWrongPassword: a refused login is reported for the
// account, the password nowhere; the observation makes it a high finding.
func TestMailCheckWrongPassword(t *testing.T) {
	s := dovecottest.Start(t)
	t.Setenv("ITLAG_TEST_MAIL_USER", s.User)
	t.Setenv("ITLAG_TEST_MAIL_PASSWORD", "wrong-Pa55word-xyz")
	rt := loadMail(t, mailState(t, s, ""))
	res, err := rt.MailCheck(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !res.Failed() || !strings.Contains(res.Accounts[0].Error, "authentication failed") {
		t.Fatalf("accounts %+v, want an authentication failure", res.Accounts)
	}
	obs, err := rt.Observe(context.Background(), ObserveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%+v %+v", res, obs.Findings)
	if strings.Contains(b.String(), "wrong-Pa55word-xyz") {
		t.Errorf("the password is shown: %s", b.String())
	}
	if !slices.ContainsFunc(obs.Findings, func(f finding.Finding) bool {
		return f.Source == "mail:it" && f.Severity == "high" && strings.Contains(f.Summary, "could not be read")
	}) {
		t.Errorf("findings %+v lack the high mail:it finding", obs.Findings)
	}
}

func TestDMARCMetrics(t *testing.T) {
	got := dmarcMetrics(&MailStatus{DMARC: []ledger.SourceSummary{
		{Domain: "lagrieta.es", SourceIP: "203.0.113.9", Messages: 6, Failed: 6},
		{Domain: "lagrieta.es", SourceIP: "198.51.100.1", Messages: 24},
	}})
	if got["dmarc:lagrieta.es/messages"] != 30 || got["dmarc:lagrieta.es/failed_messages"] != 6 || len(got) != 2 {
		t.Errorf("metrics %v", got)
	}
	if len(dmarcMetrics(nil)) != 0 {
		t.Error("metrics without a mailbox")
	}
}
