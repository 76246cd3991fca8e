package app

import (
	"net"
	"net/url"
	"strings"

	"github.com/lagrieta/itlag/app/sandbox"
	"github.com/lagrieta/itlag/ops/monitor"
	"github.com/lagrieta/itlag/providers/transport"
	"github.com/lagrieta/itlag/reconcile"
)

// sandboxTargets are what the sandbox's network stands in for: every
// monitor's target that is not loopback (a loopback one is dialled as
// it is), and the desired zones. The first http monitor's host (by
// monitor name) is the website seeded down.
func sandboxTargets(d reconcile.Desired, monitors []monitor.Monitor) sandbox.Targets {
	t := sandbox.Targets{Sites: map[string][]string{}, Zones: map[string]string{}}
	for _, z := range d.Zones {
		t.Zones[z.Name] = z.Provider
	}
	site := func(host string) string {
		host = strings.ToLower(strings.TrimSuffix(host, "."))
		if _, ok := t.Sites[host]; !ok {
			t.Sites[host] = nil
		}
		return host
	}
	for _, m := range monitors {
		switch m.Kind {
		case monitor.HTTP:
			u, err := url.Parse(m.Target)
			if err != nil || transport.IsLoopback(u.Hostname()) {
				continue
			}
			host := site(u.Hostname())
			for _, c := range m.Conditions {
				if c.Field == "body" {
					t.Sites[host] = append(t.Sites[host], c.Value)
				}
			}
			t.SeedDown = append(t.SeedDown, host)
			if p := u.Port(); p != "" {
				hp := net.JoinHostPort(host, p)
				if u.Scheme == "https" {
					t.HTTPS = append(t.HTTPS, hp)
				} else {
					t.HTTP = append(t.HTTP, hp)
				}
			}
		case monitor.TLS, monitor.TCP:
			host, port, err := net.SplitHostPort(m.Target)
			if err != nil || transport.IsLoopback(host) {
				continue
			}
			hp := net.JoinHostPort(strings.ToLower(strings.TrimSuffix(host, ".")), port)
			if m.Kind == monitor.TLS {
				site(host)
				t.HTTPS = append(t.HTTPS, hp)
			} else {
				t.Open = append(t.Open, hp)
			}
		}
	}
	return t
}
