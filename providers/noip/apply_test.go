package noip_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/noip"
	"github.com/lagrieta/itlag/providers/noip/noiptest"
)

// TestAnswers sends one update of home.ddns.net for each answer NoIP can
// give and checks the error, the hold recorded, what the next observation
// says, and that a held host is not sent again.
func TestAnswers(t *testing.T) {
	tests := []struct {
		name     string
		setup    func(e *env)
		edit     func(c *noip.Config)
		wantErr  string // "" = success
		holdHost string // "-" = no hold
		code     string
		until    time.Duration // 0 = until cleared
		severity finding.Severity
		advice   string // in the finding
	}{
		{name: "good", holdHost: "-"},
		{name: "nochg", setup: func(e *env) { e.fake.AddHost("home.ddns.net", publicIP) }, // DNS lags behind NoIP
			edit: func(c *noip.Config) { c.Resolver = staleDNS(oldIP) }, holdHost: "-"},
		{name: "nohost", setup: func(e *env) { e.fake.RemoveHost("home.ddns.net") },
			wantErr: "not in the account of " + userRef, holdHost: "home.ddns.net", code: "nohost",
			severity: finding.High, advice: "add it at noip.com or fix the state, then run `itlag ddns clear home.ddns.net`"},
		{name: "badauth via 401", edit: func(c *noip.Config) { c.Password = "wrong-password" },
			wantErr: "refused the credentials from " + userRef + " / " + passRef, holdHost: "", code: "badauth",
			severity: finding.High, advice: "check them, then run `itlag ddns clear`"},
		{name: "badauth in the body", setup: func(e *env) { e.fake.SetAnswer("", "badauth") },
			wantErr: "(badauth)", holdHost: "", code: "badauth", severity: finding.High, advice: "itlag ddns clear"},
		{name: "badagent", setup: func(e *env) { e.fake.SetAnswer("", "badagent") },
			wantErr: "badagent", holdHost: "", code: "badagent", severity: finding.High, advice: "report it to itlag's maintainers"},
		{name: "!donator", setup: func(e *env) { e.fake.SetAnswer("home.ddns.net", "!donator") },
			wantErr: "needs a paid NoIP plan", holdHost: "home.ddns.net", code: "!donator",
			severity: finding.Medium, advice: "itlag ddns clear home.ddns.net"},
		{name: "abuse", setup: func(e *env) { e.fake.SetAnswer("home.ddns.net", "abuse") },
			wantErr: "blocked the account for abuse", holdHost: "", code: "abuse",
			severity: finding.Critical, advice: "log in to noip.com"},
		{name: "911", setup: func(e *env) { e.fake.SetAnswer("", "911") },
			wantErr: "no retry before 2026-03-01T12:30:00Z", holdHost: "", code: "911", until: 30 * time.Minute,
			severity: finding.Medium, advice: "NoIP answered 911 at 2026-03-01T12:00:00Z"},
		{name: "unknown answer", setup: func(e *env) { e.fake.SetAnswer("home.ddns.net", "dnserr") },
			wantErr: `unexpected answer "dnserr"`, holdHost: "-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, map[string]string{"home.ddns.net": oldIP}, tt.edit)
			if tt.setup != nil {
				tt.setup(e)
			}
			want := public("home.ddns.net")
			_, errs := run(t, e.p, want)
			if len(errs) != 1 {
				t.Fatalf("%d errors, want 1 change", len(errs))
			}
			switch err := errs[0]; {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("apply: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("apply: %v, want an error with %q", err, tt.wantErr)
			}
			if e.fake.Requests() != 1 {
				t.Fatalf("%d requests, want 1", e.fake.Requests())
			}
			// every answer is in the history, with what was sent
			var n int
			if err := e.db.SQL().QueryRow(`SELECT count(*) FROM ddns_updates WHERE host = 'home.ddns.net' AND address = ?`, publicIP).Scan(&n); err != nil || n != 1 {
				t.Errorf("history: %d rows, %v; want 1", n, err)
			}
			hs := holds(t, e)
			if tt.holdHost == "-" {
				if len(hs) != 0 {
					t.Fatalf("holds %+v, want none", hs)
				}
				return
			}
			if len(hs) != 1 || hs[0].Host != tt.holdHost || hs[0].Code != tt.code || !hs[0].Since.Equal(t0) {
				t.Fatalf("holds %+v, want one on %q with code %s since %v", hs, tt.holdHost, tt.code, t0)
			}
			if wantUntil := t0.Add(tt.until); tt.until > 0 && !hs[0].Until.Equal(wantUntil) || tt.until == 0 && !hs[0].Until.IsZero() {
				t.Errorf("hold until %v, want %v", hs[0].Until, tt.until)
			}

			// the next run: held, with a finding saying what to do, and no request
			e.fake.SetAnswer("", "")
			e.fake.SetAnswer("home.ddns.net", "")
			e.clock.Add(time.Minute)
			e.restart(t)
			obs := observe(t, e.p, want)
			if st := obs.States[0]; st.Held == "" {
				t.Fatalf("not held:%s", describe(obs))
			}
			var found bool
			for _, f := range obs.Findings {
				if f.Severity == tt.severity && strings.Contains(f.Summary, tt.advice) && f.Source == "noip:"+target {
					found = true
				}
			}
			if !found {
				t.Errorf("no %s finding with %q:%s", tt.severity, tt.advice, describe(obs))
			}
			errs = e.p.ApplyResources(ctx(t), target, []providers.Change{update("home.ddns.net", publicIP)})
			if errs[0] == nil || !strings.Contains(errs[0].Error(), "held: ") {
				t.Errorf("apply while held: %v", errs[0])
			}
			if e.fake.Requests() != 1 {
				t.Errorf("a held host was sent: %d requests", e.fake.Requests())
			}

			// a human clears it; the next run updates
			if tt.code == "911" {
				return // 911 ends by itself (Test911SurvivesRestart)
			}
			if n, err := noip.ClearHolds(ctx(t), e.db, target, ""); err != nil || n != 1 {
				t.Fatalf("ClearHolds: %d, %v", n, err)
			}
			if tt.edit != nil {
				e.cfg.Password = e.fake.Password() // the human fixed the credentials
				e.restart(t)
			}
			e.fake.AddHost("home.ddns.net", oldIP)
			_, errs = run(t, e.p, want)
			noErrors(t, errs)
			if e.fake.Requests() != 2 || e.fake.Address("home.ddns.net") != publicIP {
				t.Errorf("after clearing: %d requests, address %q", e.fake.Requests(), e.fake.Address("home.ddns.net"))
			}
		})
	}
}

// TestMixedAnswers sends four hosts in one request and gets four
// different answers, one per line in order.
func TestMixedAnswers(t *testing.T) {
	e := setup(t, map[string]string{"a.ddns.net": oldIP, "b.ddns.net": publicIP, "d.ddns.net": oldIP}, nil)
	e.fake.SetAnswer("d.ddns.net", "!donator")
	// c.ddns.net is not in the account
	want := public("a.ddns.net", "b.ddns.net", "c.ddns.net", "d.ddns.net")
	changes := []providers.Change{}
	for _, w := range want {
		changes = append(changes, update(w.Name, publicIP))
	}
	errs := e.p.ApplyResources(ctx(t), target, changes)
	if errs[0] != nil || errs[1] != nil {
		t.Errorf("good, nochg: %v, %v", errs[0], errs[1])
	}
	if errs[2] == nil || !strings.Contains(errs[2].Error(), "nohost for c.ddns.net") {
		t.Errorf("nohost: %v", errs[2])
	}
	if errs[3] == nil || !strings.Contains(errs[3].Error(), "!donator for d.ddns.net") {
		t.Errorf("!donator: %v", errs[3])
	}
	if e.fake.Requests() != 1 {
		t.Fatalf("%d requests, want 1", e.fake.Requests())
	}
	var answers []string
	for _, u := range e.fake.Updates() {
		answers = append(answers, u.Host+" "+u.Answer)
	}
	if got := strings.Join(answers, "; "); got != "a.ddns.net good 203.0.113.7; b.ddns.net nochg 203.0.113.7; c.ddns.net nohost; d.ddns.net !donator" {
		t.Errorf("fake saw: %s", got)
	}
	hs := holds(t, e)
	if len(hs) != 2 || hs[0].Host != "c.ddns.net" || hs[1].Host != "d.ddns.net" {
		t.Fatalf("holds %+v, want c and d", hs)
	}

	// the address changes: only a and b are sent, in one request
	e.fake.SetAnswer("d.ddns.net", "")
	changes = nil
	for _, w := range want {
		changes = append(changes, update(w.Name, "203.0.113.99"))
	}
	errs = e.p.ApplyResources(ctx(t), target, changes)
	if errs[0] != nil || errs[1] != nil {
		t.Errorf("a, b: %v, %v", errs[0], errs[1])
	}
	for _, err := range errs[2:] {
		if err == nil || !strings.Contains(err.Error(), "held: ") {
			t.Errorf("held host: %v", err)
		}
	}
	last := e.fake.Updates()[4:]
	if e.fake.Requests() != 2 || len(last) != 2 || last[0].Host != "a.ddns.net" || last[1].Host != "b.ddns.net" {
		t.Errorf("second request: %d requests, %+v", e.fake.Requests(), last)
	}

	// clearing one host frees only that host
	if n, err := noip.ClearHolds(ctx(t), e.db, target, "D.ddns.net."); err != nil || n != 1 {
		t.Fatalf("ClearHolds(d): %d, %v", n, err)
	}
	if hs := holds(t, e); len(hs) != 1 || hs[0].Host != "c.ddns.net" {
		t.Errorf("after clearing d: %+v", hs)
	}
}

// TestAccountHoldMidRequest: abuse for one host of a request holds the
// whole account, also for hosts of a later request in the same apply.
func TestAccountHoldMidRequest(t *testing.T) {
	e := setup(t, map[string]string{"a.ddns.net": oldIP, "b.ddns.net": oldIP, "c.ddns.net": oldIP}, nil)
	e.fake.SetAnswer("b.ddns.net", "abuse")
	errs := e.p.ApplyResources(ctx(t), target, []providers.Change{
		update("a.ddns.net", publicIP), update("b.ddns.net", publicIP),
		update("c.ddns.net", "192.0.2.50"), // another address: another request
	})
	if errs[0] != nil {
		t.Errorf("a: %v", errs[0])
	}
	if errs[1] == nil || !strings.Contains(errs[1].Error(), "abuse") {
		t.Errorf("b: %v", errs[1])
	}
	if errs[2] == nil || !strings.Contains(errs[2].Error(), "held: NoIP blocked the account for abuse") {
		t.Errorf("c: %v", errs[2])
	}
	if e.fake.Requests() != 1 {
		t.Errorf("%d requests, want 1: the second must not be sent after abuse", e.fake.Requests())
	}
	obs := observe(t, e.p, public("a.ddns.net", "c.ddns.net"))
	for _, st := range obs.States {
		if !strings.Contains(st.Held, "abuse") {
			t.Errorf("%s not held after abuse:%s", st.Live.Name, describe(obs))
		}
	}
	if len(obs.Findings) != 1 || obs.Findings[0].Severity != finding.Critical {
		t.Errorf("findings: %v, want one critical", obs.Findings)
	}
}

// TestBadChanges: changes that cannot be sent fail without a request.
func TestBadChanges(t *testing.T) {
	e := setup(t, map[string]string{"home.ddns.net": oldIP}, nil)
	empty := update("home.ddns.net", "")
	del := update("home.ddns.net", publicIP)
	del.Action = providers.Delete
	other := update("home.ddns.net", publicIP)
	other.Zone, other.Resource.Target = "office", "office"
	kind := update("home.ddns.net", publicIP)
	kind.Resource.After.Kind = providers.KindFile
	badAddr := update("home.ddns.net", "not-an-ip")
	badName := update("home", publicIP)
	record := update("home.ddns.net", publicIP)
	record.Resource = nil
	tests := []struct {
		name string
		c    providers.Change
		want string
	}{
		{"empty address", empty, "no address to send"},
		{"delete", del, "remove it at noip.com"},
		{"other target", other, `target "office"`},
		{"kind", kind, "only \"ddns-host\""},
		{"address", badAddr, "not an IP address"},
		{"hostname", badName, "want a full name"},
		{"not a resource", record, "not a change of a dynamic-DNS host"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := e.p.ApplyResources(ctx(t), target, []providers.Change{tt.c})
			if len(errs) != 1 || errs[0] == nil || !strings.Contains(errs[0].Error(), tt.want) {
				t.Errorf("got %v, want an error with %q", errs, tt.want)
			}
		})
	}
	twice := e.p.ApplyResources(ctx(t), target, []providers.Change{update("home.ddns.net", publicIP), update("HOME.ddns.net", "192.0.2.1")})
	if twice[0] != nil || twice[1] == nil || !strings.Contains(twice[1].Error(), "two changes") {
		t.Errorf("the same host twice: %v", twice)
	}
	if e.fake.Requests() != 1 {
		t.Errorf("%d requests, want 1 (the first change of the last apply)", e.fake.Requests())
	}
}

// TestUpdatesNeverRetried: with the default client, an update answered
// with HTTP 503 is sent once and fails; nothing is held.
func TestUpdatesNeverRetried(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	e := setup(t, nil, func(c *noip.Config) { c.APIURL, c.HTTPClient = srv.URL, nil })
	errs := e.p.ApplyResources(ctx(t), target, []providers.Change{update("home.ddns.net", publicIP), update("nas.ddns.net", publicIP)})
	for _, err := range errs {
		if err == nil || !strings.Contains(err.Error(), "HTTP 503") {
			t.Errorf("got %v, want HTTP 503", err)
		}
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("the update was sent %d times, want once", n)
	}
	if hs := holds(t, e); len(hs) != 0 {
		t.Errorf("holds %+v after a 503", hs)
	}
}

// TestAnswerLineCount: an answer with the wrong number of lines fails
// every host of the request and records nothing.
func TestAnswerLineCount(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("good 203.0.113.7\ngood 203.0.113.7\n"))
	}))
	defer srv.Close()
	e := setup(t, nil, func(c *noip.Config) { c.APIURL = srv.URL })
	errs := e.p.ApplyResources(ctx(t), target, []providers.Change{
		update("a.ddns.net", publicIP), update("b.ddns.net", publicIP), update("c.ddns.net", publicIP)})
	for _, err := range errs {
		if err == nil || !strings.Contains(err.Error(), "2 lines for 3 hosts") {
			t.Errorf("got %v", err)
		}
	}
	var n int
	if err := e.db.SQL().QueryRow(`SELECT count(*) FROM ddns_updates`).Scan(&n); err != nil || n != 0 {
		t.Errorf("history holds %d rows, %v", n, err)
	}
}

// TestIPv6 updates both families in one request and converges.
func TestIPv6(t *testing.T) {
	echo6 := noiptest.NewEcho("2001:db8::7")
	defer echo6.Close()
	e := setup(t, map[string]string{"home.ddns.net": oldIP}, func(c *noip.Config) { c.IPv6Sources = []string{echo6.URL()} })
	want := public("home.ddns.net")
	obs := observe(t, e.p, want)
	if st := obs.States[0]; st.Want == nil || *st.Want != publicIP+",2001:db8::7" || st.Live.Content != oldIP {
		t.Fatalf("observed:%s", describe(obs))
	}
	_, errs := run(t, e.p, want)
	noErrors(t, errs)
	u := e.fake.Updates()[0]
	if u.MyIP != publicIP || u.MyIPv6 != "2001:db8::7" || u.Answer != "good "+publicIP+",2001:db8::7" {
		t.Errorf("sent %+v", u)
	}
	e.clock.Add(time.Hour) // past propagation: DNS (the fake) answers A and AAAA
	if changes, _ := run(t, e.p, want); len(changes) != 0 {
		t.Errorf("%d changes after the update", len(changes))
	}
}
