package providers

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"golang.org/x/net/idna"
)

// AutoTTL is the TTL value meaning "let the provider choose" (Cloudflare: 1).
const AutoTTL = 1

// Record is one DNS record in canonical form: the form Normalize returns, in
// which two records that a provider would treat as the same compare equal.
type Record struct {
	// ID is the provider's identifier; empty on the desired side.
	ID string `json:"id,omitempty"`
	// Zone is the zone apex, ASCII (punycode), lowercase, no trailing dot.
	Zone string `json:"zone"`
	// Name is relative to the zone: "@" for the apex, "*" or "*.x" for
	// wildcards; ASCII, lowercase.
	Name string `json:"name"`
	Type string `json:"type"`
	// Content is canonical per type: A/AAAA the address; CNAME/NS/MX a host
	// name (ASCII, lowercase, no trailing dot); TXT the unquoted value, all
	// character-strings joined; CAA `flags tag "value"`; SRV
	// `weight port target`.
	Content string `json:"content"`
	// Priority is used by MX and SRV only.
	Priority int `json:"priority,omitempty"`
	// TTL in seconds; AutoTTL (1) means automatic.
	TTL     int    `json:"ttl"`
	Proxied bool   `json:"proxied,omitempty"`
	Comment string `json:"comment,omitempty"`
}

// Types lists the record types itlag manages.
var Types = []string{"A", "AAAA", "CNAME", "MX", "TXT", "CAA", "SRV", "NS"}

// Proxiable reports whether records of type t may be proxied.
func Proxiable(t string) bool { return t == "A" || t == "AAAA" || t == "CNAME" }

// HasPriority reports whether records of type t carry a priority.
func HasPriority(t string) bool { return t == "MX" || t == "SRV" }

// Key identifies a record inside its zone for matching: name, type and
// content. TTL, priority, proxied and comment are attributes that an update
// changes.
func (r Record) Key() string { return r.Name + "/" + r.Type + "/" + r.Content }

// SameAttrs reports whether r and o agree on everything but ID.
func (r Record) SameAttrs(o Record) bool {
	r.ID, o.ID = "", ""
	return r == o
}

// NormalizeZone returns the canonical form of a zone name.
func NormalizeZone(zone string) (string, error) {
	z := strings.TrimSuffix(strings.TrimSpace(zone), ".")
	if z == "" {
		return "", fmt.Errorf("empty zone name")
	}
	if isLDH(z) {
		return z, nil // what idna.Lookup.ToASCII makes of it
	}
	a, err := idna.Lookup.ToASCII(z)
	if err != nil {
		return "", fmt.Errorf("zone %q: %w", zone, err)
	}
	return strings.ToLower(a), nil
}

// RelativeName turns a fully qualified name into one relative to zone ("@"
// for the apex). Both must already be canonical (ASCII, lowercase).
func RelativeName(fqdn, zone string) string {
	fqdn = strings.TrimSuffix(strings.ToLower(fqdn), ".")
	if fqdn == zone {
		return "@"
	}
	if rel, ok := strings.CutSuffix(fqdn, "."+zone); ok {
		return rel
	}
	return fqdn
}

// FQDN turns a relative name back into a fully qualified one (no trailing dot).
func FQDN(name, zone string) string {
	if name == "@" || name == "" {
		return zone
	}
	return name + "." + zone
}

// NormalizeName returns the canonical relative name: "@" for the apex,
// labels in punycode, lowercase; a leading "*" label is kept.
func NormalizeName(name string) (string, error) {
	n := strings.TrimSpace(name)
	if n == "" || n == "@" {
		return "@", nil
	}
	if strings.HasSuffix(n, ".") {
		return "", fmt.Errorf("name %q: must be relative to the zone (no trailing dot)", name)
	}
	if asciiLabels(n) {
		return strings.ToLower(n), nil // what the loop below makes of it
	}
	labels := strings.Split(n, ".")
	for i, l := range labels {
		if l == "*" && i == 0 {
			continue
		}
		if l == "" {
			return "", fmt.Errorf("name %q: empty label", name)
		}
		a, err := toASCIILabel(l)
		if err != nil {
			return "", fmt.Errorf("name %q: %w", name, err)
		}
		labels[i] = a
	}
	return strings.Join(labels, "."), nil
}

// toASCIILabel converts one label; labels such as "_dmarc" or "_sip" are
// legal in DNS but not in IDNA host names, so pure-ASCII labels pass as they are.
func toASCIILabel(l string) (string, error) {
	ascii := true
	for i := 0; i < len(l); i++ {
		if l[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(l), nil
	}
	a, err := idna.Lookup.ToASCII(l)
	if err != nil {
		return "", err
	}
	return strings.ToLower(a), nil
}

// asciiLabels reports whether s is ASCII labels, none empty: such a name's
// canonical form is s in lower case (toASCIILabel lowers an ASCII label and
// leaves it at that). Checked first, it spares the common name splitting
// and joining again.
func asciiLabels(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 || s[i] == '.' && s[i+1] == '.' {
			return false
		}
	}
	return true
}

// isLDH reports whether s is labels of lower-case letters, digits and
// hyphens, none empty, none starting or ending with a hyphen or with
// hyphens in its third and fourth places (as "xn--" has): a name that
// idna.Lookup.ToASCII returns as it is (each label valid under its STD3
// rules, nothing to map, no punycode to check). Checked first, it spares
// the common zone name the IDNA mapping.
func isLDH(s string) bool {
	start := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] != '.' {
			c := s[i]
			if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
				return false
			}
			continue
		}
		l := s[start:i]
		if l == "" || l[0] == '-' || l[len(l)-1] == '-' || len(l) >= 4 && l[2:4] == "--" {
			return false
		}
		start = i + 1
	}
	return true
}

// NormalizeHost returns a canonical host name target: ASCII, lowercase, no
// trailing dot ("." stays "." for a null MX).
func NormalizeHost(h string) (string, error) {
	h = strings.TrimSpace(h)
	if h == "." {
		return ".", nil
	}
	h = strings.TrimSuffix(h, ".")
	if h == "" {
		return "", fmt.Errorf("empty host name")
	}
	if asciiLabels(h) {
		return strings.ToLower(h), nil // what the loop below makes of it
	}
	labels := strings.Split(h, ".")
	for i, l := range labels {
		if l == "" {
			return "", fmt.Errorf("host %q: empty label", h)
		}
		if l == "*" && i == 0 {
			continue
		}
		a, err := toASCIILabel(l)
		if err != nil {
			return "", fmt.Errorf("host %q: %w", h, err)
		}
		labels[i] = a
	}
	return strings.Join(labels, "."), nil
}

// Normalize returns r in canonical form, or an error naming what is wrong.
// It is what both the desired side and every provider's Observe use, so that
// apply-then-plan is empty.
func Normalize(r Record) (Record, error) {
	var err error
	if r.Zone, err = NormalizeZone(r.Zone); err != nil {
		return r, err
	}
	if r.Name, err = NormalizeName(r.Name); err != nil {
		return r, err
	}
	r.Type = strings.ToUpper(strings.TrimSpace(r.Type))
	if r.TTL == 0 {
		r.TTL = AutoTTL
	}
	if !Proxiable(r.Type) {
		r.Proxied = false
	}
	if r.Proxied {
		r.TTL = AutoTTL // a proxied record's TTL is always automatic
	}
	if !HasPriority(r.Type) {
		r.Priority = 0
	}
	r.Comment = strings.TrimSpace(r.Comment)
	c := strings.TrimSpace(r.Content)
	switch r.Type {
	case "A", "AAAA":
		ip, perr := netip.ParseAddr(c)
		if perr != nil {
			return r, fmt.Errorf("%s %q: not an IP address", r.Type, c)
		}
		if r.Type == "A" && !ip.Is4() {
			return r, fmt.Errorf("A %q: not an IPv4 address", c)
		}
		if r.Type == "AAAA" && (!ip.Is6() || ip.Is4In6()) {
			return r, fmt.Errorf("AAAA %q: not an IPv6 address", c)
		}
		r.Content = ip.String()
	case "CNAME", "NS", "MX":
		if r.Content, err = NormalizeHost(c); err != nil {
			return r, fmt.Errorf("%s: %w", r.Type, err)
		}
	case "TXT":
		r.Content = UnquoteTXT(c)
	case "CAA":
		if r.Content, err = normalizeCAA(c); err != nil {
			return r, err
		}
	case "SRV":
		if r.Content, err = normalizeSRV(c); err != nil {
			return r, err
		}
	default:
		return r, fmt.Errorf("type %q: not one of %s", r.Type, strings.Join(Types, ", "))
	}
	return r, nil
}

// UnquoteTXT turns a TXT value in zone-file form (`"a" "b"`) into the one
// string it stands for ("ab"). A value that does not start with a quote is
// returned as it is.
func UnquoteTXT(s string) string {
	if !strings.HasPrefix(s, `"`) {
		return s
	}
	var b strings.Builder
	in := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && in && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case c == '"':
			in = !in
		case in:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// QuoteTXT splits a TXT value into character-strings of at most 255 bytes,
// each quoted, as the DNS wire format requires: `"chunk1" "chunk2"`.
func QuoteTXT(s string) string {
	var parts []string
	for {
		n := min(len(s), 255)
		// never split inside a UTF-8 sequence (when there is a boundary to
		// split at: bytes that are not UTF-8 are split anywhere)
		for n < len(s) && n > 0 && s[n]&0xC0 == 0x80 {
			n--
		}
		if n == 0 {
			n = min(len(s), 255)
		}
		chunk := strings.ReplaceAll(strings.ReplaceAll(s[:n], `\`, `\\`), `"`, `\"`)
		parts = append(parts, `"`+chunk+`"`)
		s = s[n:]
		if s == "" {
			break
		}
	}
	return strings.Join(parts, " ")
}

// ParseCAA splits canonical or loose CAA content into flags, tag and value.
func ParseCAA(s string) (flags int, tag, value string, err error) {
	f := strings.Fields(s)
	if len(f) < 3 {
		return 0, "", "", fmt.Errorf("CAA %q: want `flags tag \"value\"`", s)
	}
	flags, err = strconv.Atoi(f[0])
	if err != nil || flags < 0 || flags > 255 {
		return 0, "", "", fmt.Errorf("CAA %q: flags must be 0-255", s)
	}
	tag = strings.ToLower(f[1])
	if tag != "issue" && tag != "issuewild" && tag != "iodef" && tag != "issuemail" {
		return 0, "", "", fmt.Errorf("CAA %q: tag must be issue, issuewild, iodef or issuemail", s)
	}
	rest := strings.TrimSpace(s)
	rest = strings.TrimSpace(rest[len(f[0]):])
	rest = strings.TrimSpace(rest[len(f[1]):])
	value = strings.Trim(rest, `"`)
	return flags, tag, value, nil
}

func normalizeCAA(s string) (string, error) {
	flags, tag, value, err := ParseCAA(s)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d %s %q", flags, tag, value), nil
}

// ParseSRV splits SRV content `weight port target`.
func ParseSRV(s string) (weight, port int, target string, err error) {
	f := strings.Fields(s)
	if len(f) != 3 {
		return 0, 0, "", fmt.Errorf("SRV %q: want `weight port target` (priority goes in its own field)", s)
	}
	weight, err1 := strconv.Atoi(f[0])
	port, err2 := strconv.Atoi(f[1])
	if err1 != nil || err2 != nil || weight < 0 || weight > 65535 || port < 0 || port > 65535 {
		return 0, 0, "", fmt.Errorf("SRV %q: weight and port must be 0-65535", s)
	}
	target, err = NormalizeHost(f[2])
	if err != nil {
		return 0, 0, "", fmt.Errorf("SRV: %w", err)
	}
	return weight, port, target, nil
}

func normalizeSRV(s string) (string, error) {
	w, p, t, err := ParseSRV(s)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d %d %s", w, p, t), nil
}
