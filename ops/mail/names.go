package mail

import (
	"strings"
)

// findName is the first of names (in their order) written in s as a
// whole name (not inside a longer host name or word); "" when none. s
// and names compare case-insensitively.
func findName(s string, names []string) string {
	low := strings.ToLower(s)
	for _, n := range names {
		if n != "" && containsName(low, strings.ToLower(n)) {
			return n
		}
	}
	return ""
}

func containsName(low, name string) bool {
	for from := 0; from <= len(low)-len(name); {
		i := strings.Index(low[from:], name)
		if i < 0 {
			return false
		}
		i += from
		end := i + len(name)
		before := i == 0 || !nameByte(low[i-1]) && low[i-1] != '.'
		after := end == len(low) || !nameByte(low[end]) && (low[end] != '.' || end+1 == len(low) || !nameByte(low[end+1]))
		if before && after {
			return true
		}
		from = i + 1
	}
	return false
}

func nameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}

// underDomain reports whether host is domain or one of its subdomains.
func underDomain(host, domain string) bool {
	host, domain = strings.ToLower(strings.TrimSuffix(host, ".")), strings.ToLower(domain)
	return domain != "" && (host == domain || strings.HasSuffix(host, "."+domain))
}

func underAny(host string, domains []string) bool {
	for _, d := range domains {
		if underDomain(host, d) {
			return true
		}
	}
	return false
}

// firstLine is the first non-empty line of s matching re (any when re is
// nil), trimmed and cut to 160 bytes.
func firstLine(s string, re *pattern) string {
	for line := range strings.SplitSeq(s, "\n") {
		line = strings.TrimSpace(line)
		if line != "" && (re == nil || re.MatchString(line)) {
			return cut(line, 160)
		}
	}
	return ""
}

// cut shortens s to at most n bytes on a rune boundary, marking the cut.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}

// orWord is s, or word when s is "".
func orWord(s, word string) string {
	if s == "" {
		return word
	}
	return s
}
