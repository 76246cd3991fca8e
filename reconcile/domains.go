package reconcile

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/schema"
)

// Registrars that are observed through an API; others ("manual") are
// declared only.
const ManualRegistrar = "manual"

// DefaultReminders are the lead times, in days, used when the state gives
// none.
var DefaultReminders = []int{30, 14, 7, 1}

// Domain is one desired domain registration.
type Domain struct {
	// Name is canonical (ASCII, lowercase).
	Name string `json:"name"`
	// Registrar is "godaddy" or "manual".
	Registrar string `json:"registrar"`
	// Settings are the managed registrar settings (nil fields unmanaged;
	// nameservers canonical and sorted).
	Settings providers.DomainSettings `json:"settings"`
	// Expires is the declared expiry (UTC midnight), zero when none.
	Expires time.Time `json:"expires,omitzero"`
	// FillIn names the state's field marked "unknown" that should hold
	// the date ("domains.lagrieta.es.expires"); "" when none is.
	FillIn string `json:"fill_in,omitempty"`
	// Reminders are lead times in days, sorted from the largest.
	Reminders []int `json:"reminders"`
}

// Key is the domain's key in Observed: "godaddy:lagrieta.es".
func (d Domain) Key() string { return ZoneKey(d.Registrar, d.Name) }

// Managed reports whether itlag observes the registration through an API.
func (d Domain) Managed() bool { return d.Registrar != ManualRegistrar }

// DomainAddress is a registrar change's address: "godaddy:domain/lagrieta.es".
func DomainAddress(registrar, name string) string { return registrar + ":domain/" + name }

// Subscription is one desired subscription: something that lapses unless
// renewed (domains are listed in Desired.Domains, not here).
type Subscription struct {
	Name      string    `json:"name"`
	Kind      string    `json:"kind"`
	Provider  string    `json:"provider"`
	What      string    `json:"what,omitempty"`
	Renews    time.Time `json:"renews"`
	AutoRenew bool      `json:"auto_renew"`
	Reminders []int     `json:"reminders"`
	Owner     string    `json:"owner,omitempty"`
	// FillIn names the state's field marked "unknown" that should hold
	// the date ("subscriptions.hosting.renews"); Renews is then zero.
	FillIn string `json:"fill_in,omitempty"`
}

// parseDate reads a declared date: "" (none) and schema.DateUnknown are
// the zero time.
func parseDate(s string) (time.Time, error) {
	if s == "" || s == schema.DateUnknown {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q: want YYYY-MM-DD", s)
	}
	return t, nil
}

func reminders(r []int) []int {
	if len(r) == 0 {
		return slices.Clone(DefaultReminders)
	}
	out := slices.Clone(r)
	slices.Sort(out)
	slices.Reverse(out)
	return slices.Compact(out)
}

func desiredDomains(in map[string]schema.Domain) ([]Domain, []error) {
	var out []Domain
	var errs []error
	seen := map[string]string{}
	for _, name := range slices.Sorted(maps.Keys(in)) {
		sd := in[name]
		canon, err := providers.NormalizeZone(name)
		if err != nil {
			errs = append(errs, fmt.Errorf("domains[%q]: %w", name, err))
			continue
		}
		if first, dup := seen[canon]; dup {
			errs = append(errs, fmt.Errorf("domains[%q]: the same domain as domains[%q]", name, first))
			continue
		}
		seen[canon] = name
		d := Domain{Name: canon, Registrar: sd.Registrar, Reminders: reminders(sd.Reminders)}
		d.Settings.RenewAuto, d.Settings.Locked = sd.RenewAuto, sd.Locked
		for _, ns := range sd.NameServers {
			h, err := providers.NormalizeHost(ns)
			if err != nil {
				errs = append(errs, fmt.Errorf("domains[%q].nameservers: %w", name, err))
				continue
			}
			d.Settings.NameServers = append(d.Settings.NameServers, h)
		}
		if d.Settings.NameServers != nil {
			slices.Sort(d.Settings.NameServers)
			d.Settings.NameServers = slices.Compact(d.Settings.NameServers)
		}
		if d.Expires, err = parseDate(sd.Expires); err != nil {
			errs = append(errs, fmt.Errorf("domains[%q].expires: %w", name, err))
		}
		if sd.Expires == schema.DateUnknown {
			d.FillIn = "domains." + name + ".expires"
		}
		if !d.Managed() && !d.Settings.Empty() {
			errs = append(errs, fmt.Errorf("domains[%q]: registrar manual: renew_auto, locked and nameservers need a registrar itlag can reach, want them removed", name))
		}
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b Domain) int { return cmp.Compare(a.Key(), b.Key()) })
	return out, errs
}

// ConfirmReminders are the lead times for a free dynamic-DNS host's
// confirmation.
var ConfirmReminders = []int{7, 3, 1}

func desiredSubscriptions(in map[string]schema.Subscription, ddns map[string]schema.DDNSHost) ([]Subscription, []error) {
	var out []Subscription
	var errs []error
	for _, host := range slices.Sorted(maps.Keys(ddns)) {
		h := ddns[host]
		if h.ConfirmBy == "" {
			continue
		}
		if _, clash := in[host]; clash {
			errs = append(errs, fmt.Errorf("ddns[%q].confirm_by: a subscription of the same name is declared too, want one of them", host))
			continue
		}
		by, err := parseDate(h.ConfirmBy)
		if err != nil {
			errs = append(errs, fmt.Errorf("ddns[%q].confirm_by: %w", host, err))
			continue
		}
		s := Subscription{Name: host, Kind: "dns-hostname", Provider: h.Provider, Renews: by,
			What: "free hostname: confirm it at " + h.Provider + " every 30 days", Reminders: slices.Clone(ConfirmReminders)}
		if h.ConfirmBy == schema.DateUnknown {
			s.FillIn = "ddns." + host + ".confirm_by"
		}
		out = append(out, s)
	}
	for _, name := range slices.Sorted(maps.Keys(in)) {
		ss := in[name]
		renews, err := parseDate(ss.Renews)
		if err != nil {
			errs = append(errs, fmt.Errorf("subscriptions[%q].renews: %w", name, err))
		}
		s := Subscription{
			Name: name, Kind: ss.Kind, Provider: ss.Provider, What: ss.What, Renews: renews,
			AutoRenew: ss.AutoRenew, Reminders: reminders(ss.Reminders), Owner: ss.Owner,
		}
		if ss.Renews == schema.DateUnknown {
			s.FillIn = "subscriptions." + name + ".renews"
		}
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b Subscription) int { return cmp.Compare(a.Name, b.Name) })
	return out, errs
}

// planDomain diffs one registration's managed settings against what the
// registrar reports. It returns nil when they agree.
func planDomain(d Domain, obs providers.Domain, zones []Zone) *providers.Change {
	var dc providers.DomainChange
	var why []string
	if w := d.Settings.RenewAuto; w != nil && *w != obs.RenewAuto {
		was := obs.RenewAuto
		dc.Before.RenewAuto, dc.After.RenewAuto = &was, w
		why = append(why, fmt.Sprintf("renew_auto %t → %t", was, *w))
	}
	if w := d.Settings.Locked; w != nil && *w != obs.Locked {
		was := obs.Locked
		dc.Before.Locked, dc.After.Locked = &was, w
		why = append(why, fmt.Sprintf("locked %t → %t", was, *w))
	}
	if w := d.Settings.NameServers; w != nil && !slices.Equal(w, obs.NameServers) {
		dc.Before.NameServers, dc.After.NameServers = slices.Clone(obs.NameServers), slices.Clone(w)
		why = append(why, "nameservers "+nameServerSet(obs.NameServers)+" → "+nameServerSet(w)+hostingNote(d.Name, w, zones))
	}
	if dc.After.Empty() {
		return nil
	}
	return &providers.Change{
		Address:  DomainAddress(d.Registrar, d.Name),
		Action:   providers.Update,
		Provider: d.Registrar,
		Zone:     d.Name,
		Domain:   &dc,
		Reason:   strings.Join(why, "; "),
	}
}

// nameServerSet shows a set of nameservers and which DNS provider each set
// belongs to: "ada.ns.cloudflare.com, bob.ns.cloudflare.com (cloudflare)".
func nameServerSet(ns []string) string {
	if len(ns) == 0 {
		return "(none)"
	}
	var hosts []string
	for _, n := range ns {
		if h := providers.NameServerHost(n); !slices.Contains(hosts, h) {
			hosts = append(hosts, h)
		}
	}
	return strings.Join(ns, ", ") + " (" + strings.Join(hosts, ", ") + ")"
}

// hostingNote warns when the new delegation points away from the provider
// the state declares the domain's zone on.
func hostingNote(domain string, ns []string, zones []Zone) string {
	for _, z := range zones {
		if z.Name != domain {
			continue
		}
		for _, n := range ns {
			if h := providers.NameServerHost(n); h != z.Provider && h != "other" {
				return fmt.Sprintf(" (warning: the state hosts zone %s on %s)", domain, z.Provider)
			}
		}
	}
	return ""
}
