package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/lagrieta/itlag/schema"
)

var errHelp = errors.New("help shown")

// globals are the flags every command accepts.
type globals struct {
	state   string
	sandbox string
	format  string
	dataDir string
	// timeout bounds the whole command (a round, for perRound commands).
	timeout time.Duration
	// maxStateFile is the largest state file read (0: the default), from
	// $ITLAG_MAX_STATE_FILE.
	maxStateFile int64
	name         string
	e            *env
}

// newFlags returns a flag set with the global flags registered, and a usage
// text made of the command's own help, its flags, and the exit codes.
func newFlags(e *env, name, help string) (*flag.FlagSet, *globals) {
	g := &globals{name: name, e: e}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&g.state, "state", "infra-state", "desired-state directory `DIR`")
	fs.StringVar(&g.sandbox, "sandbox", "", "run every provider against in-process fakes whose world is kept in `DIR`")
	fs.StringVar(&g.format, "format", "text", "output `FORMAT`: text, markdown or json")
	fs.StringVar(&g.dataDir, "data-dir", "", "itlag's local data `DIR` (default $XDG_STATE_HOME/itlag or ~/.local/state/itlag)")
	what := "the longest the command may run (a `D`uration), then it stops with an error (0 = no limit)"
	if perRound[name] {
		what = "the longest one round may run (a `D`uration), then the round stops with an error logged (0 = no limit)"
	}
	fs.DurationVar(&g.timeout, "timeout", commandTimeouts[name], what)
	fs.Usage = func() {
		fmt.Fprint(e.stdout, help)
		fmt.Fprintln(e.stdout, "\nFlags:")
		printFlags(e.stdout, fs)
		fmt.Fprintln(e.stdout)
		fmt.Fprintln(e.stdout, exitCodesHelp)
	}
	return fs, g
}

// printFlags lists the flags GNU-style (--name VALUE), as the help texts
// and the docs write them; Go's flag package accepts both - and --.
func printFlags(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		head := "  --" + f.Name
		if name != "" {
			head += " " + name
		}
		def := ""
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0s" {
			def = fmt.Sprintf(" (default %q)", f.DefValue)
		}
		fmt.Fprintf(w, "%s\n        %s%s\n", head, usage, def)
	})
}

// parse parses args, allowing flags after positional arguments
// ("apply plan.json --auto-approve"), and returns the positional ones.
func parse(fs *flag.FlagSet, g *globals, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) { // the flag package has shown fs.Usage
				return nil, errHelp
			}
			return nil, exit(ExitError, fmt.Errorf("%s: %w (see itlag %s --help)", fs.Name(), err, fs.Name()))
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	switch g.format {
	case "text", "markdown", "json":
	default:
		return nil, exit(ExitError, fmt.Errorf("%s: --format %q: want text, markdown or json", fs.Name(), g.format))
	}
	if g.timeout < 0 {
		return nil, exit(ExitError, fmt.Errorf("%s: --timeout %s: want a positive duration or 0", fs.Name(), g.timeout))
	}
	if v, ok := os.LookupEnv(schema.MaxFileSizeEnv); ok {
		n, err := schema.ParseFileSize(v)
		if err != nil {
			return nil, exit(ExitError, fmt.Errorf("%s: %s: %w", fs.Name(), schema.MaxFileSizeEnv, err))
		}
		g.maxStateFile = n
	}
	if !perRound[g.name] && g.e != nil {
		g.e.armTimeout(g.name, g.timeout)
	}
	return pos, nil
}

// listFlag is a repeatable, comma-separated flag (--allow a,b --allow c).
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}
