package sandbox

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/godaddy/godaddytest"
	"github.com/lagrieta/itlag/providers/noip/noiptest"
	"github.com/lagrieta/itlag/reconcile"
)

// seedMissing creates, in the fakes, every desired zone they do not have
// yet, filled with a world that differs from the desired state.
func seedMissing(ctx context.Context, s *Sandbox, d reconcile.Desired, protected []string) error {
	for _, z := range d.Zones {
		p, ok := s.Providers[z.Provider].(providers.DNS)
		if !ok {
			continue // observe says the provider is missing or hosts no zones
		}
		_, err := p.Observe(ctx, z.Name)
		if err == nil {
			continue
		}
		if !errors.Is(err, providers.ErrZoneNotFound) {
			return err
		}
		if err := s.addZone(z.Provider, z.Name); err != nil {
			return err
		}
		recs := World(z, protected)
		caps := providers.CapabilitiesOf(z.Provider)
		for i := range recs {
			if !caps.Proxy {
				recs[i].Proxied = false
			}
			if r, err := caps.Fit(z.Provider, recs[i]); err == nil {
				recs[i] = r
			}
		}
		changes := make([]providers.Change, len(recs))
		for i := range recs {
			changes[i] = providers.Change{Action: providers.Create, Provider: p.Name(), Zone: z.Name, After: &recs[i],
				Address: reconcile.ZoneKey(p.Name(), z.Name) + "/" + recs[i].Name + "/" + recs[i].Type}
		}
		for i, err := range p.Apply(ctx, z.Name, changes) {
			if err != nil {
				return fmt.Errorf("zone %s: %s: %w", z.Name, changes[i].Address, err)
			}
		}
	}
	return nil
}

// addZone creates an empty zone at the named fake.
func (s *Sandbox) addZone(provider, zone string) error {
	switch provider {
	case "cloudflare":
		s.cf.AddZone(zone)
	case "godaddy":
		if s.fresh == nil {
			s.fresh = map[string]bool{}
		}
		s.fresh[zone] = s.gd.Domain(zone).Name == ""
		s.gd.AddDomain(providers.Domain{Name: zone, Status: "ACTIVE", RenewAuto: true, Locked: true,
			Expires: time.Now().UTC().AddDate(1, 0, 0).Truncate(24 * time.Hour)})
	default:
		return fmt.Errorf("zone %s: no fake for provider %q", zone, provider)
	}
	return nil
}

// seedDomains registers, at the GoDaddy fake, every desired GoDaddy domain
// it does not hold yet (or registered this run only to host its zone: fresh),
// in sync with the state: the registrar's settings
// as declared (a domain whose zone is on Cloudflare delegated to
// Cloudflare), the declared expiry or a year from now.
func seedDomains(gd *godaddytest.Server, d reconcile.Desired, fresh map[string]bool) {
	for _, dom := range d.Domains {
		if dom.Registrar != "godaddy" {
			continue
		}
		exists := gd.Domain(dom.Name).Name != ""
		if exists && !fresh[dom.Name] {
			continue
		}
		live := providers.Domain{Name: dom.Name, Status: "ACTIVE", RenewAuto: true, Locked: true, Expires: dom.Expires,
			NameServers: []string{"ns51.domaincontrol.com", "ns52.domaincontrol.com"}}
		if live.Expires.IsZero() {
			live.Expires = time.Now().UTC().AddDate(1, 0, 0).Truncate(24 * time.Hour)
		}
		for _, z := range d.Zones {
			if z.Name == dom.Name && z.Provider == "cloudflare" {
				live.NameServers = []string{"ada.ns.cloudflare.com", "bob.ns.cloudflare.com"}
			}
		}
		if v := dom.Settings.RenewAuto; v != nil {
			live.RenewAuto = *v
		}
		if v := dom.Settings.Locked; v != nil {
			live.Locked = *v
		}
		if dom.Settings.NameServers != nil {
			live.NameServers = dom.Settings.NameServers
		}
		if exists {
			gd.SetDomain(live)
		} else {
			gd.AddDomain(live)
		}
	}
}

// World returns the records a freshly seeded sandbox zone holds: the desired
// records, less up to two (missing), one changed, plus one record an
// unmanaged rule covers (when the zone has a rule) and one legacy record that
// the state does not declare (to be deleted). Apex NS and protected records
// are kept as declared (protected: the record flag or a policy glob), so that the first plan passes the safety rules.
func World(z reconcile.Zone, protected []string) []providers.Record {
	var out []providers.Record
	skipped, changed := 0, false
	for i, r := range z.Records {
		touchable := !z.Protected[r.Key()] && !protectedByPolicy(protected, r) &&
			(r.Type == "A" || r.Type == "AAAA" || r.Type == "CNAME" || r.Type == "TXT")
		switch {
		case touchable && skipped < 2 && i%3 == 1:
			skipped++ // missing: the plan creates it
			continue
		case touchable && !changed && (r.Type == "A" || r.Type == "TXT" || r.Type == "CNAME"):
			changed = true // changed by hand in the dashboard: the plan updates it
			switch {
			case r.Type == "A":
				r.Content = "198.51.100.7"
			case r.Proxied:
				r.Proxied = false
			case r.TTL == providers.AutoTTL:
				r.TTL = 3600
			default:
				r.TTL = providers.AutoTTL
			}
			r.Comment = "changed by hand in the dashboard"
		}
		out = append(out, r)
	}
	if len(z.Unmanaged) > 0 {
		u := z.Unmanaged[0]
		name := strings.NewReplacer("*", "sandbox", "?", "x", "[", "", "]", "").Replace(u.Name)
		if name == "" {
			name = "sandbox"
		}
		typ := u.Type
		if typ == "" || strings.ContainsAny(typ, "*?[") {
			typ = "TXT"
		}
		out = append(out, providers.Record{Zone: z.Name, Name: name, Type: typ, Content: unmanagedContent(typ), TTL: providers.AutoTTL,
			Comment: "managed outside itlag"})
	}
	out = append(out, providers.Record{Zone: z.Name, Name: "legacy-ftp", Type: "A", Content: "192.0.2.21", TTL: providers.AutoTTL,
		Comment: "old server, no longer declared"})
	return out
}

func unmanagedContent(typ string) string {
	switch typ {
	case "A":
		return "192.0.2.53"
	case "AAAA":
		return "2001:db8::53"
	case "CNAME", "NS", "MX":
		return "example.net"
	}
	return "sandbox-unmanaged-token"
}

func protectedByPolicy(globs []string, r providers.Record) bool {
	addr := r.Zone + "/" + r.Name + "/" + r.Type
	for _, g := range globs {
		if ok, _ := path.Match(g, addr); ok {
			return true
		}
	}
	return false
}

// EnsureZone creates zone at the named provider's fake with a few sample
// records when the fake does not hold it yet, so that import has something
// to read in a fresh sandbox.
func (s *Sandbox) EnsureZone(ctx context.Context, provider, zone string) error {
	p, ok := s.Providers[provider].(providers.DNS)
	if !ok {
		return fmt.Errorf("sandbox: no DNS fake for provider %q", provider)
	}
	if _, err := p.Observe(ctx, zone); err == nil || !errors.Is(err, providers.ErrZoneNotFound) {
		return err
	}
	if err := s.addZone(provider, zone); err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	caps := providers.CapabilitiesOf(provider)
	var changes []providers.Change
	for _, r := range sampleRecords(zone) {
		if !caps.Proxy {
			r.Proxied = false
		}
		nr, err := providers.Normalize(r)
		if err == nil {
			nr, err = caps.Fit(provider, nr)
		}
		if err != nil {
			return fmt.Errorf("sandbox: sample record %s: %w", r.Key(), err)
		}
		changes = append(changes, providers.Change{Action: providers.Create, Provider: provider, Zone: zone, After: &nr,
			Address: reconcile.ZoneKey(provider, zone) + "/" + nr.Name + "/" + nr.Type})
	}
	for i, err := range p.Apply(ctx, zone, changes) {
		if err != nil {
			return fmt.Errorf("sandbox: zone %s: %s: %w", zone, changes[i].Address, err)
		}
	}
	return nil
}

// EnsureDomains registers the named domains at the GoDaddy fake (a year
// from expiry, auto-renew on) when it does not hold them; with no names and
// an empty account, it registers one sample domain, example.org.
func (s *Sandbox) EnsureDomains(ctx context.Context, names []string) {
	if len(names) == 0 {
		if reg, ok := s.Providers["godaddy"].(providers.Registrar); ok {
			if ds, err := reg.Domains(ctx); err == nil && len(ds) > 0 {
				return
			}
		}
		names = []string{"example.org"}
	}
	for _, n := range names {
		if s.gd.Domain(n).Name == "" {
			s.gd.AddDomain(providers.Domain{Name: n, Status: "ACTIVE", RenewAuto: true, Locked: true,
				Expires: time.Now().UTC().AddDate(1, 0, 0).Truncate(24 * time.Hour)})
		}
	}
}

func sampleRecords(zone string) []providers.Record {
	r := func(name, typ, content string, prio int) providers.Record {
		return providers.Record{Zone: zone, Name: name, Type: typ, Content: content, Priority: prio, TTL: providers.AutoTTL}
	}
	return []providers.Record{
		r("@", "A", "192.0.2.80", 0),
		r("www", "CNAME", zone, 0),
		r("@", "MX", "mx1.example.net", 10),
		r("@", "TXT", "v=spf1 include:_spf.example.net ~all", 0),
		r("_dmarc", "TXT", "v=DMARC1; p=none", 0),
	}
}

// seedHosts adds every desired dynamic-DNS host the NoIP fake does not
// have yet, pointing at OldIP: the office's address before it changed, so
// that the first plan updates it to PublicIP.
func seedHosts(fake *noiptest.Server, d reconcile.Desired) {
	for _, set := range d.Resources {
		if set.Provider != "noip" {
			continue
		}
		for _, r := range set.Resources {
			if r.Kind == providers.KindDDNSHost && fake.Address(r.Name) == "" {
				fake.AddHost(r.Name, OldIP)
			}
		}
	}
}
