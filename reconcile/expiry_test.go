package reconcile

import (
	"strings"
	"testing"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/providers"
)

func TestExpirySeverity(t *testing.T) {
	def := DefaultReminders
	tests := []struct {
		days  int
		leads []int
		auto  bool
		want  finding.Severity
	}{
		{days: 90, leads: def, want: ""},
		{days: 31, leads: def, want: ""},
		{days: 30, leads: def, want: finding.Low},
		{days: 15, leads: def, want: finding.Low},
		{days: 14, leads: def, want: finding.Medium},
		{days: 8, leads: def, want: finding.Medium},
		{days: 7, leads: def, want: finding.High},
		{days: 1, leads: def, want: finding.High},
		{days: 0, leads: def, want: finding.Critical},
		{days: -3, leads: def, want: finding.Critical},
		// Renewing by itself: a reminder, never more, until the day.
		{days: 5, leads: def, auto: true, want: finding.Low},
		{days: 0, leads: def, auto: true, want: finding.Critical},
		{days: 40, leads: def, auto: true, want: ""},
		// Custom lead times, in any order.
		{days: 6, leads: []int{3, 7}, want: finding.Low},
		{days: 3, leads: []int{3, 7}, want: finding.Medium},
		{days: 2, leads: []int{7}, want: finding.Low},
	}
	for _, tt := range tests {
		if got := ExpirySeverity(tt.days, tt.leads, tt.auto); got != tt.want {
			t.Errorf("ExpirySeverity(%d, %v, auto %t) = %q, want %q", tt.days, tt.leads, tt.auto, got, tt.want)
		}
	}
}

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ptr[T any](v T) *T { return &v }

func TestExpiries(t *testing.T) {
	at := time.Date(2026, 11, 26, 20, 30, 0, 0, time.UTC)
	d := Desired{
		Domains: []Domain{
			{Name: "observed.es", Registrar: "godaddy", Expires: date("2027-06-01"), Reminders: DefaultReminders,
				Settings: providers.DomainSettings{RenewAuto: ptr(true)}},
			{Name: "declared.es", Registrar: "godaddy", Expires: date("2026-12-03"), Reminders: DefaultReminders},
			{Name: "unknown.es", Registrar: "godaddy", Reminders: DefaultReminders},
			{Name: "gone.es", Registrar: "godaddy", Reminders: DefaultReminders},
		},
		Subscriptions: []Subscription{
			{Name: "noip-host", Kind: "dns-hostname", Provider: "noip", Renews: date("2026-12-06"), Reminders: []int{14, 7, 1}},
			{Name: "cf-plan", Kind: "plan", Provider: "cloudflare", Renews: date("2026-11-20"), AutoRenew: true, Reminders: DefaultReminders},
			{Name: "cert", Kind: "certificate", Provider: "acme", Renews: date("2026-11-26"), Reminders: DefaultReminders},
			{Name: "later", Kind: "plan", Provider: "x", Renews: date("2027-11-26"), Reminders: DefaultReminders},
		},
	}
	o := Observed{At: at, Domains: map[string]providers.Domain{
		// The registrar's date wins over the declared one; auto-renew off
		// while the state expects it on is high.
		"godaddy:observed.es": {Name: "observed.es", Status: "ACTIVE", Expires: time.Date(2026, 12, 10, 11, 0, 0, 0, time.UTC)},
		"godaddy:gone.es":     {Name: "gone.es", Status: "EXPIRED", Expires: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)},
	}}
	type row struct {
		source string
		days   int
		sev    finding.Severity
		note   string
	}
	want := map[string]row{
		"observed.es": {SourceObserved, 14, finding.High, "auto-renew off at godaddy"},
		"declared.es": {SourceDeclared, 7, finding.High, "lapses in 7 days"},
		"unknown.es":  {SourceUnknown, 0, finding.Medium, "expiry unknown"},
		"gone.es":     {SourceObserved, -25, finding.Critical, "lapsed on 2026-11-01"},
		"noip-host":   {SourceDeclared, 10, finding.Low, "lapses in 10 days"},
		"cf-plan":     {SourceDeclared, -6, finding.High, "declared renewal date 2026-11-20 passed 6 days ago"},
		"cert":        {SourceDeclared, 0, finding.Critical, "lapses today"},
		"later":       {SourceDeclared, 365, "", "365 days left"},
	}
	es := Expiries(d, o)
	if len(es) != len(want) {
		t.Fatalf("got %d expiries, want %d", len(es), len(want))
	}
	for _, e := range es {
		w := want[e.Name]
		if e.Source != w.source || e.DaysLeft != w.days || e.Severity != w.sev || !strings.HasPrefix(e.Note, w.note) {
			t.Errorf("%s: source %s, %d days, severity %q, note %q; want %s, %d, %q, %q…",
				e.Name, e.Source, e.DaysLeft, e.Severity, e.Note, w.source, w.days, w.sev, w.note)
		}
	}
	fs := ExpiryFindings(es)
	if fs[0].Severity != finding.Critical {
		t.Errorf("findings not sorted by severity: %v", fs)
	}
	// observed.es: 14 days and auto-renew observed off (so not capped at
	// low): a medium expiry finding, plus the high auto-renew one.
	var got []string
	for _, f := range fs {
		if f.Source == "godaddy:observed.es" {
			got = append(got, string(f.Severity))
		}
	}
	if strings.Join(got, ",") != "high,medium" {
		t.Errorf("observed.es findings %v, want high (auto-renew off) and medium (14 days)", got)
	}
}

// TestExpiryFingerprintStable: the same subscription keeps its fingerprint
// as the days pass and the severity escalates, so drift updates one
// incident instead of opening a new one each day.
func TestExpiryFingerprintStable(t *testing.T) {
	d := Desired{Subscriptions: []Subscription{{Name: "s", Kind: "plan", Provider: "x", Renews: date("2026-12-31"), Reminders: DefaultReminders}}}
	fp := map[string]bool{}
	for _, at := range []string{"2026-12-10", "2026-12-20", "2026-12-30", "2027-01-02"} {
		fs := ExpiryFindings(Expiries(d, Observed{At: date(at)}))
		if len(fs) != 1 {
			t.Fatalf("%s: %d findings, want 1", at, len(fs))
		}
		fp[fs[0].Fingerprint] = true
	}
	if len(fp) != 1 {
		t.Errorf("fingerprint changed across days: %v", fp)
	}
}

// TestExpiriesMailed: a date a provider's mail told wins over the declared
// one (the newest mail first) and fills an unknown one, but not over the
// registrar's own answer.
func TestExpiriesMailed(t *testing.T) {
	at := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	d := Desired{
		Domains: []Domain{
			{Name: "observed.es", Registrar: "godaddy", Reminders: DefaultReminders},
			{Name: "mailed.es", Registrar: "godaddy", Expires: date("2027-06-01"), Reminders: DefaultReminders},
		},
		Subscriptions: []Subscription{
			{Name: "lagrieta.ddns.net", Kind: "dns-hostname", Provider: "noip", Renews: date("2026-12-20"), Reminders: ConfirmReminders},
			{Name: "other.ddns.net", Kind: "dns-hostname", Provider: "noip", FillIn: "ddns.other.ddns.net.confirm_by", Reminders: ConfirmReminders},
		},
	}
	recv := func(day int) time.Time { return time.Date(2026, 12, day, 8, 0, 0, 0, time.UTC) }
	o := Observed{At: at,
		Domains: map[string]providers.Domain{"godaddy:observed.es": {Name: "observed.es", Status: "ACTIVE", Expires: date("2027-03-01")}},
		Mailed: []MailedDate{
			{Area: "domain", Target: "observed.es", Date: date("2026-12-09"), Kind: "godaddy.renewal-notice", ReceivedAt: recv(1)},
			{Area: "domain", Target: "mailed.es", Date: date("2026-12-27"), Kind: "godaddy.renewal-notice", ReceivedAt: recv(2)},
			{Area: "ddns", Target: "lagrieta.ddns.net", Date: date("2026-12-08"), Kind: "noip.confirm-request", ReceivedAt: recv(3)},
			{Area: "ddns", Target: "lagrieta.ddns.net", Date: date("2026-12-11"), Kind: "noip.confirm-request", ReceivedAt: recv(5)},
			{Area: "ddns", Target: "other.ddns.net", Date: date("2026-12-10"), Kind: "noip.confirm-request", ReceivedAt: recv(4)},
		},
	}
	want := map[string]struct {
		source string
		days   int
	}{
		"observed.es":       {SourceObserved, 84},
		"mailed.es":         {SourceMail, 20},
		"lagrieta.ddns.net": {SourceMail, 4},
		"other.ddns.net":    {SourceMail, 3},
	}
	for _, e := range Expiries(d, o) {
		w := want[e.Name]
		if e.Source != w.source || e.DaysLeft != w.days {
			t.Errorf("%s: %s, %d days; want %s, %d", e.Name, e.Source, e.DaysLeft, w.source, w.days)
		}
		if e.Source == SourceMail && e.MailedBy == "" {
			t.Errorf("%s: MailedBy empty", e.Name)
		}
	}
}
