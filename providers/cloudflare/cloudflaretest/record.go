package cloudflaretest

import (
	"fmt"
	"net/netip"
	"strings"
	"time"
)

// Record is a DNS record as the fake stores it.
type Record struct {
	ID string `json:"id"`
	// Type is upper case ("A", "TXT").
	Type string `json:"type"`
	// Name is the fully qualified name: punycode, lower case, no trailing dot.
	Name string `json:"name"`
	// Content is what the API returns as "content": for TXT the quoted
	// strings when they were sent quoted or had to be split; for CAA
	// `flags tag "value"`; for SRV `weight port target`.
	Content string `json:"content"`
	// TTL is 1 for automatic, else 60..86400.
	TTL     int  `json:"ttl"`
	Proxied bool `json:"proxied,omitempty"`
	// Priority is used by MX and SRV.
	Priority int      `json:"priority,omitempty"`
	Comment  string   `json:"comment,omitempty"`
	Tags     []string `json:"tags,omitempty"`
	// Data is set for CAA and SRV.
	Data *Data `json:"data,omitempty"`
	// AutoAdded marks the records Cloudflare adds itself (apex NS).
	AutoAdded  bool      `json:"auto_added,omitempty"`
	CreatedOn  time.Time `json:"created_on"`
	ModifiedOn time.Time `json:"modified_on"`
}

// Data is the structured content of CAA (Flags, Tag, Value) and SRV
// (Priority, Weight, Port, Target) records.
type Data struct {
	Flags    int    `json:"flags,omitempty"`
	Tag      string `json:"tag,omitempty"`
	Value    string `json:"value,omitempty"`
	Priority int    `json:"priority,omitempty"`
	Weight   int    `json:"weight,omitempty"`
	Port     int    `json:"port,omitempty"`
	Target   string `json:"target,omitempty"`
}

// wire is the record as the API returns it.
type wire struct {
	ID         string         `json:"id"`
	Name       string         `json:"name"`
	Type       string         `json:"type"`
	Content    string         `json:"content"`
	Proxiable  bool           `json:"proxiable"`
	Proxied    bool           `json:"proxied"`
	TTL        int            `json:"ttl"`
	Priority   *int           `json:"priority,omitempty"`
	Data       map[string]any `json:"data,omitempty"`
	Comment    *string        `json:"comment"`
	Tags       []string       `json:"tags"`
	Settings   struct{}       `json:"settings"`
	Meta       wireMeta       `json:"meta"`
	CreatedOn  string         `json:"created_on"`
	ModifiedOn string         `json:"modified_on"`
}

// wireMeta is a record's "meta" (its fields in the order the API sends
// them).
type wireMeta struct {
	AutoAdded           bool   `json:"auto_added"`
	ManagedByApps       bool   `json:"managed_by_apps"`
	ManagedByArgoTunnel bool   `json:"managed_by_argo_tunnel"`
	Source              string `json:"source"`
}

func (r Record) wire() wire {
	w := wire{
		ID: r.ID, Name: r.Name, Type: r.Type, Content: r.Content,
		Proxiable: proxiable(r.Type), Proxied: r.Proxied, TTL: r.TTL,
		Tags:       r.Tags,
		Meta:       wireMeta{AutoAdded: r.AutoAdded, Source: "primary"},
		CreatedOn:  r.CreatedOn.UTC().Format(time.RFC3339Nano),
		ModifiedOn: r.ModifiedOn.UTC().Format(time.RFC3339Nano),
	}
	if w.Tags == nil {
		w.Tags = []string{}
	}
	if r.Comment != "" {
		c := r.Comment
		w.Comment = &c
	}
	if r.Type == "MX" || r.Type == "SRV" {
		p := r.Priority
		w.Priority = &p
	}
	if r.Data != nil {
		switch r.Type {
		case "CAA":
			w.Data = map[string]any{"flags": r.Data.Flags, "tag": r.Data.Tag, "value": r.Data.Value}
		case "SRV":
			w.Data = map[string]any{"priority": r.Data.Priority, "weight": r.Data.Weight, "port": r.Data.Port, "target": r.Data.Target}
		}
	}
	return w
}

func proxiable(t string) bool { return t == "A" || t == "AAAA" || t == "CNAME" }

// knownTypes are the record types the fake accepts; itlag manages only
// some of them, the rest let tests seed records it must leave alone.
var knownTypes = map[string]bool{
	"A": true, "AAAA": true, "CNAME": true, "MX": true, "TXT": true, "CAA": true, "SRV": true, "NS": true,
	"PTR": true, "HTTPS": true, "SVCB": true, "TLSA": true, "SSHFP": true, "URI": true, "LOC": true,
	"NAPTR": true, "CERT": true, "DS": true, "DNSKEY": true, "SMIMEA": true, "OPENPGPKEY": true,
}

// sameRecord reports whether a and b are the same DNS record (ignoring
// TTL, proxied, comment and tags), as the identical-record check sees it.
func sameRecord(a, b Record) bool {
	if a.Type != b.Type || a.Name != b.Name {
		return false
	}
	if (a.Type == "MX" || a.Type == "SRV") && a.Priority != b.Priority {
		return false
	}
	switch a.Type {
	case "TXT":
		return txtValue(a.Content) == txtValue(b.Content)
	case "CNAME", "MX", "NS", "SRV", "CAA":
		return strings.EqualFold(a.Content, b.Content)
	}
	return a.Content == b.Content
}

// txtValue is the value a TXT content stands for: quoted strings joined,
// or the content itself when it is not quoted.
//
// It is written apart from providers.UnquoteTXT on purpose: the fake is the
// server and imports nothing of the client it tests, so a bug in the
// client's quoting cannot hide behind the same bug in the fake.
func txtValue(s string) string {
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

// splitTXT turns an unquoted value longer than 255 bytes into quoted
// strings of at most 255 bytes, as Cloudflare does.
func splitTXT(s string) string {
	if strings.HasPrefix(s, `"`) || len(s) <= 255 {
		return s
	}
	var parts []string
	for len(s) > 0 {
		n := min(len(s), 255)
		chunk := strings.ReplaceAll(strings.ReplaceAll(s[:n], `\`, `\\`), `"`, `\"`)
		parts = append(parts, `"`+chunk+`"`)
		s = s[n:]
	}
	return strings.Join(parts, " ")
}

// validContent checks the content of r by type and canonicalises what the
// real API canonicalises (addresses, trailing dots on host names).
func validContent(r *Record) []apiError {
	switch r.Type {
	case "A":
		ip, err := netip.ParseAddr(strings.TrimSpace(r.Content))
		if err != nil || !ip.Is4() {
			return []apiError{errf(codeBadA, "Content for A record is invalid. Must be a valid IPv4 address.")}
		}
		r.Content = ip.String()
	case "AAAA":
		ip, err := netip.ParseAddr(strings.TrimSpace(r.Content))
		if err != nil || !ip.Is6() || ip.Is4In6() {
			return []apiError{errf(codeBadAAAA, "Content for AAAA record is invalid. Must be a valid IPv6 address.")}
		}
		r.Content = ip.String()
	case "CNAME", "NS", "MX":
		h := strings.TrimSuffix(strings.TrimSpace(r.Content), ".")
		if r.Type == "MX" && strings.TrimSpace(r.Content) == "." {
			h = "."
		}
		if h == "" || strings.ContainsAny(h, " \t\"") {
			return []apiError{errf(codeValidation, fmt.Sprintf("DNS Validation Error: content for %s record must be a host name.", r.Type))}
		}
		r.Content = h
	case "TXT":
		if r.Content == "" {
			return []apiError{errf(codeValidation, "DNS Validation Error: content for TXT record is required.")}
		}
		r.Content = splitTXT(r.Content)
		if len(r.Content) > 2048 {
			return []apiError{errf(codeValidation, "DNS Validation Error: content for TXT record must be at most 2048 characters.")}
		}
	default:
		if strings.TrimSpace(r.Content) == "" {
			return []apiError{errf(codeValidation, fmt.Sprintf("DNS Validation Error: content for %s record is required.", r.Type))}
		}
	}
	return nil
}
