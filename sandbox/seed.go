package sandbox

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/cloudflare/cloudflaretest"
	"github.com/lagrieta/itlag/reconcile"
)

// seedMissing creates, in the fake, every desired zone it does not have yet,
// filled with a world that differs from the desired state.
func seedMissing(ctx context.Context, fake *cloudflaretest.Server, p providers.Provider, d reconcile.Desired, protected []string) error {
	for _, z := range d.Zones {
		if z.Provider != p.Name() {
			continue
		}
		_, err := p.Observe(ctx, z.Name)
		if err == nil {
			continue
		}
		if !errors.Is(err, providers.ErrZoneNotFound) {
			return err
		}
		fake.AddZone(z.Name)
		recs := World(z, protected)
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
