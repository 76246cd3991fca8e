package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/lagrieta/itlag/app"
)

const watchHelp = `Usage: itlag watch [flags]

A long-running mode for a server or the NAS. Each tick it runs the
monitors that are due (recording results); it observes the whole world as
check and drift do (providers, NAS thresholds, backups, expiry; every
--observe-every, and whenever drift is due); and it sends every finding,
the monitors' and the rest, to the alert routes as "itlag check" does: a
"resolved" goes out only when a finding is really gone, so a NAS volume
still full is never "resolved" between observations. It keeps the
dynamic-DNS hosts on the public address through apply's plan and lock
(--ddns-every; each update is recorded in the audit trail), runs drift on
a schedule (--drift-every; reports written into --out when set), prunes the history past the state's retention once
a day, and serves on --listen (loopback by default):

  /          the status page, built from the last observation (a request
             never makes one)
  /healthz   "ok" while the loop completes rounds; 503 with the reason
             when it is stopping or no round completed within 3 ticks
  /metrics   Prometheus text: itlag_monitor_up, itlag_monitor_response_ms,
             itlag_findings

Logs are structured (log/slog): text, or JSON with --log-format json; to
stderr (journald rotates it), or to --log-file, which itlag rotates itself
at 10 MiB, keeping 5 old files.
--once runs one tick and exits (a cron job, or a test).
--timeout bounds each round (default 10m): a round that hangs is cut off,
logged, and the next tick runs; /healthz fails meanwhile.
SIGTERM or SIGINT stops it cleanly: running probes finish, the server
closes, the database is closed.
`

func runWatch(ctx context.Context, e *env, args []string) (err error) {
	fs, g := newFlags(e, "watch", watchHelp)
	listen := fs.String("listen", "127.0.0.1:8089", "serve the status page, /healthz and /metrics on `ADDR` (\"\" = none)")
	logFormat := fs.String("log-format", "text", "log as `FORMAT`: text or json")
	logFile := fs.String("log-file", "", "log into `FILE` instead of stderr, rotated at 10 MiB (5 old files kept)")
	tick := fs.Duration("tick", 10*time.Second, "how often to look for monitors that are due")
	observeEvery := fs.Duration("observe-every", app.DefaultObserveEvery, "observe the whole world (providers, NAS, backups, expiry) this often")
	driftEvery := fs.Duration("drift-every", 0, "run drift this often (0 = never), writing reports into --out")
	ddnsEvery := fs.Duration("ddns-every", 5*time.Minute, "update the dynamic-DNS hosts this often (0 = never)")
	out := fs.String("out", "", "drift: the repository DIR the reports go into")
	once := fs.Bool("once", false, "run one tick, then exit")
	pos, err := parse(fs, g, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return exit(ExitError, fmt.Errorf("watch: unexpected argument %q", pos[0]))
	}
	if *tick <= 0 {
		return exit(ExitError, fmt.Errorf("watch: --tick %s: want a positive duration", *tick))
	}
	var logOut io.Writer = e.stderr
	if *logFile != "" {
		rf, err := openRotating(*logFile, 10<<20, 5)
		if err != nil {
			return exit(ExitError, fmt.Errorf("watch: %w", err))
		}
		defer rf.Close()
		logOut = rf
	}
	var h slog.Handler
	switch *logFormat {
	case "json":
		h = slog.NewJSONHandler(logOut, nil)
	case "text":
		h = slog.NewTextHandler(logOut, nil)
	default:
		return exit(ExitError, fmt.Errorf("watch: --log-format %q: want text or json", *logFormat))
	}
	log := slog.New(h)
	rt, err := openRuntime(e, g)
	if err != nil {
		return err
	}
	defer closeRuntime(rt, &err)
	w, err := rt.NewWatcher(app.WatchOptions{Tick: *tick, ObserveEvery: *observeEvery, DDNSEvery: *ddnsEvery,
		DriftEvery: *driftEvery, Out: *out, RoundTimeout: g.timeout}, log)
	if err != nil {
		return exitFor(e, err)
	}
	if *listen != "" && !*once {
		ln, err := net.Listen("tcp", *listen)
		if err != nil {
			return exit(ExitError, fmt.Errorf("watch: %w", err))
		}
		// every exchange has a deadline: a slow client never holds a
		// connection for good
		srv := &http.Server{Handler: w.Handler(ctx), ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
			WriteTimeout: 30 * time.Second, IdleTimeout: time.Minute}
		go srv.Serve(ln)
		defer srv.Close()
		log.Info("serving", "addr", ln.Addr().String())
		fmt.Fprintf(e.stdout, "Serving on http://%s/\n", ln.Addr())
	}
	log.Info("watching", "monitors", w.Monitors(), "tick", tick.String())
	if *once {
		w.Tick(ctx, time.Now())
		return nil
	}
	return w.Run(ctx)
}
