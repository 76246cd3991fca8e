package app

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/ops/alert"
	"github.com/lagrieta/itlag/ops/monitor"
	"github.com/lagrieta/itlag/publish/statuspage"
	"github.com/lagrieta/itlag/reconcile"
)

// WatchOptions say how often watch does what.
type WatchOptions struct {
	// Tick is how often watch looks for monitors that are due.
	Tick time.Duration
	// ObserveEvery is how often the whole world is observed (Observe:
	// providers, NAS, backups, expiry); its findings are alerted with
	// the monitors' on every tick in between.
	ObserveEvery time.Duration
	// DDNSEvery is how often the dynamic-DNS hosts are planned and
	// applied (0: never).
	DDNSEvery time.Duration
	// DriftEvery is how often drift runs (0: never), writing into Out
	// when set.
	DriftEvery time.Duration
	Out        string
	// RoundTimeout bounds each Tick (0: none): a round that hangs (a
	// provider, a NAS, an alert channel) is cut off and the next one runs.
	RoundTimeout time.Duration
	// Now is the clock /healthz reads; nil = time.Now.
	Now func() time.Time
}

// HealthyRounds is how many ticks may pass without a completed round
// before /healthz fails.
const HealthyRounds = 3

// DefaultObserveEvery is how often watch observes the whole world.
const DefaultObserveEvery = 5 * time.Minute

// Watcher is the long-running watch: monitors on their intervals, the
// whole world observed on a schedule, every finding alerted through the
// same notifier as check, dynamic DNS and drift through their use cases.
// Its HTTP handler may be used while Tick runs.
type Watcher struct {
	rt       *Runtime
	log      *slog.Logger
	o        WatchOptions
	monitors []monitor.Monitor
	notifier *alert.Notifier

	lastObserve, lastDrift, lastDDNS, lastPrune, lastMail time.Time
	// mailWoken is set when a mailbox's IDLE said new mail arrived.
	mailWoken atomic.Bool

	mu       sync.Mutex
	last     map[string]time.Time // when each monitor last ran
	results  map[string]monitor.Result
	obs      *Observation      // the last whole observation
	findings []finding.Finding // what was last alerted
	page     *statuspage.Page
	// since is when the last round completed (or the watch was made).
	since time.Time
}

// NewWatcher prepares a watch: the monitors, the alert routes, the
// database.
func (rt *Runtime) NewWatcher(o WatchOptions, log *slog.Logger) (*Watcher, error) {
	monitors, err := rt.Monitors()
	if err != nil {
		return nil, err
	}
	n, err := rt.Notifier()
	if err != nil {
		return nil, err
	}
	if o.ObserveEvery <= 0 {
		o.ObserveEvery = DefaultObserveEvery
	}
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Watcher{rt: rt, log: log, o: o, monitors: monitors, notifier: n,
		last: map[string]time.Time{}, results: map[string]monitor.Result{}, since: o.Now()}, nil
}

// Monitors is how many monitors the watch runs.
func (w *Watcher) Monitors() int { return len(w.monitors) }

// Run ticks until ctx is done; it returns nil when stopped.
func (w *Watcher) Run(ctx context.Context) error {
	t := time.NewTicker(w.o.Tick)
	defer t.Stop()
	wake := w.idle(ctx)
	for {
		w.Tick(ctx, w.o.Now())
		select {
		case <-ctx.Done():
			w.log.Info("stopping", "reason", context.Cause(ctx))
			return nil
		case <-t.C:
		case <-wake:
			w.mailWoken.Store(true)
		}
	}
}

// Tick is one round: the due monitors are probed and recorded; the
// dynamic-DNS hosts kept, the world observed and drift run when due; then
// every finding is alerted (a "resolved" goes out only for a finding that
// is really gone: until the world has been observed once, nothing is
// alerted); the history pruned once a day.
func (w *Watcher) Tick(ctx context.Context, now time.Time) {
	if w.o.RoundTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, w.o.RoundTimeout,
			fmt.Errorf("round --timeout %s reached", w.o.RoundTimeout))
		defer cancel()
	}
	defer func() {
		if err := w.rt.CloseProviders(); err != nil {
			w.log.Error("close providers", "err", err)
		}
		if ctx.Err() != nil {
			w.log.Error("round cut short", "reason", context.Cause(ctx))
			return // an unfinished round does not count for /healthz
		}
		w.mu.Lock()
		w.since = w.o.Now()
		w.mu.Unlock()
	}()
	w.probe(ctx, now)
	if w.o.DDNSEvery > 0 && now.Sub(w.lastDDNS) >= w.o.DDNSEvery {
		w.lastDDNS = now
		w.ddns(ctx)
	}
	mailRead := w.mailDue(now) && w.readMail(ctx, now)
	driftDue := w.o.DriftEvery > 0 && now.Sub(w.lastDrift) >= w.o.DriftEvery
	if driftDue || mailRead || now.Sub(w.lastObserve) >= w.o.ObserveEvery {
		w.lastObserve = now
		w.observe(ctx, driftDue, now)
	}
	if view := w.current(ctx); view != nil {
		w.alert(ctx, view)
		w.buildPage(ctx, view)
	}
	if now.Sub(w.lastPrune) >= 24*time.Hour {
		w.lastPrune = now
		if removed, err := w.rt.PruneHistory(ctx, now); err != nil {
			w.log.Error("prune", "err", err)
		} else {
			w.log.Info("pruned history", "rows", removed)
		}
	}
}

// probe runs the monitors that are due and records them.
func (w *Watcher) probe(ctx context.Context, now time.Time) {
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
	nw, err := w.rt.Network(ctx)
	if err != nil {
		w.log.Error("probe", "err", err)
		return
	}
	rs := monitor.Check(ctx, nw, due, len(due))
	db, err := w.rt.DB()
	if err == nil {
		err = monitor.Record(ctx, db, rs)
	}
	if err != nil {
		w.log.Error("record results", "err", err)
	}
	w.mu.Lock()
	for _, r := range rs {
		w.results[r.Monitor] = r
		w.log.Info("check", "monitor", r.Monitor, "ok", r.OK, "ms", r.Duration.Milliseconds(), "value", r.Value)
	}
	w.mu.Unlock()
}

// ddns keeps the dynamic-DNS hosts on the public address through apply's
// use case, under the apply lock (a round is skipped while another apply
// runs); NoIP is asked only when the address really moved.
func (w *Watcher) ddns(ctx context.Context) {
	if !slices.ContainsFunc(w.rt.Desired.Resources, func(s reconcile.ResourceSet) bool { return s.Provider == "noip" }) {
		return
	}
	pa, err := w.rt.PrepareApply(ctx, ApplyOptions{Providers: []string{"noip"}})
	if err != nil {
		w.log.Info("ddns: skipped", "err", err)
		return
	}
	defer pa.Close()
	outs, err := pa.Run(ctx)
	done, _ := Outcomes(outs)
	if err != nil {
		w.log.Error("ddns: apply", "updated", done, "err", err)
		return
	}
	w.log.Info("ddns", "updated", done)
}

// observe looks at the whole world, and runs drift from that observation
// when it is due.
func (w *Watcher) observe(ctx context.Context, drift bool, now time.Time) {
	obs, err := w.rt.Observe(ctx, ObserveOptions{})
	if err != nil {
		w.log.Error("observe", "err", err)
		return
	}
	if err := w.rt.recordHistory(ctx, obs); err != nil {
		w.log.Error("history", "err", err)
	}
	w.mu.Lock()
	w.obs = obs
	w.mu.Unlock()
	w.log.Info("observed", "changes", len(obs.Plan.Changes), "findings", len(obs.Findings))
	if !drift {
		return
	}
	w.lastDrift = now
	if w.o.Out == "" {
		w.log.Info("drift", "changes", len(obs.Plan.Changes), "findings", len(obs.Findings))
		return
	}
	res, err := w.rt.DriftFrom(ctx, obs, DriftOptions{Out: w.o.Out})
	if err != nil {
		w.log.Error("drift: write", "err", err)
		return
	}
	w.log.Info("drift", "summary", res.Summary, "changed", strings.Join(res.Changed, ","))
}

// current is the last observation with the monitors read fresh from the
// history (one replay each): their findings replace the observation's.
// It is nil until the world has been observed once: a view without the
// rest of the world would "resolve" everything else.
func (w *Watcher) current(ctx context.Context) *Observation {
	w.mu.Lock()
	obs := w.obs
	w.mu.Unlock()
	if obs == nil {
		w.log.Info("alerts: waiting for a first observation of the world")
		return nil
	}
	as, err := w.rt.assess(ctx, w.monitors)
	if err != nil {
		w.log.Error("monitor states", "err", err)
		return nil
	}
	old := map[string]bool{}
	for _, f := range monitor.DownFindings(obs.Monitors) {
		old[f.Fingerprint] = true
	}
	view := *obs
	view.At = time.Now().UTC()
	view.Monitors = as
	view.Findings = SortFindings(append(slices.DeleteFunc(slices.Clone(obs.Findings),
		func(f finding.Finding) bool { return old[f.Fingerprint] }), monitor.DownFindings(as)...))
	return &view
}

// alert sends every finding of view.
func (w *Watcher) alert(ctx context.Context, view *Observation) {
	w.mu.Lock()
	w.findings = view.Findings
	w.mu.Unlock()
	rep, err := w.notifier.Process(ctx, view.Findings)
	if err != nil {
		w.log.Error("alerts", "err", err)
	} else if rep.Sent+rep.Failed+rep.Held > 0 {
		w.log.Info("alerts", "sent", rep.Sent, "failed", rep.Failed, "held", rep.Held)
	}
}

// buildPage builds the status page's data from view, for the handler to
// serve.
func (w *Watcher) buildPage(ctx context.Context, view *Observation) {
	page, err := w.rt.StatusPage(ctx, view)
	if err != nil {
		w.log.Error("status page", "err", err)
		return
	}
	w.mu.Lock()
	w.page = &page
	w.mu.Unlock()
}

// Findings are the findings last alerted.
func (w *Watcher) Findings() []finding.Finding {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.findings)
}

// Health is "" while the loop is healthy, or why it is not: stopping, or
// no round completed within HealthyRounds ticks.
func (w *Watcher) Health(ctx context.Context) string {
	if ctx.Err() != nil {
		return "stopping"
	}
	w.mu.Lock()
	since := w.since
	w.mu.Unlock()
	limit := HealthyRounds * w.o.Tick
	if ago := w.o.Now().Sub(since); ago > limit {
		return fmt.Sprintf("no round completed for %s (more than %d ticks of %s): the loop is stuck", ago.Round(time.Second), HealthyRounds, w.o.Tick)
	}
	return ""
}

// Handler serves the status page (built by the loop, never by a request),
// /healthz ("ok" while the loop completes rounds, 503 with the reason
// otherwise: see Health) and /metrics (Prometheus text or OpenMetrics,
// from the loop's last results, never observing: see metricsSnapshot and
// package promexport).
func (w *Watcher) Handler(ctx context.Context) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(rw http.ResponseWriter, r *http.Request) {
		if why := w.Health(ctx); why != "" {
			http.Error(rw, why, http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(rw, "ok")
	})
	mux.Handle("/metrics", w.metricsHandler())
	mux.HandleFunc("/", func(rw http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(rw, r)
			return
		}
		w.mu.Lock()
		page := w.page
		w.mu.Unlock()
		if page == nil {
			http.Error(rw, "status page not ready: the world has not been observed yet", http.StatusServiceUnavailable)
			return
		}
		var b bytes.Buffer
		if err := statuspage.Render(&b, *page); err != nil {
			http.Error(rw, "status page unavailable", http.StatusInternalServerError)
			w.log.Error("status page", "err", err)
			return
		}
		rw.Header().Set("Content-Type", "text/html; charset=utf-8")
		rw.Write(b.Bytes())
	})
	return mux
}
