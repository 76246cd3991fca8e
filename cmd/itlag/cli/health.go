package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/lagrieta/itlag/app"
)

// defaultHealthURL is where the container image's "itlag watch --listen
// :8080" serves /healthz.
const defaultHealthURL = "http://127.0.0.1:8080/healthz"

const healthHelp = `Usage: itlag health [--url URL]

Asks a running "itlag watch" whether it is healthy: a GET of its /healthz
(default ` + defaultHealthURL + `, where the container image's watch
listens). Exit 0 when it answers 200 (its body is printed), 1 otherwise
(503 with the reason watch gives, or no answer within --timeout).

For a container's HEALTHCHECK, where no curl or wget is installed. Not
listed in "itlag help": an operator asks /healthz with a browser or curl.
`

// runHealth probes a watch's /healthz (app.ProbeHealth) and prints its
// answer; exit 1 otherwise.
func runHealth(ctx context.Context, e *env, args []string) error {
	fs, g := newFlags(e, "health", healthHelp)
	target := fs.String("url", defaultHealthURL, "the /healthz `URL` to ask (http or https)")
	rest, err := parse(fs, g, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return exit(ExitError, fmt.Errorf("health: unexpected argument %q (the URL goes in --url)", rest[0]))
	}
	msg, err := app.ProbeHealth(ctx, *target)
	if err != nil {
		return exit(ExitError, err)
	}
	fmt.Fprintln(e.stdout, msg)
	return nil
}

// healthTimeout is health's default --timeout: a container runtime's
// health check has its own, usually 30s.
const healthTimeout = 10 * time.Second
