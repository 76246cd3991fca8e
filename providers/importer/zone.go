package importer

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/lagrieta/itlag/providers"
)

// Limits of the state format (schema/schema.cue) that a live record may
// exceed.
const (
	minTTL          = 60
	maxTTL          = 86400
	maxPriority     = 65535
	maxCommentRunes = 100
)

// Skipped is a live record the state format cannot express (e.g. a TTL
// under the schema minimum of 60, a comment over 100 characters, a type
// itlag does not manage, a value that would not load back the same). Zone
// does not declare it; it adds an unmanaged rule {name, type} for its name
// and type instead, so that the next plan never deletes it, and says why in
// a YAML comment above the rule.
type Skipped struct {
	Record providers.Record
	// Reason says why, in words for the operator ("ttl 30 is outside what
	// the state allows: auto or 60-86400 seconds").
	Reason string
}

// entry is one record Zone declares, with the value as written.
type entry struct {
	rec     providers.Record // as observed, Zone set
	value   string
	ttl     int // 0: auto (omitted)
	comment string
}

// Zone renders one DNS zone as a state file: a `zones:` list with one zone
// (name, provider, purge: true, unmanaged, records), records sorted by name,
// type, value.
//
// recs are the zone's live records in canonical form, as the provider's
// Observe returns them (names relative, "@" the apex; Zone empty or this
// zone). The output, loaded with schema.LoadFS and turned into desired
// records by reconcile.DesiredFromState, plans zero changes against recs:
// every record is either declared so that it loads back identical (TTL,
// priority, proxied and comment included) or returned in skipped and
// covered by an unmanaged rule. The name is written in ASCII (punycode);
// TTLs equal to the provider's automatic TTL (caps.AutoTTL)
// are written as auto, i.e. left out, as are proxied false and empty
// comments. `unmanaged` is written only when something was skipped.
//
// header, when not empty, is placed at the top, each line prefixed "# ".
// The error is for input no state can hold: an invalid zone name, no
// provider, or a record of another zone.
func Zone(provider string, caps providers.Capabilities, zone string, recs []providers.Record, header string) (out []byte, skipped []Skipped, err error) {
	z, err := providers.NormalizeZone(zone)
	if err != nil {
		return nil, nil, fmt.Errorf("importer: %w", err)
	}
	if strings.ContainsFunc(z, unicode.IsSpace) {
		return nil, nil, fmt.Errorf("importer: zone %q: spaces are not allowed in a zone name", zone)
	}
	if provider == "" || !plainSafe(provider) {
		return nil, nil, fmt.Errorf("importer: zone %s: provider %q is not a provider name", z, provider)
	}
	var entries []entry
	for _, r := range recs {
		if r.Zone != "" {
			if rz, err := providers.NormalizeZone(r.Zone); err != nil || rz != z {
				return nil, nil, fmt.Errorf("importer: zone %s: record %s %s belongs to zone %q", z, r.Name, r.Type, r.Zone)
			}
		}
		r.Zone = z
		e, reason := declare(provider, caps, r)
		if reason != "" {
			skipped = append(skipped, Skipped{Record: r, Reason: reason})
			continue
		}
		entries = append(entries, e)
	}
	entries, skipped = dropDuplicates(entries, skipped)
	entries, skipped = dropCNAMEConflicts(entries, skipped)
	slices.SortFunc(entries, func(a, b entry) int { return compareRecords(a.rec, b.rec) })
	slices.SortFunc(skipped, func(a, b Skipped) int {
		return cmp.Or(compareRecords(a.Record, b.Record), cmp.Compare(a.Record.ID, b.Record.ID))
	})

	zn := mapping(0,
		key("name"), str(z, false),
		key("provider"), str(provider, false),
		key("purge"), boolNode(true),
	)
	if len(skipped) > 0 {
		zn.Content = append(zn.Content, key("unmanaged"), unmanagedNode(skipped))
	}
	rs := &yaml.Node{Kind: yaml.SequenceNode}
	if len(entries) == 0 {
		rs.Style = yaml.FlowStyle // records: []
	}
	for _, e := range entries {
		rs.Content = append(rs.Content, e.node())
	}
	zn.Content = append(zn.Content, key("records"), rs)
	root := mapping(0, key("zones"), &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{zn}})
	out, err = encode(header, root)
	if err != nil {
		return nil, nil, fmt.Errorf("importer: zone %s: encode: %w", z, err)
	}
	return out, skipped, nil
}

// compareRecords orders records by name, type, then content.
func compareRecords(a, b providers.Record) int {
	return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Type, b.Type), cmp.Compare(a.Content, b.Content))
}

// node renders e in flow style, defaults left out:
// {name: "@", type: MX, value: mx1.example.net, priority: 10, ttl: 3600}.
func (e entry) node() *yaml.Node {
	r := e.rec
	free := r.Type == "TXT" || r.Type == "CAA" // free text: always quoted
	n := mapping(yaml.FlowStyle,
		key("name"), str(r.Name, false),
		key("type"), str(r.Type, false),
		key("value"), str(e.value, free),
	)
	if providers.HasPriority(r.Type) {
		n.Content = append(n.Content, key("priority"), intNode(r.Priority))
	}
	if e.ttl != 0 {
		n.Content = append(n.Content, key("ttl"), intNode(e.ttl))
	}
	if r.Proxied {
		n.Content = append(n.Content, key("proxied"), boolNode(true))
	}
	if e.comment != "" {
		n.Content = append(n.Content, key("comment"), str(e.comment, true))
	}
	return n
}

// declare returns how r is declared, or why it cannot be. It checks what
// the schema enforces, then that the declaration loads back (Normalize,
// then the provider's Fit, as reconcile.DesiredFromState does) to exactly r.
func declare(provider string, caps providers.Capabilities, r providers.Record) (entry, string) {
	if !utf8.ValidString(r.Name) || !utf8.ValidString(r.Content) || !utf8.ValidString(r.Comment) {
		return entry{}, "it is not valid UTF-8, which a YAML file cannot hold"
	}
	if !slices.Contains(providers.Types, r.Type) {
		return entry{}, fmt.Sprintf("type %s is not one itlag manages (%s)", show(r.Type), strings.Join(providers.Types, ", "))
	}
	if r.Name == "" || strings.HasSuffix(r.Name, ".") || strings.ContainsFunc(r.Name, unicode.IsSpace) {
		return entry{}, fmt.Sprintf("name %s is not a name the state allows (relative, no spaces, no trailing dot)", excerpt(r.Name, 40))
	}
	e := entry{rec: r, value: r.Content}
	if r.Type == "TXT" {
		e.value = txtValue(r.Content)
	}
	switch {
	case r.Proxied, r.TTL == providers.AutoTTL, caps.AutoTTL != 0 && r.TTL == caps.AutoTTL:
		e.ttl = 0 // auto
	case r.TTL < minTTL || r.TTL > maxTTL:
		return entry{}, fmt.Sprintf("ttl %d is outside what the state allows: auto or %d-%d seconds", r.TTL, minTTL, maxTTL)
	default:
		e.ttl = r.TTL
	}
	if providers.HasPriority(r.Type) && (r.Priority < 0 || r.Priority > maxPriority) {
		return entry{}, fmt.Sprintf("priority %d is outside what the state allows: 0-%d", r.Priority, maxPriority)
	}
	if caps.Comments {
		e.comment = r.Comment
	}
	if n := utf8.RuneCountInString(e.comment); n > maxCommentRunes {
		return entry{}, fmt.Sprintf("comment is %d characters, the state allows at most %d", n, maxCommentRunes)
	}
	d, err := providers.Normalize(providers.Record{
		Zone: r.Zone, Name: r.Name, Type: r.Type, Content: e.value,
		TTL: e.ttl, Proxied: r.Proxied, Priority: r.Priority, Comment: e.comment,
	})
	if err == nil {
		d, err = caps.Fit(provider, d)
	}
	if err != nil {
		return entry{}, fmt.Sprintf("the state cannot declare it: %v", err)
	}
	if !d.SameAttrs(e.rec) {
		return entry{}, "declared, it would load back different: " + difference(d, e.rec)
	}
	return e, ""
}

// txtValue is the value that declares TXT content c: c itself, or, when
// Normalize would change c (surrounding spaces, a leading quote, empty),
// c in zone-file form ("…" "…"), which Normalize unquotes back to c.
func txtValue(c string) string {
	if c != "" && c == strings.TrimSpace(c) && !strings.HasPrefix(c, `"`) {
		return c
	}
	return providers.QuoteTXT(c)
}

// difference names the fields in which got (as loaded) differs from live.
func difference(got, live providers.Record) string {
	var d []string
	add := func(field, g, l string) {
		if g != l {
			d = append(d, fmt.Sprintf("%s %s, live %s", field, g, l))
		}
	}
	add("name", excerpt(got.Name, 40), excerpt(live.Name, 40))
	add("type", got.Type, live.Type)
	add("value", excerpt(got.Content, 40), excerpt(live.Content, 40))
	add("ttl", fmt.Sprint(got.TTL), fmt.Sprint(live.TTL))
	add("priority", fmt.Sprint(got.Priority), fmt.Sprint(live.Priority))
	add("proxied", fmt.Sprint(got.Proxied), fmt.Sprint(live.Proxied))
	add("comment", excerpt(got.Comment, 40), excerpt(live.Comment, 40))
	return strings.Join(d, "; ")
}

// dropDuplicates skips every record whose Key another record shares: the
// state can declare a Key once, and one declaration would plan a delete of
// the other copy.
func dropDuplicates(entries []entry, skipped []Skipped) ([]entry, []Skipped) {
	count := map[string]int{}
	for _, e := range entries {
		count[e.rec.Key()]++
	}
	return split(entries, skipped, func(e entry) string {
		if n := count[e.rec.Key()]; n > 1 {
			return fmt.Sprintf("%d live records share this name, type and value; the state declares each once", n)
		}
		return ""
	})
}

// dropCNAMEConflicts skips the CNAMEs at names holding other records too:
// the schema allows a CNAME only alone at its name.
func dropCNAMEConflicts(entries []entry, skipped []Skipped) ([]entry, []Skipped) {
	records := map[string]int{}
	for _, e := range entries {
		records[e.rec.Name]++
	}
	return split(entries, skipped, func(e entry) string {
		if e.rec.Type == "CNAME" && records[e.rec.Name] > 1 {
			return fmt.Sprintf("a CNAME must be alone at its name, and %s has %d records", excerpt(e.rec.Name, 40), records[e.rec.Name])
		}
		return ""
	})
}

// split moves the entries for which why returns a reason to skipped.
func split(entries []entry, skipped []Skipped, why func(entry) string) ([]entry, []Skipped) {
	kept := entries[:0]
	for _, e := range entries {
		if reason := why(e); reason != "" {
			skipped = append(skipped, Skipped{Record: e.rec, Reason: reason})
			continue
		}
		kept = append(kept, e)
	}
	return kept, skipped
}
