package noip_test

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/noip"
	"github.com/lagrieta/itlag/providers/noip/noiptest"
)

// TestSourcesDisagree: two IP sources that disagree hold every host that
// follows the public address, with a high finding naming both answers, and
// no update is sent; a host with a fixed address is not affected.
func TestSourcesDisagree(t *testing.T) {
	other := noiptest.NewEcho("203.0.113.66")
	defer other.Close()
	e := setup(t, map[string]string{"home.ddns.net": oldIP, "fixed.ddns.net": oldIP}, func(c *noip.Config) {
		c.IPSources = append(c.IPSources, other.URL())
	})
	want := append(public("home.ddns.net"), providers.Resource{Kind: providers.KindDDNSHost, Name: "fixed.ddns.net", Content: "192.0.2.50"})
	obs := observe(t, e.p, want)
	home, fixed := obs.States[0], obs.States[1]
	if home.Held == "" || home.Want != nil || !strings.Contains(home.Held, "disagree") {
		t.Errorf("home not held:%s", describe(obs))
	}
	if fixed.Held != "" || fixed.Live.Content != oldIP {
		t.Errorf("fixed host affected:%s", describe(obs))
	}
	var high []finding.Finding
	for _, f := range obs.Findings {
		if f.Severity == finding.High {
			high = append(high, f)
		}
	}
	if len(high) != 1 || !strings.Contains(high[0].Summary, e.echo.URL()+" says "+publicIP) ||
		!strings.Contains(high[0].Summary, other.URL()+" says 203.0.113.66") {
		t.Errorf("findings %v, want one high naming both answers", obs.Findings)
	}
	if obs.Metrics["ddns_public_ip_sources_agree"] != 0 {
		t.Errorf("metrics %v", obs.Metrics)
	}
	changes, errs := run(t, e.p, want)
	noErrors(t, errs)
	if len(changes) != 1 || changes[0].Resource.After.Name != "fixed.ddns.net" {
		t.Errorf("planned %d changes, want only fixed.ddns.net", len(changes))
	}
	for _, u := range e.fake.Updates() {
		if u.Host == "home.ddns.net" {
			t.Errorf("home.ddns.net was sent while the sources disagree: %+v", u)
		}
	}
	// they agree again: the update goes
	other.SetIP(publicIP)
	obs = observe(t, e.p, want)
	if st := obs.States[0]; st.Held != "" || st.Want == nil || *st.Want != publicIP || obs.Metrics["ddns_public_ip_sources_agree"] != 1 {
		t.Errorf("sources agree again:%s", describe(obs))
	}
}

func TestSources(t *testing.T) {
	tests := []struct {
		name    string
		answers []string // per source; "down" = unreachable, "503" = HTTP 503
		want    string   // the public address; "" = error
		low     int      // low findings
		errText string
	}{
		{name: "one of two down", answers: []string{publicIP, "down"}, want: publicIP, low: 1},
		{name: "one answers 503", answers: []string{"503", publicIP}, want: publicIP, low: 1},
		{name: "garbage is not an address", answers: []string{"<html>captive portal</html>", publicIP}, want: publicIP, low: 1},
		{name: "private address refused", answers: []string{"192.168.1.10", publicIP}, want: publicIP, low: 1},
		{name: "IPv6 from an IPv4 source refused", answers: []string{"2001:db8::1", publicIP}, want: publicIP, low: 1},
		{name: "all down", answers: []string{"down", "503"}, errText: "every IPv4 source failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var urls []string
			for _, a := range tt.answers {
				ec := noiptest.NewEcho(a)
				t.Cleanup(ec.Close)
				switch a {
				case "down":
					ec.Close()
				case "503":
					ec.SetStatus(503)
				}
				urls = append(urls, ec.URL())
			}
			e := setup(t, map[string]string{"home.ddns.net": oldIP}, func(c *noip.Config) { c.IPSources = urls })
			obs, err := e.p.ObserveResources(ctx(t), target, public("home.ddns.net"))
			if tt.want == "" {
				if err == nil || !strings.Contains(err.Error(), tt.errText) {
					t.Fatalf("got %v, want an error with %q", err, tt.errText)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if st := obs.States[0]; st.Want == nil || *st.Want != tt.want || st.Held != "" {
				t.Errorf("observed:%s", describe(obs))
			}
			low := 0
			for _, f := range obs.Findings {
				if f.Severity == finding.Low {
					low++
				}
			}
			if low != tt.low || len(obs.Findings) != tt.low {
				t.Errorf("findings %v, want %d low", obs.Findings, tt.low)
			}
		})
	}
}

// TestFixedAddress: a host with a fixed address asks no IP source.
func TestFixedAddress(t *testing.T) {
	e := setup(t, map[string]string{"fixed.ddns.net": oldIP}, nil)
	want := []providers.Resource{{Kind: providers.KindDDNSHost, Name: "fixed.ddns.net", Content: "192.0.2.50"}}
	obs := observe(t, e.p, want)
	if st := obs.States[0]; st.Want != nil || st.Live.Content != oldIP || st.Missing {
		t.Errorf("observed:%s", describe(obs))
	}
	_, errs := run(t, e.p, want)
	noErrors(t, errs)
	if e.echo.Requests() != 0 {
		t.Errorf("the IP source was asked %d times", e.echo.Requests())
	}
	if got := e.fake.Address("fixed.ddns.net"); got != "192.0.2.50" {
		t.Errorf("fixed.ddns.net points at %q", got)
	}
}

// TestDNSStates: a host DNS does not know is missing; a DNS failure holds
// the host with a medium finding.
func TestDNSStates(t *testing.T) {
	e := setup(t, map[string]string{"new.ddns.net": ""}, func(c *noip.Config) {
		fake := c.Resolver
		c.Resolver = func(ctx context.Context, h string) ([]netip.Addr, error) {
			if h == "flaky.ddns.net" {
				return nil, errors.New("i/o timeout")
			}
			if h == "v6only.ddns.net" {
				return []netip.Addr{netip.MustParseAddr("2001:db8::5")}, nil
			}
			return fake(ctx, h)
		}
	})
	obs := observe(t, e.p, public("new.ddns.net", "flaky.ddns.net", "v6only.ddns.net"))
	if st := obs.States[0]; !st.Missing || st.Live.Content != "" || st.Held != "" {
		t.Errorf("new host:%s", describe(obs))
	}
	if st := obs.States[1]; st.Missing || !strings.Contains(st.Held, "i/o timeout") {
		t.Errorf("flaky host:%s", describe(obs))
	}
	if st := obs.States[2]; !st.Missing {
		t.Errorf("a host with only AAAA, wanted IPv4:%s", describe(obs))
	}
	if len(obs.Findings) != 1 || obs.Findings[0].Severity != finding.Medium {
		t.Errorf("findings %v, want one medium", obs.Findings)
	}
	if obs.Metrics["ddns_hosts_held"] != 1 {
		t.Errorf("metrics %v", obs.Metrics)
	}
}

func TestObserveErrors(t *testing.T) {
	e := setup(t, nil, func(c *noip.Config) { c.IPSources = nil })
	tests := []struct {
		name string
		want []providers.Resource
		err  string
	}{
		{"no IP sources", public("home.ddns.net"), "no IP sources"},
		{"kind", []providers.Resource{{Kind: providers.KindFile, Name: "/etc/x"}}, "only \"ddns-host\""},
		{"hostname", public("bad_name.ddns.net"), "bad character"},
		{"address", []providers.Resource{{Kind: providers.KindDDNSHost, Name: "a.ddns.net", Content: "192.0.2.1,192.0.2.2"}}, "two addresses of one family"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.p.ObserveResources(ctx(t), target, tt.want)
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("got %v, want %q", err, tt.err)
			}
		})
	}
}

func TestNoZones(t *testing.T) {
	e := setup(t, nil, nil)
	if _, err := providers.DNSOf(e.p); !errors.Is(err, providers.ErrNoDNS) {
		t.Errorf("DNSOf: %v, want ErrNoDNS", err)
	}
	if e.p.Name() != "noip" {
		t.Errorf("Name() = %q", e.p.Name())
	}
}
