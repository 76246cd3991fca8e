package ledger

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/ops/mail"
	"github.com/lagrieta/itlag/ops/mail/dmarc"
)

func report(org, id, domain string, end time.Time, rows ...dmarc.Row) mail.Notice {
	return mail.Notice{Kind: "dmarc.report", Provider: "dmarc", Summary: "DMARC report from " + org,
		DMARC: &dmarc.Report{Org: org, ReportID: id, Domain: domain, Begin: end.Add(-day), End: end, Rows: rows}}
}

func row(ip string, n int, dkim, spf string) dmarc.Row {
	return dmarc.Row{SourceIP: ip, Count: n, DKIM: dkim, SPF: spf}
}

func TestDMARC(t *testing.T) {
	fx := newFixture(t)
	google := report("google.com", "g1", "lagrieta.es", t0,
		row("192.0.2.1", 10, "pass", "fail"), row("198.51.100.7", 3, "fail", "fail"), row("203.0.113.9", 1, "fail", "fail"))
	fx.record(msg{uid: 1, id: "g1@google", body: "1", notices: []mail.Notice{google}})
	// the same report mailed again (another Message-ID): not counted twice
	fx.record(msg{uid: 2, id: "g1b@google", body: "2", notices: []mail.Notice{google}})
	fx.record(msg{uid: 3, id: "m1@ms", body: "3", notices: []mail.Notice{report("microsoft.com", "m1", "lagrieta.es", t0,
		row("192.0.2.1", 5, "pass", "pass"), row("198.51.100.7", 2, "fail", "fail"))}})
	fx.record(msg{uid: 4, id: "m2@ms", body: "4", notices: []mail.Notice{report("microsoft.com", "m2", "other.es", t0,
		row("192.0.2.1", 4, "fail", "pass"))}})
	// a report from before the lookback
	fx.record(msg{uid: 5, id: "old@ms", body: "5", notices: []mail.Notice{report("microsoft.com", "m0", "lagrieta.es", t0.Add(-40*day),
		row("198.51.100.7", 50, "fail", "fail"))}})

	sums, err := fx.l.DMARC(fx.ctx, t0.Add(-Lookback))
	if err != nil {
		t.Fatal(err)
	}
	want := []SourceSummary{
		{"lagrieta.es", "192.0.2.1", 15, 0},
		{"lagrieta.es", "198.51.100.7", 5, 5},
		{"lagrieta.es", "203.0.113.9", 1, 1},
		{"other.es", "192.0.2.1", 4, 0},
	}
	if !slices.Equal(sums, want) {
		t.Errorf("sums\n%v\nwant\n%v", sums, want)
	}
	fs := fx.findings()
	if len(fs) != 1 {
		t.Fatalf("findings %v: want one, for lagrieta.es", fs)
	}
	f := fs[0]
	wantF := finding.New(finding.Medium, "mail:dmarc", "dmarc/lagrieta.es", "")
	if f.Fingerprint != wantF.Fingerprint || f.Severity != finding.Medium ||
		f.Summary != "DMARC: 6 of 21 messages claiming lagrieta.es failed (sources: 198.51.100.7 (5), 203.0.113.9 (1))" {
		t.Errorf("finding %+v", f)
	}
}

func TestMessageFindings(t *testing.T) {
	fx := newFixture(t)
	fx.record(msg{uid: 1, tooBig: true, received: t0.Add(-40 * day)}) // before the lookback
	fx.record(msg{uid: 2, tooBig: true, received: t0.Add(-2 * day)})
	big := msg{uid: 3, tooBig: true, received: t0.Add(-day)}
	f, m := big.fetched()
	m = &mail.Message{MessageID: "big@x", Subject: "Scanned contract"} // the headers, read apart
	if _, err := fx.l.Record(fx.ctx, "office", f, m, nil); err != nil {
		t.Fatal(err)
	}
	fx.record(msg{uid: 4, bad: true, body: "x"})
	fx.now = t0.Add(time.Hour)
	fs := fx.findings()
	got := make([]string, len(fs))
	for i, f := range fs {
		got[i] = fmt.Sprintf("%s %s: %s", f.Severity, f.Source, f.Summary)
	}
	want := []string{
		`medium mail:it: 1 message in it was larger than the cap and was not read: look at it by hand (subjects: INBOX UID 2, 52428800 bytes)`,
		`medium mail:office: 1 message in office was larger than the cap and was not read: look at it by hand (subjects: "Scanned contract")`,
		`low mail:it: 1 message in it could not be parsed: look at it by hand (subjects: INBOX UID 4, 1000 bytes)`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for uid := uint32(10); uid < 17; uid++ {
		fx.record(msg{uid: uid, tooBig: true, received: t0.Add(time.Duration(uid) * time.Minute)})
	}
	fs = fx.findings()
	if s := fs[0].Summary; !strings.HasPrefix(s, "8 messages in it were larger") || !strings.HasSuffix(s, "and 3 more)") {
		t.Errorf("summary %s", s)
	}
	if fs[0].Fingerprint != finding.New(finding.Medium, "mail:it", "too-big", "").Fingerprint {
		t.Errorf("fingerprint changed with the count")
	}
}

func TestFindingsOrder(t *testing.T) {
	fx := newFixture(t)
	var all []msg
	for i, m := range mixed() {
		m.uid = uint32(100 + i)
		all = append(all, m)
	}
	all = append(all,
		msg{uid: 1, id: "n1@x", body: "n1", notices: []mail.Notice{notice("synology.volume-degraded", finding.Critical, mail.AreaNAS, "office")}},
		msg{uid: 2, id: "n2@x", body: "n2", notices: []mail.Notice{notice("restic.failed", finding.High, mail.AreaBackup, "nightly")}},
		msg{uid: 3, id: "n3@x", body: "n3", notices: []mail.Notice{notice("cron.failed", finding.Low, mail.AreaBackup, "rotate")}},
	)
	for _, m := range all {
		fx.record(m)
	}
	first := fx.findings()
	if len(first) != 8 {
		t.Fatalf("%d findings: %v", len(first), fingerprints(first))
	}
	if !slices.IsSortedFunc(first, func(a, b finding.Finding) int {
		if c := a.Severity.Rank() - b.Severity.Rank(); c != 0 {
			return c
		}
		if c := strings.Compare(a.Source, b.Source); c != 0 {
			return c
		}
		return strings.Compare(a.Fingerprint, b.Fingerprint)
	}) {
		t.Errorf("not sorted: %v", fingerprints(first))
	}
	for range 3 {
		if again := fx.findings(); !slices.Equal(fingerprints(again), fingerprints(first)) {
			t.Fatalf("order changed: %v", fingerprints(again))
		}
	}
}
