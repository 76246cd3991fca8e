package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/reconcile"
)

// MaxMarkdown bounds Markdown's output, below GitHub's 65,536-character limit
// on a comment.
const MaxMarkdown = 65000

// markdownReserve is kept free for the closing tags and the truncation note.
const markdownReserve = 400

// Markdown writes p as a pull-request comment: the summary (counts,
// refusals, number of findings), then one collapsible section per zone with
// a table of its changes, then the findings. When that would pass
// MaxMarkdown bytes it writes the summary and as many changes as fit, and
// ends with "… N more changes not shown; see the full plan artifact (itlag
// plan --format json)".
func Markdown(w io.Writer, p *reconcile.Planned) error {
	head := markdownSummary(p)
	zones := groupZones(p.Changes)
	var body strings.Builder
	body.WriteString(head)
	for _, z := range zones {
		body.WriteString(zoneOpen(z))
		for _, c := range z.changes {
			body.WriteString(changeRow(c))
		}
		body.WriteString(zoneDiffs(z))
		body.WriteString(zoneClose)
	}
	body.WriteString(markdownFindings(p.Findings))
	if body.Len() <= MaxMarkdown {
		_, err := io.WriteString(w, body.String())
		return err
	}

	var b strings.Builder
	b.WriteString(head)
	shown := 0
	budget := MaxMarkdown - markdownReserve
zones:
	for _, z := range zones {
		open := zoneOpen(z)
		if b.Len()+len(open) > budget {
			break
		}
		b.WriteString(open)
		for _, c := range z.changes {
			row := changeRow(c)
			if b.Len()+len(row) > budget {
				b.WriteString(zoneClose)
				break zones
			}
			b.WriteString(row)
			shown++
		}
		b.WriteString(zoneClose)
	}
	fmt.Fprintf(&b, "… %d more changes not shown; see the full plan artifact (itlag plan --format json)\n", len(p.Changes)-shown)
	_, err := io.WriteString(w, b.String())
	return err
}

func markdownSummary(p *reconcile.Planned) string {
	var b strings.Builder
	b.WriteString("### itlag plan\n\n")
	if p.Empty() && len(p.Skipped) > 0 {
		b.WriteString("**No changes** to what could be observed. Not observed (access denied, see the findings): " + code(strings.Join(p.Skipped, ", ")) + ".\n\n")
	} else if p.Empty() {
		b.WriteString("**No changes.** The infrastructure matches the desired state.\n\n")
	} else {
		fmt.Fprintf(&b, "**%s**\n\n", summaryLine(p.Summary))
		s := p.Summary
		b.WriteString("| create | update | delete | unchanged | left alone |\n|---:|---:|---:|---:|---:|\n")
		fmt.Fprintf(&b, "| %d | %d | %d | %d | %d |\n\n", s.Create, s.Update, s.Delete, s.Unchanged, s.Unmanaged)
	}
	if len(p.Warnings) > 0 {
		b.WriteString("**Warnings:**\n\n")
		for _, w := range p.Warnings {
			fmt.Fprintf(&b, "- %s\n", cell(w))
		}
		b.WriteString("\n")
	}
	if len(p.Refusals) > 0 {
		b.WriteString("**Refused:** apply is blocked until each rule below is allowed.\n\n")
		for _, r := range p.Refusals {
			fmt.Fprintf(&b, "- **%s** %s: %s\n", r.Rule, code(r.Zone), cell(r.Message))
		}
		b.WriteString("\n")
	}
	if len(p.Allowed) > 0 {
		b.WriteString("**Allowed:** these rules are broken and were allowed explicitly.\n\n")
		for _, r := range p.Allowed {
			fmt.Fprintf(&b, "- **%s** %s: %s\n", r.Rule, code(r.Zone), cell(r.Message))
		}
		b.WriteString("\n")
	}
	if n := len(p.Findings); n > 0 {
		fmt.Fprintf(&b, "Findings: %d (%s).\n\n", n, severityCounts(p.Findings))
	}
	return b.String()
}

func severityCounts(fs []finding.Finding) string {
	counts := map[finding.Severity]int{}
	var order []finding.Severity
	for _, f := range fs {
		if counts[f.Severity] == 0 {
			order = append(order, f.Severity)
		}
		counts[f.Severity]++
	}
	parts := make([]string, len(order))
	for i, s := range order {
		parts[i] = fmt.Sprintf("%d %s", counts[s], s)
	}
	return strings.Join(parts, ", ")
}

type zoneChanges struct {
	key     string
	changes []providers.Change
}

// groupZones splits changes, already in plan order, by zone.
func groupZones(cs []providers.Change) []zoneChanges {
	var out []zoneChanges
	for _, c := range cs {
		k := reconcile.ZoneKey(c.Provider, c.Zone)
		if len(out) == 0 || out[len(out)-1].key != k {
			out = append(out, zoneChanges{key: k})
		}
		out[len(out)-1].changes = append(out[len(out)-1].changes, c)
	}
	return out
}

func zoneOpen(z zoneChanges) string {
	var s reconcile.Summary
	for _, c := range z.changes {
		switch c.Action {
		case providers.Create:
			s.Create++
		case providers.Update:
			s.Update++
		case providers.Delete:
			s.Delete++
		}
	}
	return fmt.Sprintf("<details><summary>%s: %d to create, %d to update, %d to delete</summary>\n\n| action | address | reason |\n|---|---|---|\n",
		htmlEscape(z.key), s.Create, s.Update, s.Delete)
}

const zoneClose = "\n</details>\n\n"

// zoneDiffs shows the unified diffs of a section's file and block changes
// below its table (left out when the comment has to be cut short).
func zoneDiffs(z zoneChanges) string {
	var b strings.Builder
	for _, c := range z.changes {
		if c.Resource == nil || c.Resource.Diff == "" {
			continue
		}
		fence := "```"
		if strings.Contains(c.Resource.Diff, "```") {
			fence = "~~~~"
		}
		fmt.Fprintf(&b, "\n%s:\n\n%sdiff\n%s", code(c.Address), fence, c.Resource.Diff)
		if !strings.HasSuffix(c.Resource.Diff, "\n") {
			b.WriteString("\n")
		}
		b.WriteString(fence + "\n")
	}
	return b.String()
}

func changeRow(c providers.Change) string {
	return fmt.Sprintf("| %s | %s | %s |\n", c.Action, code(c.Address), cell(c.Reason))
}

func markdownFindings(fs []finding.Finding) string {
	if len(fs) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("#### Findings\n\n| severity | source | summary |\n|---|---|---|\n")
	for _, f := range fs {
		summary := cell(f.Summary)
		if f.Detail != "" {
			summary += "<br>" + cell(f.Detail)
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", f.Severity, code(f.Source), summary)
	}
	return b.String()
}

// cell makes s safe inside a table cell: one line, no HTML, and the
// characters Markdown would act on (pipes, backticks, emphasis) escaped.
func cell(s string) string {
	s = htmlEscape(s)
	s = strings.NewReplacer(`\`, `\\`, "|", `\|`, "`", "\\`", "*", `\*`, "_", `\_`).Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

// code shows s as a code span, or as an escaped cell when it holds a
// backtick or a pipe (GitHub splits table cells on pipes even in code).
func code(s string) string {
	if strings.ContainsAny(s, "`|\n") {
		return cell(s)
	}
	return "`" + s + "`"
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
