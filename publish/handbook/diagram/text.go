package diagram

import (
	"encoding/xml"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// esc escapes text for XML character data and attribute values (<, >, &,
// both quotes, newlines; characters XML forbids and invalid UTF-8 become
// U+FFFD).
func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // a strings.Builder never fails
	return b.String()
}

func itoa(n int) string { return strconv.Itoa(n) }

// charWidth is the estimated advance of one character, in font sizes: a
// generous figure for sans-serif, so an estimate errs towards cutting.
const charWidth = 0.62

// fit shortens s with "…" so that it fits in width at size (bold text is
// wider, hence the factor). Control characters are shown as spaces.
func fit(s string, width, size float64, bold bool) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	per := charWidth * size
	if bold {
		per *= 1.08
	}
	n := int(width / per)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	if n < 2 {
		return "…"
	}
	r := []rune(s)
	return strings.TrimRight(string(r[:n-1]), " ") + "…"
}

// urlHost is the host of target: a URL's host without port, or the part
// before ":port" of host:port, or target itself.
func urlHost(target string) string {
	if strings.Contains(target, "://") {
		if u, err := url.Parse(target); err == nil {
			return u.Hostname()
		}
		return ""
	}
	if i := strings.LastIndexByte(target, ':'); i > 0 {
		return target[:i]
	}
	return target
}

// displayTarget is target as it may be shown: for a URL (also behind a
// restic prefix such as "rest:" or "s3:"), its userinfo, query values and
// fragment become "***"; anything else is returned as it is.
func displayTarget(target string) string {
	i := strings.Index(target, "://")
	if i < 0 {
		return target
	}
	start := strings.LastIndexByte(target[:i], ':') + 1 // after a "rest:" prefix
	prefix, raw := target[:start], target[start:]
	u, err := url.Parse(raw)
	if err != nil {
		return prefix + target[start:i] + "://***" // never echo what did not parse
	}
	var b strings.Builder
	b.WriteString(prefix + u.Scheme + "://")
	if u.User != nil {
		b.WriteString("***@")
	}
	b.WriteString(u.Host)
	b.WriteString(u.EscapedPath())
	if u.RawQuery != "" {
		b.WriteString("?***")
	}
	if u.Fragment != "" {
		b.WriteString("#***")
	}
	return b.String()
}
