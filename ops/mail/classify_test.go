package mail_test

import (
	"slices"
	"testing"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/ops/mail"
	"github.com/lagrieta/itlag/ops/mail/samples"
)

var testNow = time.Date(2026, 11, 7, 10, 30, 0, 0, time.UTC)

func testKnown() mail.Known {
	n := samples.DefaultNames()
	return mail.Known{
		DDNS:     []string{"other.hopto.org", n.DDNS},
		Domains:  []string{"lagrieta.com", n.Domain},
		NAS:      []string{n.NAS},
		NASHosts: map[string]string{n.NAS: n.NASHost},
		Backups:  []string{"photos", n.BackupJob},
	}
}

func newClassifier(t testing.TB, o mail.Options) *mail.Classifier {
	t.Helper()
	c, err := mail.NewClassifier(o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func parseSample(t testing.TB, name string) *mail.Message {
	t.Helper()
	for _, s := range samples.Build(testNow, samples.Names{}) {
		if s.Name == name {
			m, err := mail.Parse(s.Raw, mail.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			return m
		}
	}
	t.Fatalf("no sample %q", name)
	return nil
}

func dayOf(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

func inDays(n int) string { return dayOf(testNow.AddDate(0, 0, n)) }

// TestClassifySamples: each sample gives exactly its kind, with the
// right target, severity, date and authentication.
func TestClassifySamples(t *testing.T) {
	type want struct {
		target   string
		severity finding.Severity
		date     string
		verified bool
	}
	mailDay := dayOf(testNow.Add(-samples.DefaultMailHoursAgo * time.Hour))
	wants := map[string]want{
		"noip-confirm-html":            {"lagrieta.ddns.net", finding.Medium, inDays(samples.NoIPConfirmDays), true},
		"noip-expired":                 {"lagrieta.ddns.net", finding.Critical, mailDay, true},
		"noip-redemption":              {"lagrieta.ddns.net", finding.Critical, "", true},
		"noip-confirmed":               {"lagrieta.ddns.net", "", inDays(30), true},
		"godaddy-renewal-es":           {"lagrieta.es", finding.Low, inDays(samples.GoDaddyExpiryDays), true},
		"godaddy-renewal-failed":       {"lagrieta.es", finding.High, inDays(samples.GoDaddyExpiryDays), true},
		"godaddy-expiring":             {"lagrieta.es", finding.Critical, inDays(5), true},
		"godaddy-renewed":              {"lagrieta.es", "", inDays(samples.GoDaddyRenewedDays), true},
		"godaddy-contact-verification": {"lagrieta.es", finding.Medium, dayOf(testNow.Add(-samples.DefaultMailHoursAgo*time.Hour).AddDate(0, 0, 15)), true},
		"godaddy-contact-verified":     {"lagrieta.es", "", "", true},
		"cloudflare-certificate":       {"lagrieta.es", finding.High, inDays(samples.CloudflareCertDays), true},
		"cloudflare-security":          {"lagrieta.es", finding.High, "", true},
		"cloudflare-account":           {"lagrieta.es", finding.Medium, "", true},
		"synology-volume-degraded":     {"office", finding.Critical, "", false},
		"synology-disk-failing":        {"office", finding.High, "", false},
		"synology-backup-failed":       {"office", finding.High, "", false},
		"synology-backup-succeeded":    {"office", "", "", false},
		"cron-restic-failed":           {"documents", finding.High, "", false},
		"cron-job-failed":              {"office", finding.High, "", false},
		"cron-output":                  {"office", "", "", false},
		"dmarc-gzip":                   {"lagrieta.es", "", "", true},
		"dmarc-zip":                    {"lagrieta.es", "", "", true},
		"phishing-dkim-fail":           {"", finding.Medium, "", false},
		"phishing-lookalike":           {"", finding.Medium, "", false},
	}
	c := newClassifier(t, mail.Options{Known: testKnown(), TrustedAuthServID: samples.MXAuthServID})
	for _, s := range samples.Build(testNow, samples.Names{}) {
		t.Run(s.Name, func(t *testing.T) {
			m, err := mail.Parse(s.Raw, mail.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			ns := c.Classify(m)
			if s.Kind == "" {
				if ns != nil {
					t.Fatalf("got %+v, want nothing", ns)
				}
				return
			}
			if len(ns) != 1 || ns[0].Kind != s.Kind {
				t.Fatalf("got %+v, want one %s", ns, s.Kind)
			}
			n, w := ns[0], wants[s.Name]
			if n.Target != w.target || n.Severity != w.severity || dayOf(n.Date) != w.date || n.Verified != w.verified {
				t.Errorf("target %q severity %q date %q verified %v, want %q %q %q %v\nsummary: %s",
					n.Target, n.Severity, dayOf(n.Date), n.Verified, w.target, w.severity, w.date, w.verified, n.Summary)
			}
			if n.Summary == "" || len(n.Summary) > 300 || slices.Contains([]rune(n.Summary), '\n') {
				t.Errorf("summary %q is not one line", n.Summary)
			}
			if n.Target != "" && n.Kind != mail.KindSuspicious && !containsFold(n.Summary, n.Target) {
				t.Errorf("summary %q does not name the target %q", n.Summary, n.Target)
			}
			if w.date != "" && !containsFold(n.Summary, w.date) && n.Kind != mail.KindDMARCReport {
				t.Errorf("summary %q does not name the date %s", n.Summary, w.date)
			}
			if n.Kind == mail.KindSuspicious && (n.Link != "" || n.Confirm != nil) {
				t.Errorf("a suspicious mail offers a link: %+v", n)
			}
			t.Logf("%s", n.Summary)
		})
	}
}
