package promexport

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// NewRegistry returns a new registry (never the global default one)
// holding NewCollector(snap) and Go's and the process's collectors
// (go_*, process_*).
func NewRegistry(snap func() Snapshot) (*prometheus.Registry, error) {
	reg := prometheus.NewRegistry()
	for _, c := range []prometheus.Collector{
		NewCollector(snap),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("metrics: register: %w", err)
		}
	}
	return reg, nil
}

// MaxScrapes is how many scrapes Handler serves at once; more are
// answered 503.
const MaxScrapes = 4

// Handler serves reg's metrics: the Prometheus text format, or OpenMetrics
// when the scraper asks for it. A scrape that takes longer than timeout
// is answered 503 (0: no limit). A series that cannot be gathered is
// logged to log and left out; the others are served.
func Handler(reg *prometheus.Registry, log *slog.Logger, timeout time.Duration) http.Handler {
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		ErrorLog:            slogLogger{log},
		ErrorHandling:       promhttp.ContinueOnError,
		MaxRequestsInFlight: MaxScrapes,
		Timeout:             timeout,
		EnableOpenMetrics:   true,
	})
}

// slogLogger is promhttp's Logger on a slog.Logger.
type slogLogger struct{ log *slog.Logger }

func (l slogLogger) Println(v ...any) {
	if l.log != nil {
		l.log.Error("metrics", "err", fmt.Sprint(v...))
	}
}
