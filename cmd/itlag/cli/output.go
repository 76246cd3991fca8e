package cli

import (
	"io"
	"os"

	"golang.org/x/term"

	"github.com/lagrieta/itlag/publish/render"
	"github.com/lagrieta/itlag/reconcile"
)

// isTTY reports whether f is a terminal.
func isTTY(x any) bool {
	f, ok := x.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// colour is on only on a terminal and when NO_COLOR is not set.
func colour(w io.Writer) bool {
	if _, set := os.LookupEnv("NO_COLOR"); set {
		return false
	}
	return isTTY(w)
}

func renderPlan(w io.Writer, format string, p *reconcile.Planned) error {
	switch format {
	case "json":
		return render.JSON(w, p)
	case "markdown":
		return render.Markdown(w, p)
	}
	return render.Text(w, p, render.Options{Color: colour(w)})
}

func renderOutcomes(w io.Writer, format string, outs []reconcile.Outcome) error {
	if format == "json" {
		return render.OutcomesJSON(w, outs)
	}
	return render.Outcomes(w, outs, render.Options{Color: colour(w)})
}
