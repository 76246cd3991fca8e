package ledger

import (
	"context"
	"testing"
	"time"

	"github.com/lagrieta/itlag/store/storetest"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/ops/mail"
	"github.com/lagrieta/itlag/ops/mail/inbox"
)

var t0 = time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)

const account = "it"

// fixture is a ledger on a temporary store with a settable clock.
type fixture struct {
	t   testing.TB
	ctx context.Context
	l   *Ledger
	now time.Time
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	db := storetest.Open(t)
	fx := &fixture{t: t, ctx: context.Background(), now: t0}
	fx.l = New(db, func() time.Time { return fx.now })
	return fx
}

// msg is one message to record: where it is, what it says.
type msg struct {
	folder   string
	uv, uid  uint32
	id       string    // Message-ID
	body     string    // makes the digest
	received time.Time // INTERNALDATE (zero: t0)
	tooBig   bool
	bad      bool // malformed: no Message
	subject  string
	notices  []mail.Notice
}

func (m msg) fetched() (inbox.Fetched, *mail.Message) {
	f := inbox.Fetched{Folder: m.folder, UIDValidity: m.uv, UID: m.uid, InternalDate: m.received, TooBig: m.tooBig, Size: 1000}
	if f.Folder == "" {
		f.Folder = "INBOX"
	}
	if f.UIDValidity == 0 {
		f.UIDValidity = 1
	}
	if f.InternalDate.IsZero() {
		f.InternalDate = t0
	}
	if m.tooBig {
		f.Size = 50 << 20
	} else {
		f.Raw = []byte("Message-ID: <" + m.id + ">\r\nSubject: " + m.subject + "\r\n\r\n" + m.body)
	}
	if m.bad {
		return f, nil
	}
	return f, &mail.Message{MessageID: m.id, From: mail.Address{Address: "no-reply@noip.com"}, Subject: m.subject, Date: f.InternalDate}
}

func (fx *fixture) record(m msg) Outcome {
	fx.t.Helper()
	f, parsed := m.fetched()
	out, err := fx.l.Record(fx.ctx, account, f, parsed, m.notices)
	if err != nil {
		fx.t.Fatalf("record %s: %v", f.Key(), err)
	}
	return out
}

func (fx *fixture) findings() []finding.Finding {
	fx.t.Helper()
	fs, err := fx.l.Findings(fx.ctx, fx.now)
	if err != nil {
		fx.t.Fatal(err)
	}
	return fs
}

func (fx *fixture) notices(openOnly bool) []Notice {
	fx.t.Helper()
	ns, err := fx.l.Notices(fx.ctx, openOnly)
	if err != nil {
		fx.t.Fatal(err)
	}
	return ns
}

func (fx *fixture) confirmations(all bool) []Confirmation {
	fx.t.Helper()
	cs, err := fx.l.Confirmations(fx.ctx, all)
	if err != nil {
		fx.t.Fatal(err)
	}
	return cs
}

// The notices of the NoIP confirmation cycle, built as the classifier
// would.
const noipKey = "noip:hostname:lagrieta.ddns.net"

func noipRequest(deadline time.Time, link string) mail.Notice {
	return mail.Notice{
		Kind: "noip.confirm-request", Provider: "noip", Severity: finding.Medium,
		Area: mail.AreaDDNS, Target: "lagrieta.ddns.net", Summary: "NoIP asks to confirm lagrieta.ddns.net",
		Link: link, Date: deadline, Verified: true,
		Confirm: &mail.Request{Key: noipKey, What: "click the link to keep lagrieta.ddns.net", Link: link, Deadline: deadline},
	}
}

func noipConfirmed() mail.Notice {
	return mail.Notice{
		Kind: "noip.confirmed", Provider: "noip", Area: mail.AreaDDNS, Target: "lagrieta.ddns.net",
		Summary: "lagrieta.ddns.net confirmed", Closes: []string{noipKey, "noip.expired"}, Verified: true,
	}
}

func fingerprints(fs []finding.Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = string(f.Severity) + " " + f.Source + " " + f.Fingerprint
	}
	return out
}
