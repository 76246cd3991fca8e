package ledger

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/ops/mail"
)

const day = 24 * time.Hour

func TestConfirmationCycle(t *testing.T) {
	fx := newFixture(t)
	// the request: one open confirmation, the notice handed over to it
	out := fx.record(msg{uid: 1, id: "req1@noip", body: "1", received: t0, notices: []mail.Notice{noipRequest(t0.Add(7*day), "https://www.noip.com/c/1")}})
	if len(out.Opened) != 1 || out.Opened[0].Key != noipKey || !out.Opened[0].Deadline.Equal(t0.Add(7*day)) || out.Opened[0].What == "" {
		t.Fatalf("opened %+v", out.Opened)
	}
	id := out.Opened[0].ID
	if ns := fx.notices(true); len(ns) != 0 {
		t.Errorf("open notices %+v: the confirmation stands for the request", ns)
	}
	// a reminder: the same confirmation, a new deadline and link
	out = fx.record(msg{uid: 2, id: "req2@noip", body: "2", received: t0.Add(3 * day), notices: []mail.Notice{noipRequest(t0.Add(9*day), "https://www.noip.com/c/2")}})
	cs := fx.confirmations(false)
	if len(cs) != 1 || cs[0].ID != id || !cs[0].Deadline.Equal(t0.Add(9*day)) || cs[0].Link != "https://www.noip.com/c/2" {
		t.Fatalf("after the reminder: %+v", cs)
	}
	if len(out.Opened) != 1 || out.Opened[0].ID != id {
		t.Errorf("reminder opened %+v, want the renewed confirmation %d", out.Opened, id)
	}
	// the follow-up closes it
	fx.now = t0.Add(5 * day)
	out = fx.record(msg{uid: 3, id: "ok@noip", body: "3", received: t0.Add(4 * day), notices: []mail.Notice{noipConfirmed()}})
	if len(out.Closed) != 1 || out.Closed[0].ID != id || out.Closed[0].ClosedBy != "mail:ok@noip" || !out.Closed[0].ClosedAt.Equal(t0.Add(4*day)) {
		t.Fatalf("closed %+v", out.Closed)
	}
	if cs := fx.confirmations(false); len(cs) != 0 {
		t.Errorf("open after the follow-up: %+v", cs)
	}
	// a reminder read out of order (older than the follow-up) opens nothing
	out = fx.record(msg{folder: "Old", uid: 1, id: "req1b@noip", body: "1b", received: t0.Add(2 * day), notices: []mail.Notice{noipRequest(t0.Add(7*day), "https://www.noip.com/c/1")}})
	if len(out.Opened) != 0 || len(fx.confirmations(false)) != 0 {
		t.Errorf("a stale request opened %+v", out.Opened)
	}
	// next month's request opens a new one
	fx.now = t0.Add(31 * day)
	out = fx.record(msg{uid: 4, id: "req3@noip", body: "4", received: t0.Add(30 * day), notices: []mail.Notice{noipRequest(t0.Add(37*day), "https://www.noip.com/c/3")}})
	if len(out.Opened) != 1 || out.Opened[0].ID == id {
		t.Fatalf("next request opened %+v", out.Opened)
	}
	if all := fx.confirmations(true); len(all) != 2 || all[0].State != stateDone || all[1].State != stateOpen {
		t.Errorf("all confirmations %+v", all)
	}
}

func TestConfirmationCarriesAutoConfirm(t *testing.T) {
	fx := newFixture(t)
	n := noipRequest(t0.Add(7*day), "https://www.noip.com/c/1")
	n.AutoConfirm, n.LinkHosts = true, []string{"www.noip.com"}
	out := fx.record(msg{uid: 1, id: "r@x", notices: []mail.Notice{n}})
	if len(out.Opened) != 1 || !out.Opened[0].AutoConfirm || out.Opened[0].LinkHosts[0] != "www.noip.com" {
		t.Errorf("opened %+v", out.Opened)
	}
	c := noipConfirmed()
	c.AutoConfirm, c.LinkHosts = true, []string{"www.noip.com"}
	out = fx.record(msg{uid: 2, id: "c@x", received: t0.Add(time.Hour), notices: []mail.Notice{c}})
	if len(out.Closed) != 1 || !out.Closed[0].AutoConfirm {
		t.Errorf("closed %+v", out.Closed)
	}
}

func TestConfirmByHand(t *testing.T) {
	fx := newFixture(t)
	id := fx.record(msg{uid: 1, id: "r@x", notices: []mail.Notice{noipRequest(t0.Add(7*day), "https://x")}}).Opened[0].ID
	auto := fx.record(msg{uid: 2, id: "r2@x", notices: []mail.Notice{{Kind: "godaddy.verify-contact", Provider: "godaddy",
		Severity: finding.Medium, Summary: "verify", Confirm: &mail.Request{Key: "godaddy:contact:lagrieta.es", What: "verify"}}}}).Opened[0].ID
	fx.now = t0.Add(time.Hour)

	c, err := fx.l.Confirm(fx.ctx, id, "clicked it")
	if err != nil || c.State != stateDone || c.ClosedBy != "person" || c.Note != "clicked it" || !c.ClosedAt.Equal(fx.now) {
		t.Fatalf("confirm: %+v %v", c, err)
	}
	if c, err := fx.l.CloseAuto(fx.ctx, auto, "followed"); err != nil || c.ClosedBy != "auto" {
		t.Fatalf("close auto: %+v %v", c, err)
	}
	tests := []struct {
		name string
		id   int64
		is   error
		says string
	}{
		{"already done by a person", id, ErrDone, "by person"},
		{"already done automatically", auto, ErrDone, "by auto"},
		{"unknown", 999, ErrNotFound, "confirmation 999"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := fx.l.Confirm(fx.ctx, tc.id, "again")
			if !errors.Is(err, tc.is) || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("error %v, want %v saying %q", err, tc.is, tc.says)
			}
		})
	}
	if cs := fx.confirmations(false); len(cs) != 0 {
		t.Errorf("still open: %+v", cs)
	}
}

func TestConfirmationSeverity(t *testing.T) {
	deadline := t0.Add(10 * day)
	tests := []struct {
		before time.Duration // how long before the deadline
		want   finding.Severity
		days   int
	}{
		{30 * day, finding.Low, 30},
		{7*day + time.Second, finding.Low, 8},
		{7 * day, finding.Medium, 7},
		{3*day + time.Hour, finding.Medium, 4},
		{3 * day, finding.High, 3},
		{time.Second, finding.High, 1},
		{0, finding.Critical, 0},
		{-2 * day, finding.Critical, 0},
	}
	for _, tc := range tests {
		t.Run(tc.before.String(), func(t *testing.T) {
			sev, days := ConfirmationSeverity(deadline, deadline.Add(-tc.before))
			if sev != tc.want || days != tc.days {
				t.Errorf("%s before: %s, %d days; want %s, %d", tc.before, sev, days, tc.want, tc.days)
			}
		})
	}
	if sev, days := ConfirmationSeverity(time.Time{}, t0); sev != finding.Medium || days != -1 {
		t.Errorf("unknown deadline: %s %d", sev, days)
	}
}

func TestConfirmationFinding(t *testing.T) {
	fx := newFixture(t)
	out := fx.record(msg{uid: 1, id: "r@x", notices: []mail.Notice{noipRequest(t0.Add(5*day), "https://www.noip.com/c/1")}})
	id := out.Opened[0].ID
	fs := fx.findings()
	if len(fs) != 1 {
		t.Fatalf("findings %v", fs)
	}
	want := "confirm lagrieta.ddns.net at noip by 2026-03-09 (5 days left): https://www.noip.com/c/1 — then `itlag mail confirm 1`"
	if f := fs[0]; f.Severity != finding.Medium || f.Source != "mail:confirmation" || f.Summary != want || id != 1 {
		t.Errorf("finding %+v\nwant summary %s", f, want)
	}
	// a day before: high, the same fingerprint
	fx.now = t0.Add(4*day + time.Hour)
	if f := fx.findings()[0]; f.Severity != finding.High || f.Fingerprint != fs[0].Fingerprint || !strings.Contains(f.Summary, "(1 day left)") {
		t.Errorf("a day before: %+v", f)
	}
	fx.now = t0.Add(6 * day)
	if f := fx.findings()[0]; f.Severity != finding.Critical || !strings.Contains(f.Summary, "the deadline has passed") {
		t.Errorf("after: %+v", f)
	}
}

func TestRequestClosingItsOwnKeyRenews(t *testing.T) {
	fx := newFixture(t)
	id := fx.record(msg{uid: 1, id: "r1@x", notices: []mail.Notice{noipRequest(t0.Add(7*day), "https://x/1")}}).Opened[0].ID
	n := noipRequest(t0.Add(9*day), "https://x/2")
	n.Closes = []string{noipKey}
	out := fx.record(msg{uid: 2, id: "r2@x", body: "2", received: t0.Add(day), notices: []mail.Notice{n}})
	if len(out.Closed) != 0 || len(out.Opened) != 1 || out.Opened[0].ID != id || out.Opened[0].Link != "https://x/2" {
		t.Errorf("closed %+v opened %+v, want %d renewed", out.Closed, out.Opened, id)
	}
}
