package registry

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/reconcile"
)

// dnsSeeder seeds the zones of one DNS provider's fake: addZone creates an
// empty zone there; hasZone, when set, asks the fake whether it holds a
// zone (else the provider observes the zone to find out, a list of all its
// records).
type dnsSeeder struct {
	p       providers.DNS
	caps    providers.Capabilities
	addZone func(zone string)
	hasZone func(zone string) bool
}

// seedZones creates every zone of d at this provider that the fake does
// not have yet, filled with World.
func (s dnsSeeder) seedZones(ctx context.Context, d reconcile.Desired, protected []string) error {
	name := s.p.Name()
	for _, z := range d.Zones {
		if z.Provider != name {
			continue
		}
		missing, err := s.missing(ctx, z.Name)
		if err != nil {
			return err
		}
		if !missing {
			continue
		}
		s.addZone(z.Name)
		recs := World(z, protected)
		for i := range recs {
			if !s.caps.Proxy {
				recs[i].Proxied = false
			}
			if r, err := s.caps.Fit(name, recs[i]); err == nil {
				recs[i] = r
			}
		}
		if err := s.create(ctx, z.Name, recs); err != nil {
			return err
		}
	}
	return nil
}

// SampleZone creates zone with a few sample records when the fake does not
// hold it yet.
func (s dnsSeeder) SampleZone(ctx context.Context, zone string) error {
	missing, err := s.missing(ctx, zone)
	if err != nil || !missing {
		return err
	}
	s.addZone(zone)
	var recs []providers.Record
	for _, r := range sampleRecords(zone) {
		if !s.caps.Proxy {
			r.Proxied = false
		}
		nr, err := providers.Normalize(r)
		if err == nil {
			nr, err = s.caps.Fit(s.p.Name(), nr)
		}
		if err != nil {
			return fmt.Errorf("sample record %s: %w", r.Key(), err)
		}
		recs = append(recs, nr)
	}
	return s.create(ctx, zone, recs)
}

func (s dnsSeeder) missing(ctx context.Context, zone string) (bool, error) {
	if s.hasZone != nil {
		return !s.hasZone(zone), nil
	}
	_, err := s.p.Observe(ctx, zone)
	if err == nil {
		return false, nil
	}
	if errors.Is(err, providers.ErrZoneNotFound) {
		return true, nil
	}
	return false, err
}

func (s dnsSeeder) create(ctx context.Context, zone string, recs []providers.Record) error {
	name := s.p.Name()
	changes := make([]providers.Change, len(recs))
	for i := range recs {
		changes[i] = providers.Change{Action: providers.Create, Provider: name, Zone: zone, After: &recs[i],
			Address: reconcile.ZoneKey(name, zone) + "/" + recs[i].Name + "/" + recs[i].Type}
	}
	for i, err := range s.p.Apply(ctx, zone, changes) {
		if err != nil {
			return fmt.Errorf("zone %s: %s: %w", zone, changes[i].Address, err)
		}
	}
	return nil
}

// World returns the records a freshly seeded sandbox zone holds: the desired
// records, less up to two (missing), one changed, plus one record an
// unmanaged rule covers (when the zone has a rule) and one legacy record that
// the state does not declare (to be deleted). Apex NS and protected records
// are kept as declared (protected: the record flag or a policy glob), so
// that the first plan passes the safety rules.
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
				r.Content = SandboxOldIP
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
