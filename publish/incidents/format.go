package incidents

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/lagrieta/itlag/finding"
)

// ParseError is a malformed incident file: where and what.
type ParseError struct {
	File string // empty when parsing bytes that came from no file
	Line int    // 1-based
	Msg  string
}

func (e *ParseError) Error() string {
	if e.File == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// Render returns the file for inc: front matter, "# <Summary>", then the
// body verbatim. resolved_at and duration appear only when resolved.
func (inc Incident) Render() []byte {
	var b strings.Builder
	b.WriteString("---\n")
	kv := func(k, v string) { b.WriteString(k + ": " + v + "\n") }
	kv("id", yamlString(inc.ID))
	kv("severity", yamlString(string(inc.Severity)))
	kv("status", yamlString(inc.Status))
	kv("first_seen", formatTime(inc.FirstSeen))
	kv("last_seen", formatTime(inc.LastSeen))
	if inc.Status == StatusResolved {
		kv("resolved_at", formatTime(inc.ResolvedAt))
		kv("duration", formatDuration(inc.Duration()))
	}
	kv("source", yamlString(inc.Source))
	kv("fingerprint", yamlString(inc.Fingerprint))
	b.WriteString("---\n\n# " + inc.Summary + "\n")
	for _, s := range inc.Body {
		if s.Title != "" {
			b.WriteString("## " + s.Title + "\n")
		}
		b.WriteString(s.Text)
	}
	return []byte(b.String())
}

// Parse reads an incident file. The front matter must be the flat
// "key: value" form Render writes (values plain, "double" or 'single'
// quoted); the body is kept verbatim, "## " headings inside fenced code
// blocks included in their section. Errors are *ParseError.
func Parse(data []byte) (Incident, error) {
	lines := strings.SplitAfter(string(data), "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	fail := func(line int, format string, a ...any) (Incident, error) {
		return Incident{}, &ParseError{Line: line, Msg: fmt.Sprintf(format, a...)}
	}
	if len(lines) == 0 || trimEOL(lines[0]) != "---" {
		return fail(1, `front matter: first line must be "---"`)
	}
	fm := map[string]string{}
	fmLine := map[string]int{}
	i := 1
	for ; i < len(lines) && trimEOL(lines[i]) != "---"; i++ {
		n, l := i+1, trimEOL(lines[i])
		if strings.TrimSpace(l) == "" {
			continue
		}
		k, v, ok := strings.Cut(l, ":")
		if !ok || !keyRE.MatchString(k) {
			return fail(n, "front matter: want \"key: value\", got %q", l)
		}
		if _, dup := fmLine[k]; dup {
			return fail(n, "front matter: duplicate key %q", k)
		}
		val, err := yamlUnquote(strings.TrimSpace(v))
		if err != nil {
			return fail(n, "front matter: %s: %v", k, err)
		}
		fm[k], fmLine[k] = val, n
	}
	if i == len(lines) {
		return fail(i+1, `front matter: not closed with "---"`)
	}
	closeLine := i + 1
	inc, err := fromFrontMatter(fm, fmLine, closeLine)
	if err != nil {
		return Incident{}, err
	}
	for i++; i < len(lines) && strings.TrimSpace(lines[i]) == ""; i++ {
	}
	if i == len(lines) || !strings.HasPrefix(lines[i], "# ") {
		return fail(i+1, `want the "# <summary>" title after the front matter`)
	}
	inc.Summary = trimEOL(lines[i][2:])
	inc.Body = parseBody(lines[i+1:])
	return inc, nil
}

var keyRE = regexp.MustCompile(`^[a-z_]+$`)

func trimEOL(s string) string { return strings.TrimRight(s, "\r\n") }

func fromFrontMatter(fm map[string]string, at map[string]int, closeLine int) (Incident, error) {
	fail := func(k, format string, a ...any) (Incident, error) {
		line, ok := at[k]
		if !ok {
			line = closeLine
		}
		return Incident{}, &ParseError{Line: line, Msg: fmt.Sprintf("front matter: %s: ", k) + fmt.Sprintf(format, a...)}
	}
	for k := range fm {
		if !knownKeys[k] {
			return fail(k, "unknown key")
		}
	}
	for _, k := range []string{"id", "severity", "status", "first_seen", "last_seen", "source", "fingerprint"} {
		if _, ok := fm[k]; !ok {
			return fail(k, "missing")
		}
	}
	inc := Incident{ID: fm["id"], Severity: finding.Severity(fm["severity"]), Status: fm["status"],
		Source: fm["source"], Fingerprint: fm["fingerprint"]}
	if !idRE.MatchString(inc.ID) {
		return fail("id", "%q is not lowercase letters, digits and dashes", inc.ID)
	}
	if !validSeverity(inc.Severity) {
		return fail("severity", "%q is not critical, high, medium or low", inc.Severity)
	}
	if inc.Fingerprint == "" {
		return fail("fingerprint", "empty")
	}
	var err error
	for _, t := range []struct {
		key string
		dst *time.Time
	}{{"first_seen", &inc.FirstSeen}, {"last_seen", &inc.LastSeen}, {"resolved_at", &inc.ResolvedAt}} {
		v, ok := fm[t.key]
		if !ok {
			continue
		}
		if *t.dst, err = time.Parse(time.RFC3339, v); err != nil {
			return fail(t.key, "want an RFC 3339 time like 2026-11-26T09:30:00Z, got %q", v)
		}
		*t.dst = t.dst.UTC()
	}
	switch inc.Status {
	case StatusOpen:
		for _, k := range []string{"resolved_at", "duration"} {
			if _, ok := fm[k]; ok {
				return fail(k, "set on an open incident")
			}
		}
	case StatusResolved:
		if _, ok := fm["resolved_at"]; !ok {
			return fail("resolved_at", "missing on a resolved incident")
		}
		if inc.ResolvedAt.Before(inc.FirstSeen) {
			return fail("resolved_at", "before first_seen")
		}
	default:
		return fail("status", "%q is not open or resolved", inc.Status)
	}
	if inc.LastSeen.Before(inc.FirstSeen) {
		return fail("last_seen", "before first_seen")
	}
	return inc, nil
}

var (
	knownKeys = map[string]bool{"id": true, "severity": true, "status": true, "first_seen": true,
		"last_seen": true, "resolved_at": true, "duration": true, "source": true, "fingerprint": true}
	idRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
)

// parseBody splits the lines after the title into sections.
func parseBody(lines []string) Sections {
	var body Sections
	cur := Section{}
	started := false // cur is a heading section, or a non-empty lead
	var text strings.Builder
	var fenceChar byte
	fenceLen := 0
	for _, l := range lines {
		if fenceLen == 0 && strings.HasPrefix(l, "## ") {
			if started || text.Len() > 0 {
				cur.Text = text.String()
				body = append(body, cur)
			}
			cur, started = Section{Title: strings.TrimSuffix(l[3:], "\n")}, true
			text.Reset()
			continue
		}
		fenceChar, fenceLen = trackFence(l, fenceChar, fenceLen)
		text.WriteString(l)
	}
	if started || text.Len() > 0 {
		cur.Text = text.String()
		body = append(body, cur)
	}
	return body
}

// trackFence follows CommonMark fenced code blocks: ``` or ~~~ (3 or more,
// indented at most 3 spaces) opens one; the same character, at least as
// many, and nothing else on the line closes it.
func trackFence(line string, char byte, n int) (byte, int) {
	l := trimEOL(line)
	ind := len(l) - len(strings.TrimLeft(l, " "))
	if ind > 3 {
		return char, n
	}
	l = l[ind:]
	if len(l) < 3 || (l[0] != '`' && l[0] != '~') {
		return char, n
	}
	c, run := l[0], 0
	for run < len(l) && l[run] == c {
		run++
	}
	if run < 3 {
		return char, n
	}
	if n == 0 {
		if c == '`' && strings.ContainsRune(l[run:], '`') {
			return char, n // not a fence: info strings of ``` fences have no backtick
		}
		return c, run
	}
	if c == char && run >= n && strings.TrimSpace(l[run:]) == "" {
		return 0, 0
	}
	return char, n
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// formatDuration writes d compactly: "45s", "3h20m", "2d4h" (seconds are
// dropped from a minute on, zero units are left out).
func formatDuration(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%ds", int(d/time.Second))
	}
	d = d.Truncate(time.Minute)
	var b strings.Builder
	for _, u := range []struct {
		d    time.Duration
		name string
	}{{24 * time.Hour, "d"}, {time.Hour, "h"}, {time.Minute, "m"}} {
		if n := d / u.d; n > 0 {
			fmt.Fprintf(&b, "%d%s", n, u.name)
			d -= n * u.d
		}
	}
	return b.String()
}

// plainRE is what may stand unquoted in YAML as a string; ambiguousRE is
// what YAML would read as a number, a time or a boolean.
var (
	plainRE     = regexp.MustCompile(`^[A-Za-z0-9_/][A-Za-z0-9_./:@+-]*$`)
	ambiguousRE = regexp.MustCompile(`^(?:` +
		`[-+]?(?:0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?)` +
		`|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?` +
		`|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?` +
		`|(?i:y|n|yes|no|true|false|on|off|null)` +
		`)$`)
)

func yamlString(s string) string {
	if plainRE.MatchString(s) && !strings.HasSuffix(s, ":") && !ambiguousRE.MatchString(s) {
		return s
	}
	return strconv.Quote(s)
}

func yamlUnquote(v string) (string, error) {
	switch {
	case strings.HasPrefix(v, `"`):
		s, err := strconv.Unquote(v)
		if err != nil {
			return "", fmt.Errorf("bad double-quoted string %s", v)
		}
		return s, nil
	case strings.HasPrefix(v, "'"):
		if len(v) < 2 || !strings.HasSuffix(v, "'") || strings.Contains(strings.ReplaceAll(v[1:len(v)-1], "''", ""), "'") {
			return "", fmt.Errorf("bad single-quoted string %s", v)
		}
		return strings.ReplaceAll(v[1:len(v)-1], "''", "'"), nil
	}
	return v, nil
}
