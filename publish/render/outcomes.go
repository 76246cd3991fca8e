package render

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/reconcile"
)

var past = map[providers.Action]string{providers.Create: "created", providers.Update: "updated", providers.Delete: "deleted"}

// Outcomes writes an apply report: one line per change ("created
// cloudflare:lagrieta.es/www/A", "FAILED …: error"), then "Apply: 5 done,
// 1 failed."
func Outcomes(w io.Writer, outs []reconcile.Outcome, o Options) error {
	bw := bufio.NewWriter(w)
	done, failed := 0, 0
	for _, out := range outs {
		msg := errorText(out)
		if msg != "" {
			failed++
			fmt.Fprintf(bw, "%s %s: %s\n", o.paint(ansiRed, "FAILED"), out.Change.Address, msg)
			continue
		}
		done++
		fmt.Fprintf(bw, "%s %s\n", o.paint(colors[out.Change.Action], past[out.Change.Action]), out.Change.Address)
	}
	fmt.Fprintf(bw, "Apply: %d done, %d failed.\n", done, failed)
	return bw.Flush()
}

func errorText(out reconcile.Outcome) string {
	if out.Err != nil {
		return out.Err.Error()
	}
	return out.Error
}

// outcomesDoc is the JSON form of an apply report.
type outcomesDoc struct {
	FormatVersion string              `json:"format_version"`
	Outcomes      []reconcile.Outcome `json:"outcomes"`
	Done          int                 `json:"done"`
	Failed        int                 `json:"failed"`
}

// OutcomesJSON writes an apply report as indented JSON:
// {"format_version", "outcomes": [{"change", "error"}], "done", "failed"}.
func OutcomesJSON(w io.Writer, outs []reconcile.Outcome) error {
	doc := outcomesDoc{FormatVersion: reconcile.FormatVersion, Outcomes: make([]reconcile.Outcome, len(outs))}
	for i, out := range outs {
		out.Error = errorText(out)
		doc.Outcomes[i] = out
		if out.Error != "" {
			doc.Failed++
		} else {
			doc.Done++
		}
	}
	return writeJSON(w, doc)
}

// JSON writes p as indented JSON (format_version first).
func JSON(w io.Writer, p *reconcile.Planned) error { return writeJSON(w, p) }

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
