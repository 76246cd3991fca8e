package monitor

import (
	"net/url"
	"slices"
	"strings"
)

// redacted stands in for a hidden part of a target.
const redacted = "***"

// DisplayTarget is target as it may be shown anywhere (page, reports,
// alerts, check output, errors): a URL's userinfo, query values and
// fragment are replaced by "***" (query keys stay, so "?token=***" still
// says what the URL carries). A target that is not a URL (host:port, a
// DNS name) is returned as it is.
func DisplayTarget(target string) string {
	scheme, _, ok := strings.Cut(target, "://")
	if !ok {
		return target
	}
	u, err := url.Parse(target)
	if err != nil {
		// never echo what could not be parsed: it may hold anything
		return scheme + "://" + redacted
	}
	var b strings.Builder
	b.WriteString(u.Scheme + "://")
	if u.User != nil {
		b.WriteString(redacted + "@")
	}
	b.WriteString(u.Host)
	b.WriteString(u.EscapedPath())
	if u.RawQuery != "" || u.ForceQuery {
		b.WriteString("?")
		for i, kv := range strings.Split(u.RawQuery, "&") {
			if i > 0 {
				b.WriteString("&")
			}
			k, _, hasValue := strings.Cut(kv, "=")
			b.WriteString(k)
			if hasValue {
				b.WriteString("=" + redacted)
			}
		}
	}
	if u.Fragment != "" || u.RawFragment != "" {
		b.WriteString("#" + redacted)
	}
	return b.String()
}

// targetSecrets are the parts of target DisplayTarget hides (password,
// user, query values, fragment), longest first.
func targetSecrets(target string) []string {
	if !strings.Contains(target, "://") {
		return nil
	}
	u, err := url.Parse(target)
	if err != nil {
		return []string{target}
	}
	var out []string
	if u.User != nil {
		out = append(out, u.User.String(), u.User.Username())
		if pw, ok := u.User.Password(); ok {
			out = append(out, pw, url.QueryEscape(pw))
		}
	}
	for _, vs := range u.Query() {
		for _, v := range vs {
			out = append(out, v, url.QueryEscape(v))
		}
	}
	for _, kv := range strings.Split(u.RawQuery, "&") {
		if _, v, ok := strings.Cut(kv, "="); ok {
			out = append(out, v)
		}
	}
	out = append(out, u.Fragment, u.RawFragment)
	out = slices.DeleteFunc(out, func(s string) bool { return len(s) < 4 })
	slices.SortFunc(out, func(a, b string) int { return len(b) - len(a) })
	return slices.Compact(out)
}

// scrubTarget replaces target, and what DisplayTarget hides of it, in s
// (an error message).
func scrubTarget(s, target string) string {
	if s == "" || !strings.Contains(target, "://") {
		return s
	}
	s = strings.ReplaceAll(s, target, DisplayTarget(target))
	for _, secret := range targetSecrets(target) {
		s = strings.ReplaceAll(s, secret, redacted)
	}
	return s
}
