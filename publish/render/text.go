package render

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/reconcile"
)

// Options tunes the terminal output.
type Options struct {
	// Color turns on ANSI colours (green create, yellow update, red delete).
	Color bool
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
)

func (o Options) paint(color, s string) string {
	if !o.Color || color == "" {
		return s
	}
	return color + s + ansiReset
}

var symbols = map[providers.Action]string{providers.Create: "+", providers.Update: "~", providers.Delete: "-"}
var colors = map[providers.Action]string{providers.Create: ansiGreen, providers.Update: ansiYellow, providers.Delete: ansiRed}

// Text writes p for a terminal: one "+ create", "~ update" or "- delete"
// line per change with its address and reason and the record's fields under
// it (before → after for updates), then the summary line, the refusals and
// the findings.
func Text(w io.Writer, p *reconcile.Planned, o Options) error {
	bw := bufio.NewWriter(w)
	for _, c := range p.Changes {
		head := fmt.Sprintf("%s %s %s", symbols[c.Action], c.Action, c.Address)
		fmt.Fprintf(bw, "%s  (%s)\n", o.paint(colors[c.Action], head), c.Reason)
		for _, f := range changeFields(c) {
			fmt.Fprintf(bw, "      %s\n", f)
		}
	}
	switch {
	case p.Empty() && len(p.Skipped) > 0:
		fmt.Fprintf(bw, "No changes to what could be observed. Not observed (access denied, see the findings): %s.\n", strings.Join(p.Skipped, ", "))
	case p.Empty():
		fmt.Fprintln(bw, "No changes. The infrastructure matches the desired state.")
	default:
		fmt.Fprintf(bw, "\n%s\n", o.paint(ansiBold, summaryLine(p.Summary)))
	}
	if n := p.Summary.Unmanaged; n > 0 {
		fmt.Fprintf(bw, "%d live record(s) left alone (unmanaged rules, or purge: false).\n", n)
	}
	if len(p.Warnings) > 0 {
		fmt.Fprintln(bw)
		for _, w := range p.Warnings {
			fmt.Fprintf(bw, "%s %s\n", o.paint(ansiYellow, "warning:"), w)
		}
	}
	if len(p.Refusals)+len(p.Allowed) > 0 {
		fmt.Fprintln(bw)
		for _, r := range p.Refusals {
			fmt.Fprintf(bw, "%s %s: %s\n", o.paint(ansiRed, "refused:"), r.Rule, r.Message)
		}
		for _, r := range p.Allowed {
			fmt.Fprintf(bw, "%s %s: %s\n", o.paint(ansiYellow, "allowed:"), r.Rule, r.Message)
		}
	}
	if len(p.Findings) > 0 {
		fmt.Fprintln(bw, "\nFindings:")
		for _, f := range p.Findings {
			fmt.Fprintf(bw, "  %s %s: %s\n", o.paint(severityColor(f.Severity), string(f.Severity)), f.Source, f.Summary)
			if f.Detail != "" {
				fmt.Fprintf(bw, "      %s\n", strings.ReplaceAll(f.Detail, "\n", "\n      "))
			}
		}
	}
	return bw.Flush()
}

func summaryLine(s reconcile.Summary) string {
	return fmt.Sprintf("Plan: %d to create, %d to update, %d to delete.", s.Create, s.Update, s.Delete)
}

func severityColor(s finding.Severity) string {
	switch s {
	case finding.Critical, finding.High:
		return ansiRed
	case finding.Medium:
		return ansiYellow
	}
	return ""
}

// changeFields lists a change's record fields: all of them for a create or
// delete, the differing ones as "before → after" for an update; for a file
// or block, the lines of its unified diff.
func changeFields(c providers.Change) []string {
	if c.Resource != nil {
		if c.Resource.Diff == "" {
			return nil
		}
		return strings.Split(strings.TrimSuffix(c.Resource.Diff, "\n"), "\n")
	}
	if c.Before != nil && c.After != nil {
		var out []string
		for _, f := range reconcile.Fields(*c.Before, *c.After) {
			out = append(out, fmt.Sprintf("%s: %s → %s", f.Name, f.Before, f.After))
		}
		return out
	}
	r := c.After
	if r == nil {
		r = c.Before
	}
	if r == nil {
		return nil
	}
	out := []string{"content: " + r.Content, "ttl: " + reconcile.TTLString(r.TTL)}
	if providers.HasPriority(r.Type) {
		out = append(out, fmt.Sprintf("priority: %d", r.Priority))
	}
	if r.Proxied {
		out = append(out, "proxied: true")
	}
	if r.Comment != "" {
		out = append(out, fmt.Sprintf("comment: %q", r.Comment))
	}
	return out
}
