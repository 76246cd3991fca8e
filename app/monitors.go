package app

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/ops/alert"
	"github.com/lagrieta/itlag/ops/history"
	"github.com/lagrieta/itlag/ops/monitor"
	"github.com/lagrieta/itlag/reconcile"
	"github.com/lagrieta/itlag/schema"
	"github.com/lagrieta/itlag/store"
)

// Monitors turns the declared monitors into probes, by name. An invalid
// interval or condition is an *InvalidError naming the monitor.
func (rt *Runtime) Monitors() ([]monitor.Monitor, error) {
	ms, err := monitorsFromState(rt.State, rt.Desired)
	if err != nil {
		return nil, &InvalidError{Err: err}
	}
	return ms, nil
}

// Notifier builds the state's alert routes and maintenance windows over
// the local database (which remembers what was sent).
func (rt *Runtime) Notifier() (*alert.Notifier, error) {
	db, err := rt.DB()
	if err != nil {
		return nil, err
	}
	if !rt.Sandboxed() {
		return notifier(rt.State, db, rt.Secret, rt.Secret)
	}
	// Under --sandbox nothing is sent and no real reference is read: the
	// credentials get stand-ins, a webhook's URL a stand-in naming its
	// reference, and every alert lands in DIR/outbox.
	n, err := notifier(rt.State, db, rt.Secret, sandboxWebhookURL)
	if err != nil {
		return nil, err
	}
	n.Outbox = filepath.Join(rt.Opts.Sandbox, OutboxDir)
	return n, nil
}

// OutboxDir is where, in the sandbox directory, alerts are delivered.
const OutboxDir = "outbox"

// sandboxWebhookURL stands in for a webhook's URL under --sandbox:
// "https://webhook.sandbox.invalid/env:CEO_WEBHOOK".
func sandboxWebhookURL(ref schema.CredentialRef) (string, error) {
	return "https://webhook.sandbox.invalid/" + ref.String(), nil
}

// expectFromDesired is what a name must resolve to by the desired state:
// its A and AAAA records, when the state declares the name in a zone and
// none of them is proxied (a proxied name answers the proxy's addresses) nor
// a CNAME. It catches drift at the resolver.
func expectFromDesired(d reconcile.Desired, target string) []string {
	name := strings.TrimSuffix(strings.ToLower(target), ".")
	for _, z := range d.Zones {
		rel := ""
		switch {
		case name == z.Name:
			rel = "@"
		case strings.HasSuffix(name, "."+z.Name):
			rel = strings.TrimSuffix(name, "."+z.Name)
		default:
			continue
		}
		var out []string
		for _, r := range z.Records {
			if r.Name != rel {
				continue
			}
			switch {
			case r.Proxied || r.Type == "CNAME":
				return nil
			case r.Type == "A" || r.Type == "AAAA":
				out = append(out, r.Content)
			}
		}
		return out
	}
	return nil
}

// monitorsFromState turns the declared monitors into probes, by name; a
// dns monitor without expect takes it from the desired state.
func monitorsFromState(st *schema.State, d reconcile.Desired) ([]monitor.Monitor, error) {
	var out []monitor.Monitor
	var errs []error
	for _, name := range slices.Sorted(maps.Keys(st.Monitors)) {
		sm := st.Monitors[name]
		m := monitor.Monitor{Name: name, Kind: sm.Kind, Target: sm.Target, Expect: sm.Expect, Resolver: sm.Resolver,
			FailureThreshold: sm.FailureThreshold, SuccessThreshold: sm.SuccessThreshold, Severity: finding.Severity(sm.Severity)}
		if m.Kind == monitor.DNS && len(m.Expect) == 0 {
			m.Expect = expectFromDesired(d, m.Target)
		}
		iv, err := parseInterval(sm.Interval)
		if err != nil {
			errs = append(errs, fmt.Errorf("monitors.%s.interval: %w", name, err))
		}
		m.Interval = iv
		for _, c := range sm.Conditions {
			pc, err := monitor.ParseCondition(c)
			if err != nil {
				errs = append(errs, fmt.Errorf("monitors.%s.conditions: %w", name, err))
				continue
			}
			m.Conditions = append(m.Conditions, pc)
		}
		if err := m.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("monitors.%s: %w", name, err))
		}
		out = append(out, m)
	}
	return out, errors.Join(errs...)
}

// parseInterval reads 30s, 5m, 6h or 1d ("" is the default minute).
func parseInterval(s string) (time.Duration, error) {
	if s == "" {
		return monitor.DefaultInterval, nil
	}
	if strings.HasSuffix(s, "d") {
		n, err := strconv.Atoi(strings.TrimSuffix(s, "d"))
		if err != nil || n <= 0 {
			return 0, fmt.Errorf("%q is not a duration like 1d", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q is not a duration like 5m", s)
	}
	return d, nil
}

// notifier builds the alert routes and maintenance windows of the state.
// Email credentials are read with resolve, webhook URLs with resolveURL.
func notifier(st *schema.State, db *store.DB, resolve, resolveURL func(schema.CredentialRef) (string, error)) (*alert.Notifier, error) {
	n := &alert.Notifier{DB: db}
	for _, name := range slices.Sorted(maps.Keys(st.Alerts.Routes)) {
		sr := st.Alerts.Routes[name]
		r := alert.Route{Name: name}
		for _, s := range sr.Severities {
			r.Severities = append(r.Severities, finding.Severity(s))
		}
		if sr.Repeat != "" {
			d, err := parseInterval(sr.Repeat)
			if err != nil {
				return nil, fmt.Errorf("alerts.routes.%s.repeat: %w", name, err)
			}
			r.Repeat = d
		}
		if e := sr.Email; e != nil {
			em := &alert.Email{Host: e.Host, Port: e.Port, From: e.From, To: e.To, StartTLS: e.StartTLS}
			for _, c := range []struct {
				ref *schema.CredentialRef
				dst *string
			}{{e.Username, &em.Username}, {e.Password, &em.Password}} {
				if c.ref == nil {
					continue
				}
				v, err := resolve(*c.ref)
				if err != nil {
					return nil, fmt.Errorf("alerts.routes.%s.email: %w", name, err)
				}
				*c.dst = v
			}
			r.Email = em
		}
		if w := sr.Webhook; w != nil {
			u, err := resolveURL(w.URL)
			if err != nil {
				return nil, fmt.Errorf("alerts.routes.%s.webhook.url: %w", name, err)
			}
			r.Webhook = &alert.Webhook{URL: strings.TrimSpace(u)}
		}
		if err := r.Validate(); err != nil {
			return nil, fmt.Errorf("alerts.routes.%s: %w", name, err)
		}
		n.Routes = append(n.Routes, r)
	}
	for _, name := range slices.Sorted(maps.Keys(st.Monitors)) {
		for _, w := range st.Monitors[name].Maintenance {
			wk, err := alert.ParseWeekly(w, time.Local)
			if err != nil {
				return nil, fmt.Errorf("monitors.%s.maintenance %q: %w", name, w, err)
			}
			if n.SourceWindows == nil {
				n.SourceWindows = map[string][]alert.Window{}
			}
			src := "monitor:" + name
			n.SourceWindows[src] = append(n.SourceWindows[src], alert.Window{Name: w, Weekly: &wk})
		}
	}
	for _, w := range st.Monitoring.Maintenance {
		wk, err := alert.ParseWeekly(w, time.Local)
		if err != nil {
			return nil, fmt.Errorf("monitoring.maintenance %q: %w", w, err)
		}
		n.Windows = append(n.Windows, alert.Window{Name: w, Weekly: &wk})
	}
	return n, nil
}

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
	hours, err := history.Prune(ctx, db, now.Add(-rollups)) // the measured numbers' hours live as long
	if err != nil {
		return 0, err
	}
	n, err := monitor.Prune(ctx, db, now.Add(-raw), now.Add(-rollups))
	return n + hours, err
}
