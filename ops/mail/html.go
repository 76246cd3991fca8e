package mail

import (
	"strings"

	"golang.org/x/net/html"
)

// blockTags end a line of the text an HTML part turns into.
var blockTags = map[string]bool{
	"p": true, "br": true, "div": true, "tr": true, "li": true, "table": true, "ul": true, "ol": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "hr": true,
	"blockquote": true, "pre": true, "section": true, "header": true, "footer": true, "title": true,
}

// htmlText converts an HTML part to text (no scripts, styles or tags;
// entities decoded; white space collapsed, one line per block) and
// returns the http(s) targets of its links in order.
func htmlText(s string) (string, []string) {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	var links []string
	skip := 0 // inside script, style, head title…
	for {
		switch z.Next() {
		case html.ErrorToken:
			return collapse(b.String()), links
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			tag := string(name)
			switch tag {
			case "script", "style", "noscript", "template":
				if z.Token().Type == html.StartTagToken {
					skip++
				}
			case "a":
				for hasAttr {
					var k, v []byte
					k, v, hasAttr = z.TagAttr()
					if string(k) == "href" {
						if l := cleanLink(string(v)); l != "" {
							links = append(links, l)
						}
					}
				}
			case "td", "th":
				b.WriteByte(' ')
			}
			if blockTags[tag] {
				b.WriteByte('\n')
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch tag := string(name); tag {
			case "script", "style", "noscript", "template":
				if skip > 0 {
					skip--
				}
			default:
				if blockTags[tag] {
					b.WriteByte('\n')
				}
			}
		}
	}
}

// collapse trims each line, turns runs of white space into one space
// and drops empty lines.
func collapse(s string) string {
	var out []string
	for line := range strings.SplitSeq(s, "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			out = append(out, strings.Join(f, " "))
		}
	}
	return strings.Join(out, "\n")
}

var bareLinkRE = re(`\bhttps?://[^\s<>"'` + "`" + `{}|\\^\[\]]+`)

// bareLinks are the http(s) URLs written out in text.
func bareLinks(s string) []string {
	var out []string
	for _, l := range bareLinkRE.FindAllString(s, -1) {
		if l = cleanLink(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// cleanLink trims what surrounds a link in prose and keeps only http(s)
// links with a host.
func cleanLink(l string) string {
	l = strings.TrimSpace(l)
	l = strings.TrimRight(l, ".,;:!?)")
	low := strings.ToLower(l)
	var rest string
	switch {
	case strings.HasPrefix(low, "https://"):
		rest = l[len("https://"):]
	case strings.HasPrefix(low, "http://"):
		rest = l[len("http://"):]
	default:
		return ""
	}
	if rest == "" || rest[0] == '/' {
		return ""
	}
	return l
}
