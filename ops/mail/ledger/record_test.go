package ledger

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/ops/mail"
	"github.com/lagrieta/itlag/ops/mail/dmarc"
)

// mixed is one message of each outcome, and notices of each sort.
func mixed() []msg {
	return []msg{
		{uid: 1, id: "a@noip", body: "confirm", notices: []mail.Notice{noipRequest(t0.Add(5*day), "https://www.noip.com/confirm?x=1")}},
		{uid: 2, id: "b@godaddy", body: "failed", notices: []mail.Notice{{
			Kind: "godaddy.payment-failed", Provider: "godaddy", Severity: finding.High,
			Area: mail.AreaDomain, Target: "lagrieta.es", Summary: "GoDaddy could not charge the renewal of lagrieta.es",
			Date: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC),
		}}},
		{uid: 3, id: "c@news", body: "newsletter"},
		{uid: 4, tooBig: true},
		{uid: 5, id: "", body: "garbage", bad: true},
		{uid: 6, id: "d@google", body: "dmarc", notices: []mail.Notice{{
			Kind: "dmarc.report", Provider: "dmarc", Summary: "DMARC report", DMARC: &dmarc.Report{
				Org: "google.com", ReportID: "r1", Domain: "lagrieta.es", Begin: t0.Add(-day), End: t0,
				Rows: []dmarc.Row{{SourceIP: "192.0.2.1", Count: 10, DKIM: "pass", SPF: "pass"}, {SourceIP: "198.51.100.7", Count: 3, DKIM: "fail", SPF: "fail"}},
			},
		}}},
	}
}

func TestRecordOutcomes(t *testing.T) {
	fx := newFixture(t)
	want := []string{OutcomeMatched, OutcomeMatched, OutcomeUnmatched, OutcomeTooBig, OutcomeMalformed, OutcomeMatched}
	for i, m := range mixed() {
		out := fx.record(m)
		if out.Result != want[i] || out.Again {
			t.Errorf("message %d: result %q again %v, want %q", m.uid, out.Result, out.Again, want[i])
		}
	}
	counts, err := fx.l.Counts(fx.ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if counts[OutcomeMatched] != 3 || counts[OutcomeUnmatched] != 1 || counts[OutcomeTooBig] != 1 || counts[OutcomeMalformed] != 1 {
		t.Errorf("counts %v", counts)
	}
	if counts, _ := fx.l.Counts(fx.ctx, t0.Add(time.Second)); len(counts) != 0 {
		t.Errorf("counts since after the pass: %v, want none", counts)
	}
}

func TestRecordAgainChangesNothing(t *testing.T) {
	fx := newFixture(t)
	var first []Outcome
	for _, m := range mixed() {
		first = append(first, fx.record(m))
	}
	fs1, ns1, cs1 := fx.findings(), fx.notices(false), fx.confirmations(true)
	if len(fs1) == 0 {
		t.Fatal("no findings")
	}
	fx.now = fx.now.Add(time.Hour) // a later pass hands the same messages over again
	for i, m := range mixed() {
		out := fx.record(m)
		if !out.Again || out.Result != first[i].Result || out.MessageID != first[i].MessageID {
			t.Errorf("message %d again: %+v, want again with result %q", m.uid, out, first[i].Result)
		}
		if len(out.Opened)+len(out.Closed) != 0 {
			t.Errorf("message %d again opened %v closed %v", m.uid, out.Opened, out.Closed)
		}
		if len(out.Notices) != len(first[i].Notices) {
			t.Errorf("message %d again: %d notices, want the %d stored", m.uid, len(out.Notices), len(first[i].Notices))
		}
	}
	fs2 := fx.findings()
	if !slices.Equal(fingerprints(fs1), fingerprints(fs2)) {
		t.Errorf("findings changed:\n%v\n%v", fingerprints(fs1), fingerprints(fs2))
	}
	if ns2, cs2 := fx.notices(false), fx.confirmations(true); !slices.EqualFunc(ns1, ns2, func(a, b Notice) bool { return a == b }) ||
		len(cs1) != len(cs2) || cs1[0].Deadline != cs2[0].Deadline {
		t.Errorf("store changed: %d→%d notices, %d→%d confirmations", len(ns1), len(ns2), len(cs1), len(cs2))
	}
	sums, err := fx.l.DMARC(fx.ctx, time.Time{})
	if err != nil || len(sums) != 2 || sums[1].Messages != 3 {
		t.Errorf("dmarc after again: %v %v", sums, err)
	}
}

func TestRecordDuplicates(t *testing.T) {
	req := noipRequest(t0.Add(5*day), "https://www.noip.com/confirm?x=1")
	first := msg{uv: 1, uid: 10, id: "a@noip", body: "confirm", notices: []mail.Notice{req}}
	tests := []struct {
		name  string
		again msg
		want  string
	}{
		{"new UIDVALIDITY", msg{uv: 2, uid: 1, id: "a@noip", body: "confirm", notices: []mail.Notice{req}}, OutcomeDuplicate},
		{"another folder", msg{folder: "Archive", uv: 7, uid: 3, id: "a@noip", body: "confirm", notices: []mail.Notice{req}}, OutcomeDuplicate},
		{"same Message-ID, other bytes", msg{uv: 2, uid: 1, id: "a@noip", body: "confirm again", notices: []mail.Notice{req}}, OutcomeMatched},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fx := newFixture(t)
			fx.record(first)
			fx.record(msg{uv: 1, uid: 11, tooBig: true})
			notices := len(fx.notices(false))
			open := fx.confirmations(false)
			out := fx.record(tc.again)
			if out.Result != tc.want || out.Again {
				t.Fatalf("result %q again %v, want %q", out.Result, out.Again, tc.want)
			}
			if tc.want != OutcomeDuplicate {
				return
			}
			if len(out.Notices)+len(out.Opened)+len(out.Closed) != 0 {
				t.Errorf("a duplicate did something: %+v", out)
			}
			if n := len(fx.notices(false)); n != notices {
				t.Errorf("%d notices, want %d", n, notices)
			}
			if cs := fx.confirmations(false); !reflect.DeepEqual(cs, open) {
				t.Errorf("confirmations %+v, want %+v", cs, open)
			}
		})
	}
	t.Run("too big again is a duplicate", func(t *testing.T) {
		fx := newFixture(t)
		fx.record(msg{uv: 1, uid: 11, tooBig: true})
		if out := fx.record(msg{uv: 2, uid: 11, tooBig: true}); out.Result != OutcomeDuplicate {
			t.Errorf("result %q, want duplicate (same size and INTERNALDATE)", out.Result)
		}
		if out := fx.record(msg{uv: 2, uid: 12, tooBig: true, received: t0.Add(time.Minute)}); out.Result != OutcomeTooBig {
			t.Errorf("result %q, want too-big (another INTERNALDATE)", out.Result)
		}
	})
}
