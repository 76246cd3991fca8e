package app

import (
	"maps"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lagrieta/itlag/app/sandbox"
	"github.com/lagrieta/itlag/ops/mail/samples"
	"github.com/lagrieta/itlag/ops/monitor"
	"github.com/lagrieta/itlag/providers/transport"
	"github.com/lagrieta/itlag/reconcile"
	"github.com/lagrieta/itlag/schema"
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

// sandboxMail adds the declared mailboxes to what the sandbox's network
// stands in for: each account's host:port reaches the sandbox's IMAP
// fake, which accepts the sandbox's stand-in credentials and is seeded on
// first use with one mail of each kind the classifiers know, about the
// state's own names (samples.Build), dated from now.
func sandboxMail(t *sandbox.Targets, st *schema.State) {
	if len(st.Mail) == 0 {
		return
	}
	t.MailLogins = map[string]string{}
	for _, name := range slices.Sorted(maps.Keys(st.Mail)) {
		a := st.Mail[name]
		t.Mail = append(t.Mail, net.JoinHostPort(strings.ToLower(a.Host), strconv.Itoa(a.Port)))
		user, _ := SandboxSecret(a.Username)
		pass, _ := SandboxSecret(a.Password)
		t.MailLogins[user] = pass
	}
	names := sampleNames(st)
	t.MailSeeds = func() [][]byte { return sandboxInbox(time.Now(), names) }
}

// sandboxInbox is the sandbox's first mail: one of each kind the
// classifiers know, as a month of an IT mailbox. The problems came 35 days
// ago and were settled (the follow-ups a day later; every notice's window
// has passed), and this morning No-IP asked to confirm the host: the one
// confirmation open, tracked as its deadline nears.
func sandboxInbox(now time.Time, names samples.Names) [][]byte {
	ago := map[string]time.Duration{
		"noip.confirm-request":      3 * time.Hour,
		"noip.confirmed":            34 * 24 * time.Hour,
		"godaddy.renewed":           34 * 24 * time.Hour,
		"godaddy.contact-verified":  34 * 24 * time.Hour,
		"synology.backup-succeeded": 34 * 24 * time.Hour,
	}
	const settled = 35 * 24 * time.Hour
	type dated struct {
		at  time.Duration
		raw []byte
	}
	built := map[time.Duration][]samples.Sample{} // the samples as of each age, built once
	var all []dated
	for i, s := range samples.Build(now, names) {
		at, ok := ago[s.Kind]
		if !ok {
			at = settled
		}
		if built[at] == nil {
			built[at] = samples.Build(now.Add(-at), names)
		}
		all = append(all, dated{at, built[at][i].Raw})
	}
	slices.SortStableFunc(all, func(a, b dated) int { return int((b.at - a.at) / time.Second) })
	out := make([][]byte, len(all))
	for i, d := range all {
		out[i] = d.raw
	}
	return out
}

// sampleNames are the state's first declared names (by name), for the
// sandbox's sample mails.
func sampleNames(st *schema.State) samples.Names {
	first := func(keys []string) string {
		if len(keys) == 0 {
			return ""
		}
		return keys[0]
	}
	n := samples.Names{
		DDNS: first(slices.Sorted(maps.Keys(st.DDNS))), Domain: first(slices.Sorted(maps.Keys(st.Domains))),
		NAS: first(slices.Sorted(maps.Keys(st.NAS))), BackupJob: first(slices.Sorted(maps.Keys(st.Backups))),
	}
	if n.Domain == "" && len(st.Zones) > 0 {
		n.Domain = st.Zones[0].Name
	}
	n.ReportDomain = n.Domain
	if n.NAS != "" {
		n.NASHost = st.NAS[n.NAS].Host
	}
	return n
}
