package importer

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"

	"gopkg.in/yaml.v3"

	"github.com/lagrieta/itlag/providers"
)

// expiresLayout is how a declared expiry is written: a date, UTC.
const expiresLayout = "2006-01-02"

// Domains renders registrations as a state file: a `domains:` map from the
// domain name (ASCII, sorted) to its registrar, renew_auto, locked,
// nameservers and expires (the expiry date, YYYY-MM-DD in UTC, quoted; left
// out when unknown):
//
//	domains:
//	  # lagrieta.es: status ACTIVE at import; ...
//	  lagrieta.es:
//	    registrar: godaddy
//	    renew_auto: true
//	    locked: true
//	    nameservers: [ada.ns.cloudflare.com, bob.ns.cloudflare.com]
//	    expires: "2027-03-14"
//
// Loaded back and planned against ds, it plans no change. providers.Domain
// holds nameservers canonical and sorted; a list that is not (or has fewer
// than the two the schema requires) is left out, and then no plan changes
// the nameservers, with a comment saying why. A comment above each domain
// names its status and says that the expiry the registrar reports wins over
// the declared one whenever it answers. reminders are not written: the
// default applies.
//
// header, when not empty, is placed at the top, each line prefixed "# ".
// The error names a domain no state can hold (an invalid or repeated name)
// or an invalid registrar name.
func Domains(registrar string, ds []providers.Domain, header string) ([]byte, error) {
	if registrar == "" || !plainSafe(registrar) {
		return nil, fmt.Errorf("importer: registrar %q is not a provider name", registrar)
	}
	type named struct {
		name string
		d    providers.Domain
	}
	var doms []named
	seen := map[string]bool{}
	for _, d := range ds {
		name, err := providers.NormalizeZone(d.Name)
		if err != nil {
			return nil, fmt.Errorf("importer: %s: domain: %w", registrar, err)
		}
		if strings.ContainsFunc(name, unicode.IsSpace) {
			return nil, fmt.Errorf("importer: %s: domain %q: spaces are not allowed in a domain name", registrar, d.Name)
		}
		if seen[name] {
			return nil, fmt.Errorf("importer: %s: domain %s: listed twice", registrar, name)
		}
		seen[name] = true
		doms = append(doms, named{name, d})
	}
	slices.SortFunc(doms, func(a, b named) int { return strings.Compare(a.name, b.name) })

	m := mapping(0)
	for _, n := range doms {
		k := key(n.name)
		comment := []string{domainComment(n.name, n.d)}
		v := mapping(0,
			key("registrar"), str(registrar, false),
			key("renew_auto"), boolNode(n.d.RenewAuto),
			key("locked"), boolNode(n.d.Locked),
		)
		if why := nameServersProblem(n.d.NameServers); why != "" {
			comment = append(comment, oneLine("nameservers not declared, so plans leave them alone: "+why))
		} else {
			seq := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
			for _, h := range n.d.NameServers {
				seq.Content = append(seq.Content, str(h, false))
			}
			v.Content = append(v.Content, key("nameservers"), seq)
		}
		if !n.d.Expires.IsZero() {
			v.Content = append(v.Content, key("expires"), str(n.d.Expires.UTC().Format(expiresLayout), true))
		}
		k.HeadComment = "# " + strings.Join(comment, "\n# ")
		m.Content = append(m.Content, k, v)
	}
	out, err := encode(header, mapping(0, key("domains"), m))
	if err != nil {
		return nil, fmt.Errorf("importer: %s: encode: %w", registrar, err)
	}
	return out, nil
}

// domainComment is the line above a domain: its status at import and how
// the declared expiry is used.
func domainComment(name string, d providers.Domain) string {
	status := "status unknown"
	if s := strings.TrimSpace(d.Status); s != "" {
		status = "status " + s
	}
	return oneLine(fmt.Sprintf("%s: %s at import; the expiry the registrar reports wins over expires whenever it answers", name, status))
}

// hostName is the schema's #HostName (compiled on first use: every command
// links this package, few import): labels of letters, digits and inner
// hyphens, at least two of them.
var hostName = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+\.?$`)
})

// nameServersProblem says why ns cannot be declared as they are, so that
// the state loads back to exactly ns (canonical, sorted, distinct, at least
// two host names, as the schema requires); "" when they can.
func nameServersProblem(ns []string) string {
	if len(ns) < 2 {
		return fmt.Sprintf("the registrar reports %d, the state needs at least 2", len(ns))
	}
	for i, h := range ns {
		c, err := providers.NormalizeHost(h)
		switch {
		case err != nil || c != h || !hostName().MatchString(h):
			return fmt.Sprintf("%s is not a canonical host name", excerpt(h, 60))
		case i > 0 && ns[i-1] >= h:
			return "the registrar's list is not sorted and distinct"
		}
	}
	return ""
}
