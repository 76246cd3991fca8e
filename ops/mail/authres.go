package mail

import "strings"

// ParseAuthResults reads one Authentication-Results header value (RFC
// 8601): the authserv-id, then "method=result" with properties such as
// header.d=, header.from= and smtp.mailfrom=. Comments are dropped;
// what it cannot read is skipped. Names and domains are lower case.
func ParseAuthResults(v string) []AuthResult {
	items := splitUnquoted(stripComments(v), ';')
	if len(items) == 0 {
		return nil
	}
	id := strings.Fields(items[0])
	if len(id) == 0 {
		return nil
	}
	servID := strings.ToLower(id[0])
	var out []AuthResult
	for _, item := range items[1:] {
		f := strings.Fields(item)
		if len(f) == 0 {
			continue
		}
		method, result, ok := strings.Cut(f[0], "=")
		if !ok || method == "" || result == "" {
			continue
		}
		method, _, _ = strings.Cut(method, "/") // method/version
		r := AuthResult{AuthServID: servID, Method: strings.ToLower(method), Result: strings.ToLower(result)}
		props := map[string]string{}
		for _, p := range f[1:] {
			if k, val, ok := strings.Cut(p, "="); ok {
				props[strings.ToLower(k)] = strings.ToLower(strings.Trim(val, `"`))
			}
		}
		switch r.Method {
		case "dkim":
			r.Domain = props["header.d"]
			if r.Domain == "" {
				r.Domain = domainOf(props["header.i"])
			}
		case "dmarc":
			r.Domain = props["header.from"]
		case "spf":
			r.Domain = domainOf(props["smtp.mailfrom"])
			if r.Domain == "" {
				r.Domain = props["smtp.helo"]
			}
		default:
			r.Domain = props["header.d"]
		}
		out = append(out, r)
	}
	return out
}

// domainOf is the part after the last @, or s itself without one.
func domainOf(s string) string {
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// stripComments removes RFC 5322 comments (nested parentheses) outside
// quoted strings.
func stripComments(s string) string {
	var b strings.Builder
	depth, quoted := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			if depth == 0 {
				b.WriteByte(c)
				b.WriteByte(s[i+1])
			}
			i++
		case quoted:
			b.WriteByte(c)
			if c == '"' {
				quoted = false
			}
		case c == '(':
			depth++
		case c == ')' && depth > 0:
			depth--
		case depth > 0:
		case c == '"':
			quoted = true
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// splitUnquoted splits s at sep outside quoted strings.
func splitUnquoted(s string, sep byte) []string {
	var out []string
	quoted, start := false, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			quoted = !quoted
		case sep:
			if !quoted {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}
