package incidents

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/lagrieta/itlag/finding"
)

// Status values.
const (
	StatusOpen     = "open"
	StatusResolved = "resolved"
)

// Section titles of the response protocol, in file order. Detection is
// written by itlag; the other four are for humans.
const (
	Detection  = "Detection and classification"
	Analysis   = "Initial analysis"
	Action     = "Action taken"
	Verify     = "Verification"
	Prevention = "Prevention"
)

// Placeholder is the line itlag writes once into each human section.
const Placeholder = "_To be filled in by the responder._"

// Markers around the part of the Detection section that itlag rewrites.
const (
	beginMarker = "<!-- itlag:begin (written by itlag; add notes outside this block) -->"
	endMarker   = "<!-- itlag:end -->"
)

// Incident is one incidents/<id>.md file.
type Incident struct {
	ID       string
	Severity finding.Severity
	Status   string // StatusOpen or StatusResolved
	// FirstSeen is when the incident was opened. LastSeen is the last time
	// it was seen when something in the file changed (see the package doc).
	// ResolvedAt is zero while open.
	FirstSeen, LastSeen, ResolvedAt time.Time
	Source, Fingerprint             string
	// Summary is the "# " title: the finding's summary when opened. itlag
	// does not rewrite it; the Detection block carries the latest one.
	Summary string
	Body    Sections
}

// Section is one "## <Title>" part of the body. Text is everything after
// the heading line up to the next "## " heading (or the end of the file),
// verbatim, blank lines included. A Section with an empty Title can only be
// first: it holds the text between the "# " title and the first heading.
type Section struct {
	Title string
	Text  string
}

// Sections is the body of an incident, in file order.
type Sections []Section

// Index returns the position of the section titled title, or -1.
func (s Sections) Index(title string) int {
	for i, sec := range s {
		if sec.Title != "" && strings.TrimSpace(sec.Title) == title {
			return i
		}
	}
	return -1
}

// Text returns the trimmed text of the section titled title ("" if absent).
func (s Sections) Text(title string) string {
	if i := s.Index(title); i >= 0 {
		return strings.TrimSpace(s[i].Text)
	}
	return ""
}

// Duration is ResolvedAt - FirstSeen for a resolved incident, 0 while open.
func (inc Incident) Duration() time.Duration {
	if inc.Status != StatusResolved || inc.ResolvedAt.IsZero() {
		return 0
	}
	return inc.ResolvedAt.Sub(inc.FirstSeen)
}

// ID returns the readable, stable ID of an incident first seen at
// firstSeen: "<UTC date>-<slug of source>-<first 6 hex of fingerprint>",
// e.g. "2026-11-26-nas-office-3fa2c1". A fingerprint that does not start
// with 6 hex digits is hashed first. Update adds "-2", "-3", … when the ID
// is already taken (the same problem back on the same day).
func ID(source, fingerprint string, firstSeen time.Time) string {
	return firstSeen.UTC().Format("2006-01-02") + "-" + slug(source) + "-" + shortHex(fingerprint)
}

const maxSlug = 40

func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			if b.Len() >= maxSlug {
				break
			}
			continue
		}
		dash = true
	}
	if b.Len() == 0 {
		return "unknown"
	}
	return b.String()
}

func shortHex(fp string) string {
	fp = strings.ToLower(fp)
	if len(fp) >= 6 {
		if _, err := hex.DecodeString(fp[:6]); err == nil {
			return fp[:6]
		}
	}
	sum := sha256.Sum256([]byte(fp))
	return hex.EncodeToString(sum[:3])
}

// severityMeaning is the classification line of the Detection block.
var severityMeaning = map[finding.Severity]string{
	finding.Critical: "main operation down",
	finding.High:     "a function impaired",
	finding.Medium:   "degraded performance",
	finding.Low:      "minor",
}

func validSeverity(s finding.Severity) bool {
	_, ok := severityMeaning[s]
	return ok
}

// oneLine folds s to one line, so it cannot break the file's structure.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// detectionBlock is itlag's part of the Detection section for f, markers
// included, each line ending in "\n".
func detectionBlock(f finding.Finding) string {
	var b strings.Builder
	b.WriteString(beginMarker + "\n")
	fmt.Fprintf(&b, "- Severity: **%s** (%s)\n", f.Severity, severityMeaning[f.Severity])
	fmt.Fprintf(&b, "- Source: %s\n", oneLine(f.Source))
	fmt.Fprintf(&b, "- Seen: %s\n", oneLine(f.Summary))
	if d := strings.TrimRight(f.Detail, "\n"); strings.TrimSpace(d) != "" {
		fence := strings.Repeat("`", max(3, longestRun(d, '`')+1))
		b.WriteString("\nDetail:\n\n" + fence + "text\n" + d + "\n" + fence + "\n")
	}
	b.WriteString(endMarker + "\n")
	return b.String()
}

func longestRun(s string, c byte) int {
	best, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}

// replaceBlock returns text with itlag's block replaced by block; if text
// has no complete block, block is put at its start (after blank lines).
func replaceBlock(text, block string) string {
	lines := strings.SplitAfter(text, "\n")
	begin, end := -1, -1
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if begin < 0 && strings.HasPrefix(t, "<!-- itlag:begin") {
			begin = i
		} else if begin >= 0 && t == endMarker {
			end = i
			break
		}
	}
	if begin < 0 || end < 0 {
		i := 0
		for i < len(lines) && strings.TrimSpace(lines[i]) == "" && lines[i] != "" {
			i++
		}
		head := strings.Join(lines[:i], "")
		if head == "" {
			head = "\n"
		}
		rest := strings.Join(lines[i:], "")
		if rest != "" {
			block += "\n"
		}
		return head + block + rest
	}
	return strings.Join(lines[:begin], "") + block + strings.Join(lines[end+1:], "")
}

// newBody is the body of a freshly opened incident.
func newBody(f finding.Finding) Sections {
	ph := "\n" + Placeholder + "\n\n"
	return Sections{
		{Title: "", Text: "\n"},
		{Title: Detection, Text: "\n" + detectionBlock(f) + "\n"},
		{Title: Analysis, Text: ph},
		{Title: Action, Text: ph},
		{Title: Verify, Text: ph},
		{Title: Prevention, Text: "\n" + Placeholder + "\n"},
	}
}
