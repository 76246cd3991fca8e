package render

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/ops/monitor"
	"github.com/lagrieta/itlag/reconcile"
)

// Checks prints one line per probe (monitor, result, value, time, what
// failed), then the findings, one per line.
func Checks(w io.Writer, rs []monitor.Result, findings []finding.Finding) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "MONITOR\tRESULT\tVALUE\tTIME\tDETAIL")
	for _, r := range rs {
		res, detail := "ok", ""
		if !r.OK {
			res = "FAIL"
			detail = strings.Join(append(slices.Clone(r.Failed), r.Error), "; ")
			detail = strings.Trim(detail, "; ")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Monitor, res, r.Value, r.Duration.Round(time.Millisecond), detail)
	}
	tw.Flush()
	if len(rs) == 0 {
		fmt.Fprintln(w, "No monitors are declared in the state.")
	}
	for _, f := range findings {
		fmt.Fprintf(w, "%s %s: %s\n", f.Severity, f.Source, f.Summary)
	}
}

// ChecksJSON writes the probes and the findings as one JSON document
// ({format_version, results, findings}).
func ChecksJSON(w io.Writer, rs []monitor.Result, findings []finding.Finding) error {
	type row struct {
		Monitor    string    `json:"monitor"`
		At         time.Time `json:"at"`
		OK         bool      `json:"ok"`
		DurationMs float64   `json:"duration_ms"`
		Value      string    `json:"value,omitempty"`
		Failed     []string  `json:"failed,omitempty"`
		Error      string    `json:"error,omitempty"`
	}
	out := struct {
		FormatVersion string            `json:"format_version"`
		Results       []row             `json:"results"`
		Findings      []finding.Finding `json:"findings"`
	}{FormatVersion: reconcile.FormatVersion, Results: []row{}, Findings: findings}
	if out.Findings == nil {
		out.Findings = []finding.Finding{}
	}
	for _, r := range rs {
		out.Results = append(out.Results, row{r.Monitor, r.At, r.OK, float64(r.Duration.Microseconds()) / 1000, r.Value, r.Failed, r.Error})
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
