package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/ops/alert"
	"github.com/lagrieta/itlag/ops/monitor"
	"github.com/lagrieta/itlag/reconcile"
	"github.com/lagrieta/itlag/schema"
	"github.com/lagrieta/itlag/store"
)

// pruneHistory rolls raw results older than keep_raw up into hourly
// roll-ups, then deletes raw rows and roll-ups past their retention.
func pruneHistory(ctx context.Context, db *store.DB, m schema.Monitoring, now time.Time) (int, error) {
	raw, err := parseInterval(m.KeepRaw)
	if err != nil {
		return 0, fmt.Errorf("monitoring.keep_raw: %w", err)
	}
	rollups, err := parseInterval(m.KeepRollups)
	if err != nil {
		return 0, fmt.Errorf("monitoring.keep_rollups: %w", err)
	}
	if _, err := monitor.Rollup(ctx, db, now.Add(-raw)); err != nil {
		return 0, err
	}
	return monitor.Prune(ctx, db, now.Add(-raw), now.Add(-rollups))
}

const watchHelp = `Usage: itlag watch [flags]

A long-running mode for a server or the NAS. It runs each monitor on its
interval (recording results, raising findings and sending alerts as "itlag
check" does), keeps the dynamic-DNS hosts on the public address
(--ddns-every, under the apply lock), runs drift on a schedule (--drift-every; reports written into
--out when set), prunes the history past the state's retention once a day,
and serves on --listen (loopback by default):

  /          the status page, rendered from the history on each request
  /healthz   "ok" while the loop runs
  /metrics   Prometheus text: itlag_monitor_up, itlag_monitor_response_ms,
             itlag_findings

Logs are structured (log/slog): text, or JSON with --log-format json; to
stderr (journald rotates it), or to --log-file, which itlag rotates itself
at 10 MiB, keeping 5 old files.
SIGTERM or SIGINT stops it cleanly: running probes finish, the server
closes, the database is closed.
`

func runWatch(ctx context.Context, e *env, args []string) error {
	fs, g := newFlags(e, "watch", watchHelp)
	listen := fs.String("listen", "127.0.0.1:8089", "serve the status page, /healthz and /metrics on `ADDR` (\"\" = none)")
	logFormat := fs.String("log-format", "text", "log as `FORMAT`: text or json")
	logFile := fs.String("log-file", "", "log into `FILE` instead of stderr, rotated at 10 MiB (5 old files kept)")
	tick := fs.Duration("tick", 10*time.Second, "how often to look for monitors that are due")
	driftEvery := fs.Duration("drift-every", 0, "run drift this often (0 = never), writing reports into --out")
	ddnsEvery := fs.Duration("ddns-every", 5*time.Minute, "update the dynamic-DNS hosts this often (0 = never)")
	out := fs.String("out", "", "drift: the repository DIR the reports go into")
	pos, err := parse(fs, g, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return exit(ExitError, fmt.Errorf("watch: unexpected argument %q", pos[0]))
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
	l, monitors, db, err := monitoring(e, g)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := notifier(l.state, db)
	if err != nil {
		return exit(ExitError, err)
	}
	w := &watcher{e: e, g: g, log: log, monitors: monitors, last: map[string]time.Time{}}
	if *listen != "" {
		ln, err := net.Listen("tcp", *listen)
		if err != nil {
			return exit(ExitError, fmt.Errorf("watch: %w", err))
		}
		srv := &http.Server{Handler: w.mux(ctx, db), ReadHeaderTimeout: 5 * time.Second}
		go srv.Serve(ln)
		defer srv.Close()
		log.Info("serving", "addr", ln.Addr().String())
		fmt.Fprintf(e.stdout, "Serving on http://%s/\n", ln.Addr())
	}
	log.Info("watching", "monitors", len(monitors), "tick", tick.String())
	t := time.NewTicker(*tick)
	defer t.Stop()
	var lastDrift, lastPrune, lastDDNS time.Time
	for {
		now := time.Now()
		w.round(ctx, db, n, now)
		if *ddnsEvery > 0 && now.Sub(lastDDNS) >= *ddnsEvery {
			lastDDNS = now
			w.ddns(ctx, l)
		}
		if *driftEvery > 0 && now.Sub(lastDrift) >= *driftEvery {
			lastDrift = now
			w.drift(ctx, l, *out)
		}
		if now.Sub(lastPrune) >= 24*time.Hour {
			lastPrune = now
			if removed, err := pruneHistory(ctx, db, l.state.Monitoring, now); err != nil {
				log.Error("prune", "err", err)
			} else {
				log.Info("pruned history", "rows", removed)
			}
		}
		select {
		case <-ctx.Done():
			log.Info("stopping", "reason", context.Cause(ctx))
			return nil
		case <-t.C:
		}
	}
}

// watcher runs due monitors and keeps what the endpoints show.
type watcher struct {
	e        *env
	g        *globals
	log      *slog.Logger
	monitors []monitor.Monitor

	mu       sync.Mutex
	last     map[string]time.Time // when each monitor last ran
	results  map[string]monitor.Result
	findings []finding.Finding
}

// round runs the monitors that are due, records them, and alerts.
func (w *watcher) round(ctx context.Context, db *store.DB, n *alert.Notifier, now time.Time) {
	var due []monitor.Monitor
	w.mu.Lock()
	for _, m := range w.monitors {
		if now.Sub(w.last[m.Name]) >= m.Interval {
			due = append(due, m)
			w.last[m.Name] = now
		}
	}
	w.mu.Unlock()
	if len(due) == 0 {
		return
	}
	rs := monitor.Check(ctx, due, len(due))
	if err := monitor.Record(ctx, db, rs); err != nil {
		w.log.Error("record results", "err", err)
	}
	findings, err := monitor.Findings(ctx, db, w.monitors)
	if err != nil {
		w.log.Error("findings", "err", err)
	}
	w.mu.Lock()
	if w.results == nil {
		w.results = map[string]monitor.Result{}
	}
	for _, r := range rs {
		w.results[r.Monitor] = r
		w.log.Info("check", "monitor", r.Monitor, "ok", r.OK, "ms", r.Duration.Milliseconds(), "value", r.Value)
	}
	w.findings = findings
	w.mu.Unlock()
	if rep, err := n.Process(ctx, findings); err != nil {
		w.log.Error("alerts", "err", err)
	} else if rep.Sent+rep.Failed+rep.Held > 0 {
		w.log.Info("alerts", "sent", rep.Sent, "failed", rep.Failed, "held", rep.Held)
	}
}

// ddns keeps the dynamic-DNS hosts on the public address: it plans only
// them and applies what changed (NoIP is asked only when the address
// really moved), under the apply lock (a round is skipped while another
// apply runs).
func (w *watcher) ddns(ctx context.Context, l *loaded) {
	var d reconcile.Desired
	for _, set := range l.desired.Resources {
		if set.Provider == "noip" {
			d.Resources = append(d.Resources, set)
		}
	}
	if len(d.Resources) == 0 {
		return
	}
	unlock, err := reconcile.Lock(w.g.state, 0)
	if err != nil {
		w.log.Info("ddns: skipped, another apply runs", "err", err)
		return
	}
	defer unlock()
	world, err := open(ctx, w.g, &loaded{state: l.state, desired: d})
	if err != nil {
		w.log.Error("ddns", "err", err)
		return
	}
	defer world.close()
	obs, err := reconcile.Observe(ctx, d, world.providers)
	if err != nil {
		w.log.Error("ddns: observe", "err", err)
		return
	}
	p := reconcile.Plan(d, obs, reconcile.Policy{})
	if p.Empty() {
		w.log.Info("ddns", "updated", 0)
		return
	}
	outs, err := reconcile.Apply(ctx, p, world.providers)
	done := 0
	for _, o := range outs {
		if o.Err == nil {
			done++
		}
	}
	if err != nil {
		w.log.Error("ddns: apply", "updated", done, "err", err)
		return
	}
	w.log.Info("ddns", "updated", done)
}

// drift runs a drift round, logging instead of printing.
func (w *watcher) drift(ctx context.Context, l *loaded, out string) {
	run, err := observeForDrift(ctx, &env{stdout: io.Discard, stderr: io.Discard}, w.g, l)
	if err != nil {
		w.log.Error("drift", "err", err)
		return
	}
	if out != "" {
		changed, summary, err := writeDrift(out, run)
		if err != nil {
			w.log.Error("drift: write", "err", err)
			return
		}
		w.log.Info("drift", "summary", summary, "changed", strings.Join(changed, ","))
		return
	}
	w.log.Info("drift", "changes", len(run.plan.Changes), "findings", len(run.findings))
}

func (w *watcher) mux(ctx context.Context, db *store.DB) *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(rw http.ResponseWriter, r *http.Request) {
		if ctx.Err() != nil {
			http.Error(rw, "stopping", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(rw, "ok")
	})
	mux.HandleFunc("/metrics", func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Content-Type", "text/plain; version=0.0.4")
		w.mu.Lock()
		defer w.mu.Unlock()
		var b strings.Builder
		b.WriteString("# HELP itlag_monitor_up Whether the monitor's last probe passed.\n# TYPE itlag_monitor_up gauge\n")
		names := slices.Sorted(maps.Keys(w.results))
		for _, n := range names {
			up := 0
			if w.results[n].OK {
				up = 1
			}
			fmt.Fprintf(&b, "itlag_monitor_up{monitor=%q} %d\n", n, up)
		}
		b.WriteString("# HELP itlag_monitor_response_ms The last probe's response time.\n# TYPE itlag_monitor_response_ms gauge\n")
		for _, n := range names {
			fmt.Fprintf(&b, "itlag_monitor_response_ms{monitor=%q} %g\n", n, float64(w.results[n].Duration.Microseconds())/1000)
		}
		b.WriteString("# HELP itlag_findings Open findings by severity.\n# TYPE itlag_findings gauge\n")
		for _, sev := range []finding.Severity{finding.Critical, finding.High, finding.Medium, finding.Low} {
			c := 0
			for _, f := range w.findings {
				if f.Severity == sev {
					c++
				}
			}
			fmt.Fprintf(&b, "itlag_findings{severity=%q} %d\n", sev, c)
		}
		io.WriteString(rw, b.String())
	})
	mux.HandleFunc("/", func(rw http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(rw, r)
			return
		}
		dir, err := os.MkdirTemp("", "itlag-page-")
		if err != nil {
			http.Error(rw, "status page unavailable", http.StatusInternalServerError)
			return
		}
		defer os.RemoveAll(dir)
		var sink strings.Builder
		if err := runStatusPage(r.Context(), &env{stdout: &sink, stderr: &sink}, []string{"--state", w.g.state, "--sandbox", w.g.sandbox, "--data-dir", w.g.dataDir, "--out", dir}); err != nil {
			http.Error(rw, "status page unavailable", http.StatusInternalServerError)
			w.log.Error("status page", "err", errors.Join(err, errors.New(sink.String())))
			return
		}
		http.ServeFile(rw, r, filepath.Join(dir, "index.html"))
	})
	return mux
}
