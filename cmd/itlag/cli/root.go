package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// Exit codes, the same for every command.
const (
	ExitOK      = 0 // success; plan: no changes
	ExitError   = 1 // an error: a provider failed, a plan was refused or stale
	ExitChanges = 2 // plan --detailed-exitcode: changes present
	ExitInvalid = 3 // the desired state is invalid
)

const exitCodesHelp = `Exit codes:
  0  success (plan: no changes)
  1  error: a provider failed, a lock was held, a plan was refused or is stale
  2  plan --detailed-exitcode: changes present; drift and check: drift or open findings
  3  the desired state is invalid (each problem printed as file:line:col: path: message)
     or the state directory holds no state file`

const rootHelp = `itlag keeps infrastructure exactly as a Git repository declares it.

Usage:
  itlag [global flags] <command> [flags]

Commands:
  validate       check the desired state against the schema
  plan           show what would change to make the providers match the state
  apply          make the changes (after confirmation, or from a saved plan)
  drift          observe, gather findings, write reports and incidents (and commit them)
  check          run every monitor once, record the results, send alerts
  status-page    write a static status page from the monitoring history
  watch          run monitors on their intervals, drift on a schedule; serve the status page
  maintain       prune and vacuum the monitoring history; show each NAS's pending updates and findings
  subscriptions  list domains and subscriptions with their renewal dates
  import         write what a provider already holds into the state as YAML
  ddns           clear the holds NoIP's refusals put on dynamic-DNS updates
  nas            pin a NAS's SSH host key (itlag nas pin NAME)
  mail           read the IT mailbox; list and close the confirmations providers ask for
  report         write the weekly or monthly IT report (Markdown with charts, and JSON)
  handbook       write the operations handbook (Markdown and an SVG diagram, es or en) from the state
  audit          list the audit trail of applies, approvals, drift commits, DDNS and secret changes; verify its chain
  backup         run, verify and report the restic backup jobs; write their runbooks
  secrets        set, edit and re-encrypt the age-encrypted secrets files beside the state
  version        print itlag's version

Global flags (accepted by every command, before or after it; when a flag is
given both before and after the command, the one after wins):
  --state DIR        desired-state directory (default "infra-state")
  --sandbox DIR      run every provider against in-process fakes kept in DIR
  --format FORMAT    output: text, markdown or json (default "text")
  --data-dir DIR     itlag's local data (default $XDG_STATE_HOME/itlag or ~/.local/state/itlag)
  --timeout D        the longest the command may run (watch: each round); 0 = no limit;
                     defaults: validate 2m, plan 15m, apply 1h, drift 30m, check 10m,
                     watch 10m a round, backup 24h (see each command's --help)

Run "itlag <command> --help" for a command's flags.

` + exitCodesHelp + `
`

// env is what a command runs with.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// ctx ends on SIGINT or SIGTERM, or when --timeout runs out (cancel
	// with a *timeoutError, armed by parse).
	ctx    context.Context
	cancel context.CancelCauseFunc
	timer  *time.Timer
}

// exitError carries an exit code up to Main.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func exit(code int, err error) error { return &exitError{code: code, err: err} }

// Main runs itlag with args (without the program name) and returns the exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		fmt.Fprint(stderr, rootHelp)
		return ExitError
	}
	args, err := leadingGlobals(args)
	if err != nil {
		fmt.Fprintf(stderr, "itlag: %v\n\n%s", err, rootHelp)
		return ExitError
	}
	sig, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithCancelCause(sig)
	defer cancel(nil)
	e.ctx, e.cancel = ctx, cancel
	defer func() {
		if e.timer != nil {
			e.timer.Stop()
		}
	}()
	switch cmd, rest := args[0], args[1:]; cmd {
	case "help", "-h", "--help", "-help":
		// "help CMD" is "CMD --help"; "help --help" (or "help help") is
		// the root help, not help of help forever
		if len(rest) > 0 && !isHelpWord(rest[0]) {
			return Main([]string{rest[0], "--help"}, stdin, stdout, stderr)
		}
		fmt.Fprint(stdout, rootHelp)
		return ExitOK
	case "validate":
		err = runValidate(ctx, e, rest)
	case "plan":
		err = runPlan(ctx, e, rest)
	case "apply":
		err = runApply(ctx, e, rest)
	case "watch":
		err = runWatch(ctx, e, rest)
	case "maintain":
		err = runMaintain(ctx, e, rest)
	case "check":
		err = runCheck(ctx, e, rest)
	case "status-page":
		err = runStatusPage(ctx, e, rest)
	case "drift":
		err = runDrift(ctx, e, rest)
	case "backup":
		err = runBackup(ctx, e, rest)
	case "ddns":
		err = runDDNS(ctx, e, rest)
	case "nas":
		err = runNAS(ctx, e, rest)
	case "mail":
		err = runMail(ctx, e, rest)
	case "handbook":
		err = runHandbook(e, rest)
	case "report":
		err = runReport(ctx, e, rest)
	case "audit":
		err = runAudit(ctx, e, rest)
	case "import":
		err = runImport(ctx, e, rest)
	case "subscriptions":
		err = runSubscriptions(ctx, e, rest)
	case "secrets":
		err = runSecrets(ctx, e, rest)
	case "health": // not in rootHelp: the container's HEALTHCHECK
		err = runHealth(ctx, e, rest)
	case "version", "--version":
		err = runVersion(ctx, e, rest)
	default:
		fmt.Fprintf(stderr, "itlag: unknown command %q\n\n%s", cmd, rootHelp)
		return ExitError
	}
	return report(e, err)
}

func report(e *env, err error) int {
	if err == nil {
		return ExitOK
	}
	if why := e.stopped(); why != "" && !errors.Is(err, errHelp) {
		defer fmt.Fprintf(e.stderr, "itlag: %s\n", why)
	}
	var xe *exitError
	if errors.As(err, &xe) {
		if xe.err != nil && !errors.Is(xe.err, errSilent) {
			fmt.Fprintf(e.stderr, "itlag: %v\n", xe.err)
		}
		return xe.code
	}
	if errors.Is(err, errHelp) {
		return ExitOK
	}
	fmt.Fprintf(e.stderr, "itlag: %v\n", err)
	return ExitError
}

// errSilent marks an exit whose message was already printed.
var errSilent = errors.New("already reported")

// isHelpWord reports whether w asks for help rather than naming a command.
func isHelpWord(w string) bool {
	switch w {
	case "help", "-h", "--help", "-help":
		return true
	}
	return false
}
