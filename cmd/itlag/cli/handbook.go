package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/lagrieta/itlag/app"
)

const handbookHelp = `Usage: itlag handbook [--out DIR] [--commit]

Writes the operations handbook from the desired state alone (no provider
is called, no secret read): an index (README.md) and the pages the state's
handbook.include names — architecture (an SVG diagram and the inventory of
every declared thing with the file and line it is written at), procedures
(the routine operations with their exact commands), recovery plans (per
backup job, and per loss: the NAS, the Cloudflare or GoDaddy account, the
office's internet, the repository), emergency procedures per severity (the
five steps of the response protocol, who is called in which order), the FAQ
and the support contacts — in the language of handbook.language (es or en).

The output is deterministic: a file is rewritten only when its content
changed, and a file an earlier run wrote that is no longer part of the
handbook is removed (the directory's .itlag-handbook lists them; no other
file there is touched). A handbook with a link that does not resolve is
refused. "itlag drift" regenerates it too, in the same commit as its reports.

A contact detail the operator has not given is "pending" in the state:
the handbook shows it as pending and this command lists them.

Flags:
  --out DIR   where to write it (default: the state's handbook.out, docs/ops,
              under the state's repository)
  --commit    commit the files that changed (never an empty commit)
`

func runHandbook(e *env, args []string) (err error) {
	fs, g := newFlags(e, "handbook", handbookHelp)
	out := fs.String("out", "", "where to write the handbook")
	commit := fs.Bool("commit", false, "commit the files that changed")
	pos, err := parse(fs, g, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return exit(ExitError, fmt.Errorf("handbook: unexpected argument %q (see itlag handbook --help)", pos[0]))
	}
	if g.format == "markdown" {
		return exit(ExitError, errors.New("handbook: --format markdown is not supported: the Markdown is written into DIR; want text or json"))
	}
	rt, err := openRuntime(e, g)
	if err != nil {
		return err
	}
	defer closeRuntime(rt, &err)
	res, err := rt.Handbook(app.HandbookOptions{Out: *out, Commit: *commit})
	if err != nil {
		return exit(ExitError, err)
	}
	if g.format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	dir := displayPath(res.Dir)
	if len(res.Changed) == 0 {
		fmt.Fprintf(e.stdout, "The handbook in %s (%s, %d files) is up to date.\n", dir, res.Lang, res.Files)
	} else {
		fmt.Fprintf(e.stdout, "Handbook (%s, %d files) in %s:\n", res.Lang, res.Files, dir)
		for _, c := range res.Changed {
			fmt.Fprintf(e.stdout, "  changed %s\n", c)
		}
	}
	if res.Committed != "" {
		fmt.Fprintf(e.stdout, "Committed %.12s.\n", res.Committed)
	}
	if len(res.Pending) > 0 {
		fmt.Fprintf(e.stdout, "%d contact detail(s) pending, shown as pending in the handbook; fill them in the state:\n", len(res.Pending))
		for _, p := range res.Pending {
			fmt.Fprintf(e.stdout, "  %s\n", p.Path)
		}
	}
	return nil
}

// displayPath is p relative to the working directory when it lies below it.
func displayPath(p string) string {
	if wd, err := filepath.Abs("."); err == nil {
		if rel, err := filepath.Rel(wd, p); err == nil && filepath.IsLocal(rel) {
			return rel
		}
	}
	return p
}
