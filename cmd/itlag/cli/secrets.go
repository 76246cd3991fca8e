package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"github.com/lagrieta/itlag/app"
)

const secretsHelp = `Usage:
  itlag secrets set FILE KEY          (the value is read from stdin)
  itlag secrets edit FILE [--editor | --stdin]
  itlag secrets recipients [FILE...] [--rewrite]

Manages the age-encrypted secrets files kept beside the state (FILE is
relative to the state directory and ends in .age, as in a reference
{age: secrets/office.age, key: NOIP_PASSWORD}). Each file is a YAML map of
KEY: value, encrypted (ASCII-armored) to the age public keys the state
declares under secrets.recipients (or secrets.files.FILE.recipients).

Decrypting needs an identity: ITLAG_AGE_IDENTITY (the key, AGE-SECRET-KEY-1…)
or ITLAG_AGE_IDENTITY_FILE (a file holding it, as age-keygen writes).
Plaintext is never written to disk, and values are never printed.

  set         sets KEY (created, or replaced) to the value read from stdin
              (never from the command line; on a terminal it is asked for
              without echo; one final newline is dropped). Creates FILE if
              missing. Setting the value a key already has writes nothing.
  edit        opens $EDITOR on the decrypted YAML, in a private directory on
              a memory-backed file system ($XDG_RUNTIME_DIR or /dev/shm,
              refused when neither is tmpfs or ramfs), removed afterwards. When stdin
              is not a terminal the new document is read from stdin instead
              (--editor and --stdin choose). The result must be a map of
              KEY: value; unchanged, the file is left untouched.
  recipients  lists the declared recipients and every secrets file with the
              number of recipients its header holds. The header does not
              say which recipients they are, so itlag never guesses that a
              file is up to date: named FILEs (or every file, with
              --rewrite) are re-encrypted to the declared recipients. Run it
              after adding or removing a recipient.

With --format json, set and edit print the change ({file, action, created,
added, changed, removed, recipients, written}: key names, never values) and
recipients prints {recipients, files: [{file, recipients, stanzas, armored,
mismatch, change}]}.
`

func runSecrets(ctx context.Context, e *env, args []string) error {
	fs, g := newFlags(e, "secrets", secretsHelp)
	useEditor := fs.Bool("editor", false, "edit: run $EDITOR even when stdin is not a terminal")
	useStdin := fs.Bool("stdin", false, "edit: read the new document from stdin")
	rewrite := fs.Bool("rewrite", false, "recipients: re-encrypt every secrets file the state references")
	pos, err := parse(fs, g, args)
	if err != nil {
		return err
	}
	usage := exit(ExitError, errors.New(`secrets: want "set FILE KEY", "edit FILE" or "recipients [FILE...]" (see itlag secrets --help)`))
	if len(pos) == 0 {
		return usage
	}
	switch pos[0] {
	case "set":
		if len(pos) != 3 {
			return exit(ExitError, errors.New(`secrets set: want FILE KEY, the value on stdin (see itlag secrets --help)`))
		}
		value, err := readValue(e, pos[2])
		if err != nil {
			return exit(ExitError, fmt.Errorf("secrets set: %w", err))
		}
		ch, err := app.SecretSet(ctx, g.options(), pos[1], pos[2], value)
		clear(value)
		if err != nil {
			return secretsErr(e, "set", err)
		}
		return printChange(e, g, ch)
	case "edit":
		if len(pos) != 2 || (*useEditor && *useStdin) {
			return exit(ExitError, errors.New(`secrets edit: want FILE, and at most one of --editor and --stdin (see itlag secrets --help)`))
		}
		var ed app.Editor = app.CommandEditor{Command: os.Getenv("EDITOR"), Stdin: e.stdin, Stdout: e.stdout, Stderr: e.stderr}
		if *useStdin || (!*useEditor && !isTTY(e.stdin)) {
			ed = app.ReaderEditor{R: e.stdin}
		}
		ch, err := app.SecretEdit(ctx, g.options(), pos[1], ed)
		if err != nil {
			return secretsErr(e, "edit", err)
		}
		return printChange(e, g, ch)
	case "recipients":
		res, err := app.SecretRecipients(ctx, g.options(), pos[1:], *rewrite)
		if err != nil {
			return secretsErr(e, "recipients", err)
		}
		return printRecipients(e, g, res)
	}
	return usage
}

func secretsErr(e *env, cmd string, err error) error {
	var ie *app.InvalidError
	if errors.As(err, &ie) {
		return exitFor(e, err)
	}
	return exit(ExitError, fmt.Errorf("secrets %s: %w", cmd, err))
}

// readValue reads a secret value from stdin: without echo on a terminal.
func readValue(e *env, key string) ([]byte, error) {
	if f, ok := e.stdin.(*os.File); ok && isTTY(f) {
		fmt.Fprintf(e.stderr, "Value for %s (not echoed): ", key)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		return b, err
	}
	b, err := io.ReadAll(io.LimitReader(e.stdin, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("read stdin: %w", err)
	}
	return b, nil
}

func printChange(e *env, g *globals, ch app.SecretChange) error {
	if g.format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(ch)
	}
	if !ch.Written {
		fmt.Fprintf(e.stdout, "%s: no change; the file is left as it was.\n", ch.File)
		return nil
	}
	var parts []string
	for _, p := range []struct {
		word string
		keys []string
	}{{"added", ch.Added}, {"changed", ch.Changed}, {"removed", ch.Removed}} {
		if len(p.keys) > 0 {
			parts = append(parts, p.word+" "+strings.Join(p.keys, ", "))
		}
	}
	what := strings.Join(parts, "; ")
	if what == "" {
		what = "re-encrypted"
	}
	if ch.Created {
		what = "created; " + what
	}
	fmt.Fprintf(e.stdout, "%s: %s; encrypted to %d recipient(s).\n", ch.File, what, len(ch.Recipients))
	return nil
}

func printRecipients(e *env, g *globals, res app.SecretsRecipients) error {
	if g.format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	fmt.Fprintln(e.stdout, "Recipients (secrets.recipients):")
	if len(res.Recipients) == 0 {
		fmt.Fprintln(e.stdout, "  none declared")
	}
	for _, r := range res.Recipients {
		fmt.Fprintln(e.stdout, "  "+r)
	}
	if len(res.Files) == 0 {
		fmt.Fprintln(e.stdout, "No secrets file.")
		return nil
	}
	fmt.Fprintln(e.stdout)
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FILE\tRECIPIENTS\tIN HEADER\tSTATUS")
	for _, f := range res.Files {
		status := "same count (re-encrypt with: itlag secrets recipients " + f.File + ")"
		switch {
		case f.Change != nil:
			status = "re-encrypted"
		case f.Mismatch:
			status = "differs: run itlag secrets recipients " + f.File
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\n", f.File, len(f.Recipients), f.Stanzas, status)
	}
	return tw.Flush()
}
