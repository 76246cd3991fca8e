package mdlink

import (
	"regexp"
	"strings"
)

// Snippet is a piece of code in a Markdown text: one line of a fenced code
// block, or one inline code span.
type Snippet struct {
	Line   int    // the line it is on (1-based); for a span, where it starts
	Text   string // the code; a span's line breaks are made spaces
	Fenced bool   // a line of a fenced block, not an inline span
}

// Code returns the code of a Markdown text, in the order it appears: the
// lines of its fenced code blocks (not the fences) and its inline code
// spans (without their backticks). It is what Check takes no link from.
func Code(markdown []byte) []Snippet {
	return parse(markdown).code
}

// page is what a Markdown text holds that matters here.
type page struct {
	heads []heading // outside code, in order
	links []link    // outside code, in order
	code  []Snippet
}

type heading struct {
	text string // its Markdown text, trimmed
	line int
}

type link struct {
	target string // as written, without <>
	line   int
}

var (
	fenceRE = regexp.MustCompile("^\\s*(`{3,}|~{3,})")
	// An ATX heading; its closing #s need a space before them.
	atxRE = regexp.MustCompile(`^ {0,3}#{1,6}(?:[ \t]+(.*?))??(?:[ \t]+#+)?[ \t]*$`)
	// The underline of a setext heading.
	setextRE = regexp.MustCompile(`^ {0,3}(?:=+|-+)[ \t]*$`)
	// A reference definition: [name]: target "title".
	defRE = regexp.MustCompile(`^ {0,3}\[[^\]]+\]:[ \t]*(<[^>]*>|\S+)`)
	// The destination of an inline link or image: ](target "title").
	destRE = regexp.MustCompile(`\]\([ \t]*(<[^>\n]*>|[^)\s]+)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)`)
)

// parse splits a Markdown text into blocks: fenced code, headings,
// reference definitions and paragraphs (runs of non-blank lines, where code
// spans and links may cross line breaks).
func parse(markdown []byte) page {
	var p page
	var para []string
	paraLine := 0
	flush := func() {
		if len(para) > 0 {
			p.inline(strings.Join(para, "\n"), paraLine)
		}
		para = nil
	}
	var fence string // the opening fence while inside a fenced block
	for i, line := range strings.Split(string(markdown), "\n") {
		n := i + 1
		line = strings.TrimSuffix(line, "\r")
		if fence != "" {
			if closes(line, fence) {
				fence = ""
			} else {
				p.code = append(p.code, Snippet{Line: n, Text: line, Fenced: true})
			}
			continue
		}
		if m := fenceRE.FindStringSubmatch(line); m != nil {
			flush()
			fence = m[1]
			continue
		}
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		if setextRE.MatchString(line) && len(para) > 0 {
			text := make([]string, len(para))
			for j, l := range para {
				text[j] = strings.TrimSpace(l)
			}
			p.heads = append(p.heads, heading{text: strings.Join(text, " "), line: paraLine})
			flush()
			continue
		}
		if m := atxRE.FindStringSubmatch(line); m != nil {
			flush()
			p.heads = append(p.heads, heading{text: m[1], line: n})
			p.inline(m[1], n)
			continue
		}
		if m := defRE.FindStringSubmatch(line); m != nil && len(para) == 0 {
			p.links = append(p.links, link{target: strings.Trim(m[1], "<>"), line: n})
			continue
		}
		if len(para) == 0 {
			paraLine = n
		}
		para = append(para, line)
	}
	flush()
	return p
}

// closes tells whether line closes the fenced block that fence opened: a
// run of the same character, at least as long, and nothing after it.
func closes(line, fence string) bool {
	t := strings.TrimSpace(line)
	return strings.HasPrefix(t, fence) && strings.Trim(t, fence[:1]) == ""
}

// inline takes the code spans and links of a paragraph (or heading) whose
// first line is line.
func (p *page) inline(text string, line int) {
	lineAt := func(i int) int { return line + strings.Count(text[:i], "\n") }
	masked := []byte(text)
	for _, s := range codeSpans(text) {
		p.code = append(p.code, Snippet{Line: lineAt(s[0]), Text: strings.ReplaceAll(text[s[1]:s[2]], "\n", " ")})
		for i := s[0]; i < s[3]; i++ {
			if masked[i] != '\n' {
				masked[i] = ' '
			}
		}
	}
	for _, m := range destRE.FindAllSubmatchIndex(masked, -1) {
		if !strings.Contains(string(masked[:m[0]]), "[") {
			continue
		}
		p.links = append(p.links, link{target: strings.Trim(text[m[2]:m[3]], "<>"), line: lineAt(m[2])})
	}
}

// codeSpans returns the inline code spans of a paragraph: what lies
// between a run of backticks and the next run of the same length. Each
// span is {start, content start, content end, end} in bytes.
func codeSpans(s string) [][4]int {
	var spans [][4]int
	run := func(i int) int {
		n := 0
		for i+n < len(s) && s[i+n] == '`' {
			n++
		}
		return n
	}
	for i := 0; i < len(s); {
		if s[i] != '`' {
			i++
			continue
		}
		n := run(i)
		closed := false
		for j := i + n; j < len(s); {
			if s[j] != '`' {
				j++
				continue
			}
			m := run(j)
			if m == n {
				spans = append(spans, [4]int{i, i + n, j, j + m})
				i, closed = j+m, true
				break
			}
			j += m
		}
		if !closed {
			i += n
		}
	}
	return spans
}
