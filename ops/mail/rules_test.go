package mail_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/ops/mail"
)

func TestNewClassifierErrors(t *testing.T) {
	tests := []struct {
		rule mail.Rule
		want string
	}{
		{mail.Rule{Name: "x", Kind: "k", Subject: "("}, `mail rule "x": subject: `},
		{mail.Rule{Name: "x", Kind: "k", Body: "[a-"}, `mail rule "x": body: `},
		{mail.Rule{Name: "x", Kind: "k"}, `mail rule "x": none of from, subject, body`},
		{mail.Rule{Name: "x", Subject: "a"}, `mail rule "x": no kind`},
		{mail.Rule{Name: "x", Kind: "k", From: "nobody"}, `mail rule "x": from: "nobody"`},
		{mail.Rule{Name: "x", Kind: "k", From: "@", Subject: "a"}, `mail rule "x": from`},
		{mail.Rule{Name: "x", Kind: "k", Subject: "a", Severity: "urgent"}, `mail rule "x": severity "urgent"`},
		{mail.Rule{Kind: "k", Subject: "a"}, `mail rule #1: no name`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			_, err := mail.NewClassifier(mail.Options{Rules: []mail.Rule{tt.rule}})
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q…", err, tt.want)
			}
		})
	}
}

func TestRules(t *testing.T) {
	confirmNoIP := mail.Rule{Name: "noip-auto", From: "@noip.com", Subject: "expiring soon", Kind: mail.KindNoIPConfirmRequest,
		Severity: finding.High, AutoConfirm: true, LinkHosts: []string{"www.noip.com"}}
	tests := []struct {
		name    string
		sample  string
		rules   []mail.Rule
		trusted string
		links   []string // replace the message's links when set
		check   func(t *testing.T, ns []mail.Notice)
	}{
		{name: "built-in kind, auto-confirm allowed", sample: "noip-confirm-html", rules: []mail.Rule{confirmNoIP}, trusted: "mx.lagrieta.es",
			check: func(t *testing.T, ns []mail.Notice) {
				n := one(t, ns, mail.KindNoIPConfirmRequest)
				if !n.AutoConfirm || n.Rule != "noip-auto" || n.Severity != finding.High || !n.Verified || n.Target != "lagrieta.ddns.net" {
					t.Errorf("%+v", n)
				}
			}},
		{name: "auto-confirm denied: not verified", sample: "noip-confirm-html", rules: []mail.Rule{confirmNoIP}, trusted: "",
			check: func(t *testing.T, ns []mail.Notice) {
				if n := one(t, ns, mail.KindNoIPConfirmRequest); n.AutoConfirm || n.Verified {
					t.Errorf("%+v", n)
				}
			}},
		{name: "auto-confirm denied: other MX", sample: "noip-confirm-html", rules: []mail.Rule{confirmNoIP}, trusted: "mx.elsewhere.example",
			check: func(t *testing.T, ns []mail.Notice) {
				if n := one(t, ns, mail.KindNoIPConfirmRequest); n.AutoConfirm || n.Verified {
					t.Errorf("%+v", n)
				}
			}},
		{name: "auto-confirm denied: http link", sample: "noip-confirm-html", rules: []mail.Rule{confirmNoIP}, trusted: "mx.lagrieta.es",
			links: []string{"http://www.noip.com/confirm-host?n=1"},
			check: func(t *testing.T, ns []mail.Notice) {
				if n := one(t, ns, mail.KindNoIPConfirmRequest); n.AutoConfirm || n.Confirm.Link != "" {
					t.Errorf("%+v %+v", n, n.Confirm)
				}
			}},
		{name: "auto-confirm denied: host not listed", sample: "noip-confirm-html", trusted: "mx.lagrieta.es",
			rules: []mail.Rule{{Name: "noip-auto", Subject: "expiring", Kind: mail.KindNoIPConfirmRequest, AutoConfirm: true, LinkHosts: []string{"noip.com"}}},
			check: func(t *testing.T, ns []mail.Notice) {
				if n := one(t, ns, mail.KindNoIPConfirmRequest); n.AutoConfirm || !n.Verified || !slices.Equal(n.LinkHosts, []string{"noip.com"}) {
					t.Errorf("%+v", n)
				}
			}},
		{name: "auto-confirm denied: rule does not allow", sample: "noip-confirm-html", trusted: "mx.lagrieta.es",
			rules: []mail.Rule{{Name: "n", Subject: "expiring", Kind: mail.KindNoIPConfirmRequest, LinkHosts: []string{"www.noip.com"}}},
			check: func(t *testing.T, ns []mail.Notice) {
				if n := one(t, ns, mail.KindNoIPConfirmRequest); n.AutoConfirm {
					t.Errorf("%+v", n)
				}
			}},
		{name: "first matching rule wins", sample: "newsletter", trusted: "mx.lagrieta.es",
			rules: []mail.Rule{
				{Name: "no-match", From: "someone@else.example", Kind: "a"},
				{Name: "boletin", From: "@example.org", Body: `factura electr[oó]nica`, Kind: "subscription.news", Area: mail.AreaSubscription, Target: "boletin",
					Confirm: true, DeadlineDays: 10, Closes: []string{"x"}},
				{Name: "later", Subject: "novedades", Kind: "b"},
			},
			check: func(t *testing.T, ns []mail.Notice) {
				n := one(t, ns, "subscription.news")
				if n.Rule != "boletin" || n.Provider != "boletin" || n.Summary != "boletin: Novedades de la semana: facturación electrónica" ||
					n.Link != "https://boletin.example.org/n/214" || !n.Verified || !slices.Equal(n.Closes, []string{"x"}) || n.Severity != "" {
					t.Errorf("%+v", n)
				}
				wantDeadline := testNow.Add(-3*time.Hour).AddDate(0, 0, 10)
				if n.Confirm == nil || n.Confirm.Key != "rule:boletin:boletin" || !n.Confirm.Deadline.Equal(wantDeadline) || n.AutoConfirm {
					t.Errorf("%+v", n.Confirm)
				}
			}},
		{name: "rule before built-in", sample: "godaddy-renewal-es", trusted: "mx.lagrieta.es",
			rules: []mail.Rule{{Name: "ignore-renewals", From: "@godaddy.com", Subject: "renovaci[oó]n", Kind: "noise"}},
			check: func(t *testing.T, ns []mail.Notice) {
				if n := one(t, ns, "noise"); n.Confirm != nil || n.Rule != "ignore-renewals" {
					t.Errorf("%+v", n)
				}
			}},
		{name: "rule with built-in kind on a forged mail stays suspicious", sample: "phishing-dkim-fail", trusted: "mx.lagrieta.es", rules: []mail.Rule{confirmNoIP},
			check: func(t *testing.T, ns []mail.Notice) {
				if n := one(t, ns, mail.KindSuspicious); n.AutoConfirm || n.Link != "" {
					t.Errorf("%+v", n)
				}
			}},
		{name: "from address exact", sample: "noip-expired", trusted: "mx.lagrieta.es",
			rules: []mail.Rule{{Name: "a", From: "No-Reply@NoIP.com", Kind: "k", Confirm: true}},
			check: func(t *testing.T, ns []mail.Notice) {
				if n := one(t, ns, "k"); n.Confirm == nil || !n.Confirm.Deadline.IsZero() || n.Confirm.Key != "rule:a:" {
					t.Errorf("%+v", n)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClassifier(t, mail.Options{Known: testKnown(), Rules: tt.rules, TrustedAuthServID: tt.trusted})
			m := parseSample(t, tt.sample)
			if tt.links != nil {
				m.Links = tt.links
			}
			tt.check(t, c.Classify(m))
		})
	}
}

func one(t *testing.T, ns []mail.Notice, kind string) mail.Notice {
	t.Helper()
	if len(ns) != 1 || ns[0].Kind != kind {
		t.Fatalf("got %+v, want one %s", ns, kind)
	}
	return ns[0]
}

func TestConfirmRequests(t *testing.T) {
	c := newClassifier(t, mail.Options{Known: testKnown(), TrustedAuthServID: "mx.lagrieta.es"})
	n := one(t, c.Classify(parseSample(t, "noip-confirm-html")), mail.KindNoIPConfirmRequest)
	deadline := time.Date(2026, 11, 14, 0, 0, 0, 0, time.UTC)
	want := mail.Request{Key: "noip:hostname:lagrieta.ddns.net", What: "confirm lagrieta.ddns.net at No-IP before 2026-11-14",
		Link: "https://www.noip.com/confirm-host?n=6aeefda8&h=lagrieta.ddns.net", Deadline: deadline}
	if n.Confirm == nil || *n.Confirm != want || n.Link != want.Link || !n.Date.Equal(deadline) {
		t.Errorf("confirm %+v, want %+v", n.Confirm, want)
	}
	n = one(t, c.Classify(parseSample(t, "noip-confirmed")), mail.KindNoIPConfirmed)
	if !slices.Equal(n.Closes, []string{"noip:hostname:lagrieta.ddns.net", "noip.confirm-request", "noip.expired"}) {
		t.Errorf("closes %q", n.Closes)
	}
	n = one(t, c.Classify(parseSample(t, "godaddy-contact-verification")), mail.KindGoDaddyContactVerification)
	if n.Confirm == nil || n.Confirm.Key != "godaddy:contact:lagrieta.es" || n.Confirm.Link != "https://dcc.godaddy.com/verify?token=7f3a9c" {
		t.Errorf("%+v", n.Confirm)
	}
	n = one(t, c.Classify(parseSample(t, "godaddy-contact-verified")), mail.KindGoDaddyContactVerified)
	if !slices.Equal(n.Closes, []string{"godaddy:contact:lagrieta.es"}) {
		t.Errorf("closes %q", n.Closes)
	}
	n = one(t, c.Classify(parseSample(t, "godaddy-renewed")), mail.KindGoDaddyRenewed)
	if !slices.Equal(n.Closes, []string{"godaddy.renewal-failed", "godaddy.expiring", "godaddy.renewal-notice"}) {
		t.Errorf("closes %q", n.Closes)
	}
	n = one(t, c.Classify(parseSample(t, "dmarc-zip")), mail.KindDMARCReport)
	if n.DMARC == nil || n.DMARC.Org != "google.com" || len(n.DMARC.Rows) != 2 || strings.ContainsAny(n.DMARC.ReportID, "<>") {
		t.Errorf("%+v", n.DMARC)
	}
}

// TestNoIPDeadlines: the deadline as the mail writes it, or assumed.
func TestNoIPDeadlines(t *testing.T) {
	date := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		body, want string
		assumed    bool
	}{
		{"Your hostname lagrieta.ddns.net expires on December 14, 2026.", "2026-12-14", false},
		{"lagrieta.ddns.net will expire in 5 days unless confirmed.", "2026-03-07", false},
		{"Expiration date: 2026-03-09. Confirm your hostname.", "2026-03-09", false},
		{"Tu nombre de host lagrieta.ddns.net caduca el 14 de diciembre de 2026.", "2026-12-14", false},
		{"Confirm your hostname lagrieta.ddns.net now.", "2026-03-09", true},
	}
	c := newClassifier(t, mail.Options{Known: testKnown()})
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			m := &mail.Message{From: mail.Address{Address: "no-reply@noip.com"}, Subject: "ACTION REQUIRED: lagrieta.ddns.net is Expiring Soon", Date: date, Text: tt.body}
			n := one(t, c.Classify(m), mail.KindNoIPConfirmRequest)
			if dayOf(n.Date) != tt.want || dayOf(n.Confirm.Deadline) != tt.want {
				t.Errorf("deadline %s, want %s", dayOf(n.Date), tt.want)
			}
			if got := strings.Contains(n.Summary, "(deadline assumed: 7 days after the mail)"); got != tt.assumed {
				t.Errorf("summary %q", n.Summary)
			}
			if n.Verified {
				t.Error("verified without a trusted MX")
			}
		})
	}
}

// TestUnknownHostTarget: a NoIP host not declared is still named.
func TestUnknownHostTarget(t *testing.T) {
	c := newClassifier(t, mail.Options{})
	m := &mail.Message{From: mail.Address{Address: "no-reply@noip.com"}, Subject: "Shop.Zapto.org has Expired"}
	if n := one(t, c.Classify(m), mail.KindNoIPExpired); n.Target != "shop.zapto.org" {
		t.Errorf("target %q", n.Target)
	}
}
