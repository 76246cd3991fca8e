package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/lagrieta/itlag/publish/render"
	"github.com/lagrieta/itlag/store/safefile"
)

// DriftMarkdown renders reports/drift.md: the overall state, a line per
// area, the plan (as the pull-request comment shows it), the open
// incidents and the approvals waiting. It holds no time stamp, so that an
// unchanged situation renders the same bytes.
func DriftMarkdown(in Input, st Status) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Drift report\n\nOverall: **%s**", st.Overall)
	if in.GitCommit != "" {
		fmt.Fprintf(&b, " (desired state at `%.12s`)", in.GitCommit)
	}
	b.WriteString(".\n\n| area | status | changes | findings |\n|---|---|---:|---:|\n")
	for _, a := range Areas {
		s := st.Areas[a]
		if a == "other" && s.Changes == 0 && s.Findings == 0 {
			continue
		}
		status := s.Status
		if status == StatusNotDeclared {
			status = "not declared"
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %d |\n", a, status, s.Changes, s.Findings)
	}
	b.WriteString("\n")
	if len(st.Incidents) > 0 {
		b.WriteString("## Open incidents\n\n")
		for _, i := range st.Incidents {
			fmt.Fprintf(&b, "- **%s** [%s](../incidents/%s.md): %s (`%s`)\n", i.Severity, i.ID, i.ID, oneLine(i.Summary), i.Source)
		}
		b.WriteString("\n")
	}
	if len(st.Confirmations) > 0 {
		b.WriteString("## Confirmations waiting\n\n")
		for _, c := range st.Confirmations {
			due := "no deadline known"
			if !c.Deadline.IsZero() {
				due = "by " + c.Deadline.UTC().Format(time.DateOnly)
			}
			fmt.Fprintf(&b, "- #%d %s (%s) — when done: `itlag mail confirm %d`\n", c.ID, oneLine(c.What), due, c.ID)
		}
		b.WriteString("\n")
	}
	if len(st.Approvals) > 0 {
		b.WriteString("## Waiting for approval\n\n")
		for _, a := range st.Approvals {
			fmt.Fprintf(&b, "- plan `%.12s`: %s — commit `approvals/%s.yaml` to approve\n", a.Checksum, strings.Join(a.Rules, ", "), a.Checksum)
		}
		b.WriteString("\n")
	}
	if in.Plan != nil {
		b.WriteString("## Plan\n\n")
		var md bytes.Buffer
		if err := render.Markdown(&md, in.Plan); err == nil {
			// The plan's own heading becomes a paragraph of this report.
			b.Write(bytes.Replace(md.Bytes(), []byte("### itlag plan\n\n"), nil, 1))
		}
	}
	return b.Bytes()
}

// ApprovalsMarkdown renders reports/approvals.md: each plan the safety
// rules refuse, what it would change, and how to approve it.
func ApprovalsMarkdown(st Status) []byte {
	var b bytes.Buffer
	b.WriteString("# Approvals waiting\n\n")
	if len(st.Approvals) == 0 {
		b.WriteString("None: no planned change is waiting for an approval.\n")
		return b.Bytes()
	}
	for _, a := range st.Approvals {
		fmt.Fprintf(&b, "## Plan `%.12s`\n\n", a.Checksum)
		fmt.Fprintf(&b, "Refused by: %s.\n\n", strings.Join(a.Rules, ", "))
		for _, addr := range a.Addresses {
			fmt.Fprintf(&b, "- `%s`\n", addr)
		}
		fmt.Fprintf(&b, "\n%s\n\nTo approve, review `reports/plan.json` and commit `approvals/%s.yaml`:\n\n", oneLine(a.Message), a.Checksum)
		b.WriteString("```yaml\napproved_by: you@example.org\napproved_at: 2026-01-31T12:00:00Z\n```\n\n")
		fmt.Fprintf(&b, "then `itlag apply reports/plan.json` applies exactly that plan.\n\n")
	}
	return b.Bytes()
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// volatile blanks what changes on every run without the situation
// changing: when status.json was generated and the metrics.
func volatile(b []byte) ([]byte, bool) {
	var m map[string]json.RawMessage
	if json.Unmarshal(b, &m) != nil {
		return nil, false
	}
	delete(m, "generated_at")
	delete(m, "metrics")
	delete(m, "headline")
	out, err := json.Marshal(m)
	return out, err == nil
}

// Dir is the directory, relative to the repository, the reports go into.
const Dir = "reports"

// Write writes drift.md and status.json into dir/reports and returns the
// paths it changed (relative to dir). A file is rewritten only when its
// content changed; status.json only when something other than its
// generated_at, metrics and headline changed, so a run that found nothing new
// changes nothing to commit.
func Write(dir string, in Input) ([]string, error) {
	st := BuildStatus(in)
	files := map[string][]byte{
		Dir + "/drift.md":       DriftMarkdown(in, st),
		Dir + "/status.json":    st.JSON(),
		Dir + "/approvals.md":   ApprovalsMarkdown(st),
		Dir + "/approvals.json": ApprovalsJSON(st),
	}
	var changed []string
	for _, rel := range slices.Sorted(maps.Keys(files)) {
		path := filepath.Join(dir, filepath.FromSlash(rel))
		old, err := os.ReadFile(path)
		if err == nil && same(rel, old, files[rel]) {
			continue
		}
		if err := safefile.WriteFile(dir, rel, files[rel], 0o644); err != nil {
			return changed, fmt.Errorf("reports: %w", err)
		}
		changed = append(changed, rel)
	}
	return changed, nil
}

func same(rel string, old, now []byte) bool {
	if bytes.Equal(old, now) {
		return true
	}
	if !strings.HasSuffix(rel, ".json") {
		return false
	}
	a, ok1 := volatile(old)
	b, ok2 := volatile(now)
	return ok1 && ok2 && bytes.Equal(a, b)
}
