package app

import (
	"maps"
	"net/http"
	"slices"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/ops/backup"
	"github.com/lagrieta/itlag/publish/promexport"
	"github.com/lagrieta/itlag/reconcile"
)

// MetricsTimeout bounds one scrape of watch's /metrics (503 past it).
const MetricsTimeout = 10 * time.Second

// metricsHandler serves /metrics from the watch's last results (see
// metricsSnapshot): a scrape observes and probes nothing.
func (w *Watcher) metricsHandler() http.Handler {
	reg, err := promexport.NewRegistry(w.metricsSnapshot)
	if err != nil {
		w.log.Error("metrics", "err", err)
		return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			http.Error(rw, "metrics unavailable", http.StatusInternalServerError)
		})
	}
	return promexport.Handler(reg, w.log, MetricsTimeout)
}

// metricsSnapshot copies, under one lock, what the watch last saw: each
// monitor's last probe, the findings last alerted (every severity, zeros
// included) and the last whole observation (none before the first).
func (w *Watcher) metricsSnapshot() promexport.Snapshot {
	w.mu.Lock()
	defer w.mu.Unlock()
	s := promexport.Snapshot{Findings: map[string]int{}}
	for _, sev := range []finding.Severity{finding.Critical, finding.High, finding.Medium, finding.Low} {
		s.Findings[string(sev)] = 0
	}
	for _, f := range w.findings {
		s.Findings[string(f.Severity)]++
	}
	for _, name := range slices.Sorted(maps.Keys(w.results)) {
		r := w.results[name]
		m := promexport.Monitor{Name: name, Up: r.OK, Response: r.Duration}
		if r.CertExpiry != 0 {
			// CertExpiry was measured a moment after At; certificates
			// expire on a whole second.
			m.CertNotAfter = r.At.Add(r.CertExpiry).Round(time.Second)
		}
		s.Monitors = append(s.Monitors, m)
	}
	if w.obs != nil {
		observationMetrics(&s, w.obs)
	}
	return s
}

// observationMetrics fills s from obs, which is never changed once
// observed (its maps and slices are shared, not copied).
func observationMetrics(s *promexport.Snapshot, obs *Observation) {
	s.ObservedAt = obs.At
	s.Metrics = obs.Metrics
	for _, st := range obs.Backups {
		b := promexport.Backup{Job: st.Job, Destination: st.Destination, OK: st.State == backup.StateOK,
			SizeBytes: st.SizeBytes}
		if st.Latest != nil {
			b.LastSuccess, b.Age = st.Latest.Time, st.Age
		}
		s.Backups = append(s.Backups, b)
	}
	for _, e := range obs.Expiries {
		ex := promexport.Expiry{Name: e.Name, Kind: e.Kind, Provider: e.Provider}
		if e.Source != reconcile.SourceUnknown {
			ex.Date = e.Date
		}
		s.Expiries = append(s.Expiries, ex)
	}
	if obs.Mail != nil {
		s.Mail = &promexport.Mail{}
		for _, c := range obs.Mail.Confirmations {
			s.Mail.Confirmations = append(s.Mail.Confirmations,
				promexport.Confirmation{ID: c.ID, Target: c.Target, Deadline: c.Deadline})
		}
	}
}
