package ledger

import (
	"strings"
	"testing"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/ops/mail"
)

func notice(kind string, sev finding.Severity, area, target string) mail.Notice {
	return mail.Notice{Kind: kind, Provider: strings.Split(kind, ".")[0], Severity: sev, Area: area, Target: target,
		Summary: kind + " " + target, Link: "https://example.com/" + kind}
}

func TestNoticeWindows(t *testing.T) {
	tests := []struct {
		sev    finding.Severity
		window time.Duration
	}{
		{finding.Critical, 30 * day},
		{finding.High, 30 * day},
		{finding.Medium, 14 * day},
		{finding.Low, 7 * day},
		{"", 7 * day},
	}
	for _, tc := range tests {
		t.Run(string(tc.sev), func(t *testing.T) {
			if w := Window("any.kind", tc.sev); w != tc.window || w < minWindow {
				t.Fatalf("window %s, want %s", w, tc.window)
			}
			if tc.sev == "" {
				return
			}
			fx := newFixture(t)
			fx.record(msg{uid: 1, id: "n@x", notices: []mail.Notice{notice("synology.disk-failing", tc.sev, mail.AreaNAS, "office")}})
			// a second past the window's end, findings leave it out
			// before Expire closes it
			for _, c := range []struct {
				at   time.Time
				want int
			}{{t0.Add(tc.window - time.Second), 1}, {t0.Add(tc.window), 0}} {
				fs, err := fx.l.Findings(fx.ctx, c.at)
				if err != nil || len(fs) != c.want {
					t.Errorf("at %s: %d findings %v, want %d", c.at, len(fs), err, c.want)
				}
			}
			if ns := fx.notices(true); len(ns) != 1 {
				t.Fatalf("findings closed a notice: %+v", ns)
			}
			n, err := fx.l.Expire(fx.ctx, t0.Add(tc.window))
			if err != nil || n != 1 {
				t.Fatalf("expire: %d %v", n, err)
			}
			ns := fx.notices(false)
			if ns[0].State != stateClosed || ns[0].ClosedBy != "window" || !ns[0].ClosedAt.Equal(t0.Add(tc.window)) {
				t.Errorf("after expire: %+v", ns[0])
			}
		})
	}
}

func TestRecordExpires(t *testing.T) {
	fx := newFixture(t)
	fx.record(msg{uid: 1, id: "old@x", notices: []mail.Notice{notice("cron.failed", finding.Low, mail.AreaBackup, "nightly")}})
	fx.now = t0.Add(8 * day)
	fx.record(msg{uid: 2, id: "new@x", received: fx.now, body: "2"})
	if ns := fx.notices(true); len(ns) != 0 {
		t.Errorf("open after a week and a day: %+v", ns)
	}
	// an old mail read late is past its window as soon as it is recorded
	fx.record(msg{folder: "Old", uid: 1, id: "older@x", received: t0.Add(-20 * day), notices: []mail.Notice{notice("cron.failed", finding.Medium, mail.AreaBackup, "nightly")}})
	if ns := fx.notices(true); len(ns) != 0 {
		t.Errorf("an old notice read late is open: %+v", ns)
	}
}

func TestNoticeFindings(t *testing.T) {
	fx := newFixture(t)
	failed := notice("godaddy.payment-failed", finding.High, mail.AreaDomain, "lagrieta.es")
	fx.record(msg{uid: 1, id: "1@x", notices: []mail.Notice{failed, notice("noip.info", "", mail.AreaDDNS, "lagrieta.ddns.net")}})
	again := failed
	again.Summary = "GoDaddy still could not charge lagrieta.es"
	fx.record(msg{uid: 2, id: "2@x", body: "2", received: t0.Add(day), notices: []mail.Notice{again}})
	fx.now = t0.Add(2 * day)
	fs := fx.findings()
	if len(fs) != 1 {
		t.Fatalf("findings %v: want one (the informational notice is none, the same mail twice one)", fs)
	}
	want := finding.New(finding.High, "mail:godaddy", "godaddy.payment-failed/domain/lagrieta.es", again.Summary)
	if f := fs[0]; f.Fingerprint != want.Fingerprint || f.Summary != want.Summary || f.Severity != finding.High ||
		f.Detail != "received 2026-03-05T10:00:00Z in it, message 2@x; https://example.com/godaddy.payment-failed" {
		t.Errorf("finding %+v", f)
	}
}

func TestCloses(t *testing.T) {
	tests := []struct {
		name   string
		closer mail.Notice
		open   []string // the kinds/targets left open
	}{
		{"by kind and target", mail.Notice{Kind: "godaddy.renewed", Area: mail.AreaDomain, Target: "lagrieta.es", Closes: []string{"godaddy.payment-failed"}},
			[]string{"godaddy.payment-failed/other.es", "godaddy.expiring/lagrieta.es"}},
		{"by area without a target", mail.Notice{Kind: "godaddy.card-updated", Area: mail.AreaDomain, Closes: []string{"godaddy.payment-failed"}},
			[]string{"godaddy.expiring/lagrieta.es"}},
		{"another kind", mail.Notice{Kind: "godaddy.renewed", Area: mail.AreaDomain, Target: "lagrieta.es", Closes: []string{"godaddy.other"}},
			[]string{"godaddy.payment-failed/lagrieta.es", "godaddy.payment-failed/other.es", "godaddy.expiring/lagrieta.es"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fx := newFixture(t)
			fx.record(msg{uid: 1, id: "1@x", notices: []mail.Notice{
				notice("godaddy.payment-failed", finding.High, mail.AreaDomain, "lagrieta.es"),
				notice("godaddy.payment-failed", finding.High, mail.AreaDomain, "other.es"),
				notice("godaddy.expiring", finding.Medium, mail.AreaDomain, "lagrieta.es"),
			}})
			// a closing mail received before the notices closes nothing
			fx.record(msg{folder: "Old", uid: 1, id: "0@x", received: t0.Add(-time.Hour), notices: []mail.Notice{tc.closer}})
			if n := len(fx.notices(true)); n != 3+1 {
				t.Fatalf("an older mail closed notices: %d open", n)
			}
			fx.record(msg{uid: 2, id: "2@x", body: "2", received: t0.Add(time.Hour), notices: []mail.Notice{tc.closer}})
			var open []string
			for _, n := range fx.notices(true) {
				if n.Severity != "" {
					open = append(open, n.Kind+"/"+n.Target)
				} else if n.MessageID != "0@x" && n.MessageID != "2@x" {
					t.Errorf("unexpected open notice %+v", n)
				}
			}
			if strings.Join(open, " ") != strings.Join(tc.open, " ") {
				t.Errorf("open %v, want %v", open, tc.open)
			}
			for _, n := range fx.notices(false) {
				if n.State == stateClosed && n.ClosedBy != "mail:2@x" {
					t.Errorf("closed by %q", n.ClosedBy)
				}
			}
		})
	}
}

func TestLearned(t *testing.T) {
	fx := newFixture(t)
	date := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }
	told := func(area, target string, d time.Time) mail.Notice {
		n := notice("x.expiry", "", area, target)
		n.Date = d
		return n
	}
	// the newer mail is read first (another folder): it still wins
	fx.record(msg{uid: 1, id: "new@x", body: "n", received: t0.Add(day), notices: []mail.Notice{told(mail.AreaDomain, "lagrieta.es", date(5, 1))}})
	fx.record(msg{folder: "Old", uid: 1, id: "old@x", body: "o", received: t0, notices: []mail.Notice{
		told(mail.AreaDomain, "lagrieta.es", date(4, 1)),
		told(mail.AreaDDNS, "lagrieta.ddns.net", date(3, 10)),
		told(mail.AreaNAS, "office", date(3, 10)),        // not an area Learned reports
		told(mail.AreaDomain, "", date(3, 10)),           // no target
		told(mail.AreaSubscription, "m365", time.Time{}), // no date
	}})
	got, err := fx.l.Learned(fx.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("learned %+v", got)
	}
	if g := got[0]; g.Area != mail.AreaDDNS || !g.Date.Equal(date(3, 10)) {
		t.Errorf("ddns: %+v", g)
	}
	if g := got[1]; g.Area != mail.AreaDomain || g.Target != "lagrieta.es" || !g.Date.Equal(date(5, 1)) || !g.ReceivedAt.Equal(t0.Add(day)) || g.Kind != "x.expiry" {
		t.Errorf("domain: %+v, want the newer mail's 2026-05-01", g)
	}
}
