package periodic

import (
	"bytes"
	"html"
	"regexp"
	"strings"
)

// HTML renders r as one self-contained HTML document for mail clients:
// the Markdown's headings, tables, lists and paragraphs, with the charts
// (name → SVG) inline where the Markdown shows them. No script, no
// external reference.
func HTML(r Report, charts map[string][]byte) []byte {
	links := map[string]string{}
	for name := range charts {
		links[name] = "chart:" + name
	}
	md := Markdown(r, links)
	var b bytes.Buffer
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
	b.WriteString(html.EscapeString("IT report " + r.Period.Name))
	b.WriteString("</title></head>\n<body style=\"font-family: system-ui, sans-serif; color: #1b1b1b; background: #fff; max-width: 60em\">\n")
	lines := strings.Split(string(md), "\n")
	inTable, inList := false, false
	closeBlocks := func() {
		if inTable {
			b.WriteString("</table>\n")
			inTable = false
		}
		if inList {
			b.WriteString("</ul>\n")
			inList = false
		}
	}
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		switch {
		case strings.HasPrefix(l, "# "):
			closeBlocks()
			b.WriteString("<h1>" + inline(l[2:]) + "</h1>\n")
		case strings.HasPrefix(l, "## "):
			closeBlocks()
			b.WriteString("<h2>" + inline(l[3:]) + "</h2>\n")
		case strings.HasPrefix(l, "!["):
			closeBlocks()
			if m := imageRE.FindStringSubmatch(l); m != nil {
				if svg, ok := charts[strings.TrimPrefix(m[2], "chart:")]; ok {
					b.WriteString("<div>")
					b.Write(svg)
					b.WriteString("</div>\n")
				}
			}
		case strings.HasPrefix(l, "|"):
			if inList {
				b.WriteString("</ul>\n")
				inList = false
			}
			cells := strings.Split(strings.Trim(l, "|"), " | ")
			if i+1 < len(lines) && strings.HasPrefix(lines[i+1], "|---") {
				b.WriteString("<table style=\"border-collapse: collapse\" border=\"1\" cellpadding=\"4\">\n<tr>")
				for _, c := range cells {
					b.WriteString("<th>" + inline(strings.TrimSpace(c)) + "</th>")
				}
				b.WriteString("</tr>\n")
				inTable = true
				i++ // the separator line
				continue
			}
			b.WriteString("<tr>")
			for _, c := range cells {
				b.WriteString("<td>" + inline(strings.TrimSpace(c)) + "</td>")
			}
			b.WriteString("</tr>\n")
		case strings.HasPrefix(l, "- "):
			if inTable {
				b.WriteString("</table>\n")
				inTable = false
			}
			if !inList {
				b.WriteString("<ul>\n")
				inList = true
			}
			b.WriteString("<li>" + inline(l[2:]) + "</li>\n")
		case strings.TrimSpace(l) == "":
			closeBlocks()
		default:
			closeBlocks()
			b.WriteString("<p>" + inline(l) + "</p>\n")
		}
	}
	closeBlocks()
	b.WriteString("</body></html>\n")
	return b.Bytes()
}

var (
	imageRE = regexp.MustCompile(`^!\[([^\]]*)\]\(([^)]*)\)$`)
	boldRE  = regexp.MustCompile(`\*\*([^*]+)\*\*`)
	emRE    = regexp.MustCompile(`\*([^*]+)\*`)
	codeRE  = regexp.MustCompile("`([^`]+)`")
	linkRE  = regexp.MustCompile(`\[([^\]]+)\]\([^)]*\)`)
)

// inline escapes s and turns **bold**, *emphasis* and `code` into HTML;
// links keep their text only (they point into the repository).
func inline(s string) string {
	s = linkRE.ReplaceAllString(s, "$1")
	s = html.EscapeString(s)
	s = codeRE.ReplaceAllString(s, "<code>$1</code>")
	s = boldRE.ReplaceAllString(s, "<strong>$1</strong>")
	return emRE.ReplaceAllString(s, "<em>$1</em>")
}
