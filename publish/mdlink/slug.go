package mdlink

import (
	"fmt"
	"html"
	"regexp"
	"strings"
	"unicode"
)

// Anchors returns the anchors GitHub gives the headings of a Markdown text
// (outside code blocks): each heading's Slug, and for a slug already taken
// the first free one of slug-1, slug-2, …, as GitHub numbers duplicates.
func Anchors(markdown []byte) map[string]bool {
	return anchors(parse(markdown).heads)
}

func anchors(heads []heading) map[string]bool {
	taken := map[string]bool{}
	count := map[string]int{} // slug → how many times it came before
	for _, h := range heads {
		s := Slug(h.text)
		a := s
		for taken[a] {
			count[s]++
			a = fmt.Sprintf("%s-%d", s, count[s])
		}
		taken[a] = true
	}
	return taken
}

var (
	imageRE   = regexp.MustCompile(`!\[[^\]]*\]\([^)]*\)`)
	linkRE    = regexp.MustCompile(`\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])`)
	htmlTagRE = regexp.MustCompile(`</?[A-Za-z][^<>]*>`)
)

// Slug is GitHub's anchor for a heading, given as Markdown text ("Qué
// hacer si `plan` falla"). It is worked out on the text the heading shows:
// inline code is its content, a link its text, an image and an HTML tag
// nothing, emphasis marks are dropped and entities decoded. That text is
// lower-cased; letters (of any script, accents kept), marks, digits, '-'
// and '_' stay, each space becomes '-', and everything else (¿ ? ¡ ! , .
// : ( ) / … – and symbols) is dropped. Duplicates are numbered by Anchors,
// not here.
func Slug(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(shown(heading)) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsNumber(r) || unicode.Is(unicode.Pc, r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// shown returns the text a Markdown heading shows: code spans as their
// content; outside them, links as their text, no images, HTML tags or
// emphasis underscores, and entities and backslash escapes resolved.
func shown(md string) string {
	var b strings.Builder
	last := 0
	for _, s := range codeSpans(md) {
		b.WriteString(shownProse(md[last:s[0]]))
		b.WriteString(md[s[1]:s[2]])
		last = s[3]
	}
	b.WriteString(shownProse(md[last:]))
	return b.String()
}

// escapedUnderscore stands for "\_" while emphasis is taken out.
const escapedUnderscore = '\uE000'

func shownProse(s string) string {
	s = imageRE.ReplaceAllString(s, "")
	s = linkRE.ReplaceAllString(s, "$1")
	s = htmlTagRE.ReplaceAllString(s, "")
	s = strings.ReplaceAll(s, `\_`, string(escapedUnderscore))
	s = dropEmphasis(s)
	s = strings.ReplaceAll(s, string(escapedUnderscore), "_")
	return html.UnescapeString(s)
}

// dropEmphasis removes the runs of '_' that open or close emphasis: those
// with a letter or digit on one side only ("_word_", "__init__"), not
// those inside a word ("snake_case") or standing alone (" _ ").
func dropEmphasis(s string) string {
	rs := []rune(s)
	word := func(i int) bool {
		return i >= 0 && i < len(rs) && (unicode.IsLetter(rs[i]) || unicode.IsNumber(rs[i]))
	}
	var b strings.Builder
	for i := 0; i < len(rs); {
		if rs[i] != '_' {
			b.WriteRune(rs[i])
			i++
			continue
		}
		j := i
		for j < len(rs) && rs[j] == '_' {
			j++
		}
		if word(i-1) == word(j) {
			b.WriteString(string(rs[i:j]))
		}
		i = j
	}
	return b.String()
}
