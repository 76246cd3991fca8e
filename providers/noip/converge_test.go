package noip_test

import (
	"strings"
	"testing"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/noip"
	"github.com/lagrieta/itlag/providers/providertest"
)

var three = map[string]string{"home.ddns.net": oldIP, "nas.ddns.net": oldIP, "vpn.ddns.net": oldIP}

func TestConformance(t *testing.T) {
	providertest.RunResources(t, providertest.ResourceHarness{
		New: func(t *testing.T) (providers.ResourceProvider, string, []providers.Resource) {
			e := setup(t, map[string]string{"home.ddns.net": oldIP, "nas.ddns.net": publicIP, "fixed.ddns.net": ""}, nil)
			want := append(public("home.ddns.net", "nas.ddns.net"),
				providers.Resource{Kind: providers.KindDDNSHost, Name: "fixed.ddns.net", Content: "192.0.2.50"})
			return e.p, target, want
		},
	})
}

// TestUnchangedIPSendsOnce: a run updates every host in one request; the
// next runs, within the propagation time (the address sent counts) and
// after it (DNS answers), send nothing.
func TestUnchangedIPSendsOnce(t *testing.T) {
	e := setup(t, three, nil)
	want := public("home.ddns.net", "nas.ddns.net", "vpn.ddns.net")
	changes, errs := run(t, e.p, want)
	noErrors(t, errs)
	if len(changes) != 3 || e.fake.Requests() != 1 {
		t.Fatalf("first run: %d changes in %d requests, want 3 in 1", len(changes), e.fake.Requests())
	}
	for h := range three {
		if got := e.fake.Address(h); got != publicIP {
			t.Errorf("%s points at %q, want %s", h, got, publicIP)
		}
	}
	for _, step := range []time.Duration{time.Minute, time.Hour} {
		e.clock.Add(step)
		e.restart(t)
		if changes, _ := run(t, e.p, want); len(changes) != 0 {
			t.Fatalf("+%v: a run with the same IP planned %d changes", step, len(changes))
		}
	}
	if n := e.fake.Requests(); n != 1 {
		t.Errorf("the fake received %d requests, want 1", n)
	}
	if n := e.echo.Requests(); n != 3 {
		t.Errorf("the IP source was asked %d times, want once a run (3)", n)
	}
}

// TestChangedIPOneRequest: when the public address changes, every host is
// updated in exactly one request.
func TestChangedIPOneRequest(t *testing.T) {
	e := setup(t, three, nil)
	want := public("home.ddns.net", "nas.ddns.net", "vpn.ddns.net")
	_, errs := run(t, e.p, want)
	noErrors(t, errs)
	e.echo.SetIP("203.0.113.99")
	e.clock.Add(time.Hour)
	changes, errs := run(t, e.p, want)
	noErrors(t, errs)
	if len(changes) != 3 || e.fake.Requests() != 2 {
		t.Fatalf("after the change: %d changes, %d requests in all; want 3 changes and 2 requests", len(changes), e.fake.Requests())
	}
	ups := e.fake.Updates()[3:]
	for _, u := range ups {
		if u.Request != 2 || u.MyIP != "203.0.113.99" || !strings.HasPrefix(u.Answer, "good ") {
			t.Errorf("update %+v: want request 2, myip 203.0.113.99, good", u)
		}
	}
	if changes, _ := run(t, e.p, want); len(changes) != 0 || e.fake.Requests() != 2 {
		t.Errorf("a third run planned %d changes (%d requests in all)", len(changes), e.fake.Requests())
	}
}

// Test911SurvivesRestart: a 911 holds the whole account for 30 minutes,
// across new providers on the same database file, then updates go again.
func Test911SurvivesRestart(t *testing.T) {
	e := setup(t, three, nil)
	want := public("home.ddns.net", "nas.ddns.net")
	e.fake.SetAnswer("", "911")
	_, errs := run(t, e.p, want)
	for i, err := range errs {
		if err == nil || !strings.Contains(err.Error(), "911") {
			t.Fatalf("change %d: %v, want a 911 error", i, err)
		}
	}
	if e.fake.Requests() != 1 {
		t.Fatalf("%d requests, want 1", e.fake.Requests())
	}
	e.fake.SetAnswer("", "") // NoIP is back; itlag must still wait

	for _, after := range []time.Duration{time.Minute, 29*time.Minute + 59*time.Second} {
		e.clock.Add(after - (e.clock.Now().Sub(t0)))
		e.restart(t)
		obs := observe(t, e.p, want)
		for _, st := range obs.States {
			if !strings.Contains(st.Held, "911") || !strings.Contains(st.Held, "no retry before 2026-03-01T12:30:00Z") {
				t.Fatalf("+%v: %s not held for the 911:%s", after, st.Live.Name, describe(obs))
			}
		}
		if len(obs.Findings) != 1 || obs.Findings[0].Severity != finding.Medium {
			t.Errorf("+%v: findings %v, want one medium", after, obs.Findings)
		}
		// an apply planned before the 911 is refused without a request
		errs := e.p.ApplyResources(ctx(t), target, []providers.Change{update("home.ddns.net", publicIP)})
		if errs[0] == nil || !strings.Contains(errs[0].Error(), "held: ") {
			t.Errorf("+%v: apply while held: %v", after, errs[0])
		}
	}
	if e.fake.Requests() != 1 {
		t.Fatalf("requests sent during the back-off: %d in all, want 1", e.fake.Requests())
	}

	e.clock.Add(time.Second) // 30 minutes after the 911
	e.restart(t)
	changes, errs := run(t, e.p, want)
	noErrors(t, errs)
	if len(changes) != 2 || e.fake.Requests() != 2 {
		t.Fatalf("after the back-off: %d changes, %d requests in all; want 2 and 2", len(changes), e.fake.Requests())
	}
	if hs := holds(t, e); len(hs) != 0 {
		t.Errorf("expired hold kept: %+v", hs)
	}
}

// TestPropagation: within Propagation the address sent counts even when
// DNS still answers the old one; after it, DNS counts again.
func TestPropagation(t *testing.T) {
	e := setup(t, three, func(c *noip.Config) {
		c.Resolver = staleDNS(oldIP)
		c.Propagation = 5 * time.Minute
	})
	want := public("home.ddns.net")
	_, errs := run(t, e.p, want)
	noErrors(t, errs)
	e.clock.Add(4 * time.Minute)
	if changes, _ := run(t, e.p, want); len(changes) != 0 {
		t.Fatalf("within the propagation time: %d changes", len(changes))
	}
	e.clock.Add(2 * time.Minute)
	obs := observe(t, e.p, want)
	if got := obs.States[0].Live.Content; got != oldIP {
		t.Fatalf("after the propagation time, live is %q, want DNS's %s", got, oldIP)
	}
	if e.fake.Requests() != 1 {
		t.Errorf("%d requests, want 1", e.fake.Requests())
	}
}
