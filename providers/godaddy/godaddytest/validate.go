package godaddytest

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/lagrieta/itlag/providers"
)

// writable are the types a request may write (SOA is GoDaddy's).
var writable = []string{"A", "AAAA", "CNAME", "MX", "NS", "SRV", "TXT", "CAA"}

// The TTL bounds the API accepts, and the TTL of a record sent without one.
const (
	MinTTL     = 600
	MaxTTL     = 604800
	DefaultTTL = 3600
)

// validate checks one record of a request body; typ and name come from the
// path or the body (already upper- and lowercased). It returns the record
// as stored, or what is wrong with it, each under path.
func validate(x input, typ, name, path string) (Record, []fieldError) {
	var bad []fieldError
	fail := func(field, code, msg string) {
		p := path
		if field != "" {
			p += "." + field
		}
		bad = append(bad, fieldError{Code: code, Message: msg, Path: p})
	}
	rec := Record{Type: typ, Name: name, Data: strings.TrimSpace(x.Data), TTL: DefaultTTL}
	if !slices.Contains(writable, typ) {
		fail("type", "INVALID_VALUE", fmt.Sprintf("type %q: must be one of %s", typ, strings.Join(writable, ", ")))
		return rec, bad
	}
	if name != "@" && !hostname(name) {
		fail("name", "INVALID_VALUE", fmt.Sprintf("name %q: not a valid record name", name))
	}
	if x.TTL != nil {
		rec.TTL = *x.TTL
		switch {
		case rec.TTL < MinTTL:
			fail("ttl", "MIN_VALUE", fmt.Sprintf("must be at least %d", MinTTL))
		case rec.TTL > MaxTTL:
			fail("ttl", "MAX_VALUE", fmt.Sprintf("must be at most %d", MaxTTL))
		}
	}
	if rec.Data == "" {
		fail("data", "MISSING", "data is required")
		return rec, bad
	}
	host := func() {
		h := strings.ToLower(strings.TrimSuffix(rec.Data, "."))
		if h != "@" && !hostname(h) {
			fail("data", "INVALID_VALUE", fmt.Sprintf("%q: not a host name", rec.Data))
		}
		rec.Data = h
	}
	need := func(field string, p *int, lo, hi int) *int {
		if p == nil {
			fail(field, "MISSING", field+" is required for "+typ)
			return nil
		}
		if *p < lo || *p > hi {
			fail(field, "INVALID_VALUE", fmt.Sprintf("must be between %d and %d", lo, hi))
		}
		v := *p
		return &v
	}
	switch typ {
	case "A", "AAAA":
		ip, err := netip.ParseAddr(rec.Data)
		if err != nil || (typ == "A" && !ip.Is4()) || (typ == "AAAA" && (!ip.Is6() || ip.Is4In6())) {
			fail("data", "INVALID_VALUE", fmt.Sprintf("%q: not an IPv%s address", rec.Data, map[string]string{"A": "4", "AAAA": "6"}[typ]))
		}
	case "CNAME", "NS":
		host()
	case "MX":
		host()
		rec.Priority = need("priority", x.Priority, 0, 65535)
	case "SRV":
		host()
		rec.Priority = need("priority", x.Priority, 0, 65535)
		rec.Weight = need("weight", x.Weight, 0, 65535)
		rec.Port = need("port", x.Port, 1, 65535)
		rec.Service, rec.Protocol = strings.ToLower(x.Service), strings.ToLower(x.Protocol)
		for _, fv := range [][2]string{{"service", rec.Service}, {"protocol", rec.Protocol}} {
			f, v := fv[0], fv[1]
			if !strings.HasPrefix(v, "_") || !hostname(v) || strings.Contains(v, ".") {
				fail(f, "INVALID_VALUE", fmt.Sprintf("%s %q: must be one label starting with _", f, v))
			}
		}
	case "CAA":
		if _, _, _, err := providers.ParseCAA(rec.Data); err != nil {
			fail("data", "INVALID_VALUE", err.Error())
		}
	}
	return rec, bad
}

// hostname reports whether h is a host name: labels of letters, digits,
// hyphens and underscores, a leading "*" label allowed.
func hostname(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	for i, l := range strings.Split(h, ".") {
		if l == "*" && i == 0 {
			continue
		}
		if l == "" || len(l) > 63 {
			return false
		}
		for _, c := range l {
			if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '-' && c != '_' {
				return false
			}
		}
	}
	return true
}

// identity is what makes two records "the same" (DUPLICATE_RECORD): TTL
// and priority are attributes.
func identity(r Record) string {
	id := r.Type + "|" + r.Name + "|" + r.Data
	if r.Type == "SRV" {
		id += fmt.Sprintf("|%s|%s|%d|%d", r.Service, r.Protocol, deref(r.Weight), deref(r.Port))
	}
	return id
}

func deref(p *int) int {
	if p == nil {
		return -1
	}
	return *p
}

func ptr(v int) *int { return &v }

// fromCanonical turns a canonical record into its stored form.
func fromCanonical(r providers.Record) (Record, error) {
	w := Record{Type: strings.ToUpper(r.Type), Name: r.Name, Data: r.Content, TTL: r.TTL}
	if w.Name == "" {
		w.Name = "@"
	}
	if w.TTL == providers.AutoTTL || w.TTL == 0 {
		w.TTL = DefaultTTL
	}
	switch w.Type {
	case "MX":
		w.Priority = ptr(r.Priority)
	case "SRV":
		weight, port, target, err := providers.ParseSRV(r.Content)
		if err != nil {
			return w, err
		}
		labels := strings.SplitN(r.Name, ".", 3)
		if len(labels) < 2 || !strings.HasPrefix(labels[0], "_") || !strings.HasPrefix(labels[1], "_") {
			return w, fmt.Errorf("SRV name %q: want _service._protocol[.name]", r.Name)
		}
		w.Service, w.Protocol, w.Name = labels[0], labels[1], "@"
		if len(labels) == 3 {
			w.Name = labels[2]
		}
		w.Data, w.Priority, w.Weight, w.Port = target, ptr(r.Priority), ptr(weight), ptr(port)
	}
	return w, nil
}

// toCanonical turns a stored record into canonical form; false for the
// SOA, GoDaddy's own apex NS records and what does not normalise.
func toCanonical(zone string, w Record) (providers.Record, bool) {
	if w.Type == "SOA" || (w.Type == "NS" && w.Name == "@" && providers.NameServerHost(w.Data) == "godaddy") {
		return providers.Record{}, false
	}
	r := providers.Record{Zone: zone, Name: w.Name, Type: w.Type, Content: w.Data, TTL: w.TTL}
	if w.Data == "@" {
		r.Content = zone
	}
	if w.Priority != nil {
		r.Priority = *w.Priority
	}
	if w.Type == "SRV" {
		r.Name = w.Service + "." + w.Protocol
		if w.Name != "@" {
			r.Name += "." + w.Name
		}
		r.Content = fmt.Sprintf("%d %d %s", deref(w.Weight), deref(w.Port), r.Content)
	}
	n, err := providers.Normalize(r)
	return n, err == nil
}
