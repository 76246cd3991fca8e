package reconcile

import (
	"cmp"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/schema"
)

// FormatVersion is the version of the plan and saved-plan JSON formats.
const FormatVersion = "1"

// Zone is one desired zone, normalised.
type Zone struct {
	Provider string `json:"provider"` // "cloudflare"
	// Name is canonical (providers.NormalizeZone).
	Name string `json:"name"`
	// Records are normalised (providers.Normalize) with Zone set, sorted by Key.
	Records []providers.Record `json:"records"`
	// Protected holds the Key()s of records marked protected: true.
	Protected map[string]bool `json:"protected,omitempty"`
	Unmanaged []Unmanaged     `json:"unmanaged,omitempty"`
	Purge     bool            `json:"purge"`
}

// Key is the zone's key in Observed: "cloudflare:lagrieta.es".
func (z Zone) Key() string { return ZoneKey(z.Provider, z.Name) }

// Unmanaged holds path.Match globs on a record's relative canonical name and
// its type; "" means "*".
type Unmanaged struct {
	Name string `json:"name,omitempty"`
	Type string `json:"type,omitempty"`
}

// Matches reports whether the rule covers r.
func (u Unmanaged) Matches(r providers.Record) bool {
	return glob(u.Name, r.Name) && glob(u.Type, r.Type)
}

func glob(pattern, s string) bool {
	if pattern == "" || pattern == "*" {
		return true
	}
	ok, err := path.Match(pattern, s)
	return err == nil && ok
}

// Desired is the whole desired state: zones sorted by key, domains by key,
// subscriptions by name.
type Desired struct {
	Zones         []Zone         `json:"zones"`
	Domains       []Domain       `json:"domains,omitempty"`
	Subscriptions []Subscription `json:"subscriptions,omitempty"`
	// Resources are the dynamic-DNS hosts and NAS files, per target,
	// sorted by key.
	Resources []ResourceSet `json:"resources,omitempty"`
}

// ZoneKey names a zone across providers: "cloudflare:lagrieta.es".
func ZoneKey(provider, zone string) string { return provider + ":" + zone }

func posString(p schema.Pos) string {
	if p.File == "" {
		return "(unknown position)"
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// DesiredFromState normalises a validated state. Errors name the file:line:col
// of the zone or record and what is wrong, all of them joined (errors.Join).
// Two records with the same Key in one zone, and two zones with the same
// provider and name, are errors. Records are fitted to their provider's
// capabilities in caps (registry.Capabilities(); a provider caps does not
// list gets providers.DefaultCapabilities).
func DesiredFromState(st *schema.State, caps providers.CapabilityTable) (Desired, error) {
	var errs []error
	var d Desired
	zonePos := map[string]schema.Pos{}
	for _, sz := range st.Zones {
		z, zerrs := desiredZone(sz, caps.Of(sz.Provider))
		errs = append(errs, zerrs...)
		if z.Name == "" {
			continue
		}
		if first, dup := zonePos[z.Key()]; dup {
			errs = append(errs, fmt.Errorf("%s: zone %s: declared twice (first at %s)", posString(sz.Pos), z.Key(), posString(first)))
			continue
		}
		zonePos[z.Key()] = sz.Pos
		d.Zones = append(d.Zones, z)
	}
	doms, derrs := desiredDomains(st.Domains)
	errs = append(errs, derrs...)
	d.Domains = doms
	subs, serrs := desiredSubscriptions(st.Subscriptions, st.DDNS)
	errs = append(errs, serrs...)
	d.Subscriptions = subs
	sets, rerrs := desiredResources(st)
	errs = append(errs, rerrs...)
	d.Resources = sets
	if err := errors.Join(errs...); err != nil {
		return Desired{}, err
	}
	slices.SortFunc(d.Zones, func(a, b Zone) int { return cmp.Compare(a.Key(), b.Key()) })
	return d, nil
}

func desiredZone(sz schema.Zone, caps providers.Capabilities) (Zone, []error) {
	var errs []error
	name, err := providers.NormalizeZone(sz.Name)
	if err != nil {
		return Zone{}, []error{fmt.Errorf("%s: %w", posString(sz.Pos), err)}
	}
	if sz.Provider == "" {
		errs = append(errs, fmt.Errorf("%s: zone %s: no provider", posString(sz.Pos), name))
	}
	z := Zone{Provider: sz.Provider, Name: name, Purge: sz.Purge, Records: make([]providers.Record, 0, len(sz.Records))}
	for _, u := range sz.Unmanaged {
		nu, err := normalizeUnmanaged(u)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: zone %s: unmanaged: %w", posString(sz.Pos), name, err))
			continue
		}
		z.Unmanaged = append(z.Unmanaged, nu)
	}
	seen := make(map[string]schema.Pos, len(sz.Records))
	for _, sr := range sz.Records {
		r := providers.Record{
			Zone: name, Name: sr.Name, Type: sr.Type, Content: sr.Value,
			TTL: sr.TTL, Proxied: sr.Proxied, Comment: sr.Comment,
		}
		if sr.Priority != nil {
			r.Priority = *sr.Priority
		}
		nr, err := providers.Normalize(r)
		if err == nil {
			nr, err = caps.Fit(sz.Provider, nr)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: zone %s: record %s %s: %w", posString(sr.Pos), name, sr.Name, sr.Type, err))
			continue
		}
		key := nr.Key()
		if first, dup := seen[key]; dup {
			errs = append(errs, fmt.Errorf("%s: zone %s: duplicate record %s (first at %s)", posString(sr.Pos), name, key, posString(first)))
			continue
		}
		seen[key] = sr.Pos
		z.Records = append(z.Records, nr)
		if sr.Protected {
			if z.Protected == nil {
				z.Protected = map[string]bool{}
			}
			z.Protected[key] = true
		}
	}
	slices.SortFunc(z.Records, compareRecords)
	return z, errs
}

// normalizeUnmanaged lowercases the name glob (converting Unicode labels
// without glob characters to punycode), uppercases the type glob and checks
// both are valid path.Match patterns.
func normalizeUnmanaged(u schema.Unmanaged) (Unmanaged, error) {
	labels := strings.Split(strings.TrimSuffix(strings.TrimSpace(u.Name), "."), ".")
	for i, l := range labels {
		if l == "" || strings.ContainsAny(l, `*?[\`) {
			labels[i] = strings.ToLower(l)
			continue
		}
		n, err := providers.NormalizeName(l)
		if err != nil {
			return Unmanaged{}, err
		}
		labels[i] = n
	}
	nu := Unmanaged{Name: strings.Join(labels, "."), Type: strings.ToUpper(strings.TrimSpace(u.Type))}
	for _, p := range []string{nu.Name, nu.Type} {
		if _, err := path.Match(p, ""); err != nil {
			return Unmanaged{}, fmt.Errorf("pattern %q: %w", p, err)
		}
	}
	return nu, nil
}

// compareRecords orders records by key, then by ID.
func compareRecords(a, b providers.Record) int {
	return cmp.Or(compareNameType(a, b), strings.Compare(a.Content, b.Content), strings.Compare(a.ID, b.ID))
}
