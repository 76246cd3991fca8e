package cloudflaretest

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/net/idna"
)

// input is a record as a client sends it; nil fields were not sent.
type input struct {
	ID       *string         `json:"id"`
	Type     *string         `json:"type"`
	Name     *string         `json:"name"`
	Content  *string         `json:"content"`
	TTL      *int            `json:"ttl"`
	Proxied  *bool           `json:"proxied"`
	Priority *int            `json:"priority"`
	Comment  json.RawMessage `json:"comment"`
	Tags     *[]string       `json:"tags"`
	Data     *dataInput      `json:"data"`
}

type dataInput struct {
	Flags    *int    `json:"flags"`
	Tag      *string `json:"tag"`
	Value    *string `json:"value"`
	Priority *int    `json:"priority"`
	Weight   *int    `json:"weight"`
	Port     *int    `json:"port"`
	Target   *string `json:"target"`
}

// mode says how an input combines with the record it changes.
type mode int

const (
	create mode = iota // a new record: defaults for what is missing
	put                // replace: defaults for what is missing, ID kept
	patch              // change only what was sent
)

// build applies in to base (the existing record for put and patch) and
// validates the result on its own; conflicts with other records are
// checked by the caller.
func build(zone string, base Record, in input, m mode) (Record, []apiError) {
	var r Record
	if m == patch {
		r = base
		if r.Data != nil {
			d := *r.Data
			r.Data = &d
		}
	} else {
		r = Record{ID: base.ID, CreatedOn: base.CreatedOn, TTL: 1}
	}
	var errs []apiError
	bad := func(format string, a ...any) {
		errs = append(errs, errf(codeValidation, "DNS Validation Error: "+fmt.Sprintf(format, a...)))
	}
	if in.Type != nil {
		r.Type = strings.ToUpper(strings.TrimSpace(*in.Type))
	}
	if in.Name != nil {
		n, err := fqdn(*in.Name, zone)
		if err != nil {
			bad("%v", err)
		}
		r.Name = n
	}
	if in.Content != nil {
		r.Content = *in.Content
	}
	if in.TTL != nil {
		r.TTL = *in.TTL
	}
	if in.Proxied != nil {
		r.Proxied = *in.Proxied
	}
	if in.Priority != nil {
		r.Priority = *in.Priority
	}
	if len(in.Comment) > 0 {
		var c *string
		if err := json.Unmarshal(in.Comment, &c); err != nil {
			bad("comment must be a string")
		}
		r.Comment = ""
		if c != nil {
			r.Comment = *c
		}
	}
	if in.Tags != nil {
		r.Tags = append([]string(nil), (*in.Tags)...)
	}
	switch {
	case r.Type == "":
		bad("type is required")
	case !knownTypes[r.Type]:
		bad("unsupported record type %q", r.Type)
	}
	if r.Name == "" && len(errs) == 0 {
		bad("name is required")
	}
	if len(errs) > 0 {
		return r, errs
	}
	errs = append(errs, structured(&r, in)...)
	if r.TTL != 1 && (r.TTL < 60 || r.TTL > 86400) {
		errs = append(errs, errf(codeBadTTL, "Invalid TTL. Must be between 60 and 86400 seconds, or 1 for automatic."))
	}
	if r.Proxied && !proxiable(r.Type) {
		errs = append(errs, errf(codeNotProxiable, "This record type cannot be proxied."))
	}
	if r.Type == "MX" && in.Priority == nil && m != patch {
		bad("priority is required for MX records")
	}
	if (r.Type == "MX" || r.Type == "SRV") && (r.Priority < 0 || r.Priority > 65535) {
		bad("priority must be 0-65535")
	}
	if r.Type != "MX" && r.Type != "SRV" {
		r.Priority = 0
	}
	if r.Type == "SRV" && !srvName(r.Name) {
		bad("SRV record name must be of the form _service._proto.name")
	}
	if len([]rune(r.Comment)) > 100 {
		bad("comment must be at most 100 characters")
	}
	if len(errs) == 0 {
		errs = validContent(&r)
	}
	if r.Proxied {
		r.TTL = 1 // proxied records are always served with automatic TTL
	}
	return r, errs
}

// structured fills Data and Content of CAA and SRV records from whichever
// was sent: data wins over content.
func structured(r *Record, in input) []apiError {
	if r.Type != "CAA" && r.Type != "SRV" {
		r.Data = nil
		return nil
	}
	d := Data{}
	if r.Data != nil && in.Content == nil {
		d = *r.Data
	} else if r.Content != "" {
		parsed, err := parseContent(r.Type, r.Content, r.Priority)
		if err != nil {
			return []apiError{errf(codeValidation, "DNS Validation Error: "+err.Error())}
		}
		d = parsed
	}
	if in.Priority != nil {
		d.Priority = *in.Priority
	}
	if di := in.Data; di != nil {
		setInt(&d.Flags, di.Flags)
		setInt(&d.Priority, di.Priority)
		setInt(&d.Weight, di.Weight)
		setInt(&d.Port, di.Port)
		setStr(&d.Tag, di.Tag)
		setStr(&d.Value, di.Value)
		setStr(&d.Target, di.Target)
	}
	switch r.Type {
	case "CAA":
		d.Tag = strings.ToLower(d.Tag)
		if d.Flags < 0 || d.Flags > 255 {
			return []apiError{errf(codeValidation, "DNS Validation Error: CAA flags must be 0-255")}
		}
		switch d.Tag {
		case "issue", "issuewild", "iodef", "issuemail":
		default:
			return []apiError{errf(codeValidation, "DNS Validation Error: CAA tag must be issue, issuewild, iodef or issuemail")}
		}
		d = Data{Flags: d.Flags, Tag: d.Tag, Value: d.Value}
		r.Content = fmt.Sprintf("%d %s \"%s\"", d.Flags, d.Tag, d.Value)
	case "SRV":
		d.Target = strings.TrimSuffix(d.Target, ".")
		if d.Target == "" || d.Weight < 0 || d.Weight > 65535 || d.Port < 0 || d.Port > 65535 {
			return []apiError{errf(codeValidation, "DNS Validation Error: SRV data needs weight and port 0-65535 and a target")}
		}
		d = Data{Priority: d.Priority, Weight: d.Weight, Port: d.Port, Target: d.Target}
		r.Priority = d.Priority
		r.Content = fmt.Sprintf("%d %d %s", d.Weight, d.Port, d.Target)
	}
	r.Data = &d
	return nil
}

// parseContent reads CAA `flags tag "value"` or SRV `weight port target`
// (or `priority weight port target`).
func parseContent(typ, s string, prio int) (Data, error) {
	f := strings.Fields(s)
	switch typ {
	case "CAA":
		if len(f) < 3 {
			return Data{}, fmt.Errorf("CAA content must be `flags tag \"value\"`")
		}
		flags, err := strconv.Atoi(f[0])
		if err != nil {
			return Data{}, fmt.Errorf("CAA flags must be a number")
		}
		rest := strings.TrimSpace(s)
		rest = strings.TrimSpace(rest[len(f[0]):])
		rest = strings.TrimSpace(rest[len(f[1]):])
		return Data{Flags: flags, Tag: f[1], Value: strings.Trim(rest, `"`)}, nil
	default: // SRV
		if len(f) == 4 {
			p, err := strconv.Atoi(f[0])
			if err != nil {
				return Data{}, fmt.Errorf("SRV priority must be a number")
			}
			prio, f = p, f[1:]
		}
		if len(f) != 3 {
			return Data{}, fmt.Errorf("SRV content must be `weight port target`")
		}
		w, err1 := strconv.Atoi(f[0])
		p, err2 := strconv.Atoi(f[1])
		if err1 != nil || err2 != nil {
			return Data{}, fmt.Errorf("SRV weight and port must be numbers")
		}
		return Data{Priority: prio, Weight: w, Port: p, Target: f[2]}, nil
	}
}

func setInt(dst *int, v *int) {
	if v != nil {
		*dst = *v
	}
}

func setStr(dst *string, v *string) {
	if v != nil {
		*dst = *v
	}
}

// fqdn turns a name as sent (relative, "@", fully qualified, Unicode, with
// or without a trailing dot) into the stored form, as Cloudflare does.
func fqdn(name, zone string) (string, error) {
	n := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(name), "."))
	if n == "" || n == "@" {
		return zone, nil
	}
	labels := strings.Split(n, ".")
	for i, l := range labels {
		if l == "" || len(l) > 63 && !strings.HasPrefix(l, "xn--") {
			return "", fmt.Errorf("DNS name %q is invalid", name)
		}
		if l == "*" {
			if i != 0 {
				return "", fmt.Errorf("DNS name %q is invalid: a wildcard must be the leftmost label", name)
			}
			continue
		}
		if !isASCII(l) {
			a, err := idna.Lookup.ToASCII(l)
			if err != nil {
				return "", fmt.Errorf("DNS name %q is invalid", name)
			}
			labels[i] = strings.ToLower(a)
			continue
		}
		for _, c := range l {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return "", fmt.Errorf("DNS name %q is invalid", name)
			}
		}
	}
	n = strings.Join(labels, ".")
	if n != zone && !strings.HasSuffix(n, "."+zone) {
		n += "." + zone
	}
	if len(n) > 253 {
		return "", fmt.Errorf("DNS name %q is too long", name)
	}
	return n, nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// srvName reports whether name starts with _service._proto labels.
func srvName(name string) bool {
	l := strings.Split(name, ".")
	return len(l) >= 3 && strings.HasPrefix(l[0], "_") && strings.HasPrefix(l[1], "_")
}
