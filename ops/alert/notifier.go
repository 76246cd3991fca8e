package alert

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/store"
)

// The channels, as alerts_sent.channel records them.
const (
	ChannelEmail   = "email"
	ChannelWebhook = "webhook"
)

// DefaultSendTimeout bounds one send when the Notifier sets none.
const DefaultSendTimeout = 30 * time.Second

// DefaultRecoveryRetention is how long after a resolution a recovery that
// failed or was held is still retried.
const DefaultRecoveryRetention = 7 * 24 * time.Hour

// Notifier turns findings into alerts. Its fields are read, never changed,
// by Process; a Notifier must not run two Process calls at once (see the
// package documentation).
type Notifier struct {
	DB      *store.DB
	Routes  []Route
	Windows []Window
	// SourceWindows hold only the alerts of one finding source
	// ("monitor:website"): a monitor's own maintenance windows.
	SourceWindows map[string][]Window
	// Now is the clock; nil = time.Now. Times are kept to the second.
	Now func() time.Time
	// SMTPDial opens SMTP connections; nil = a net.Dialer. Tests point it
	// at a loopback server.
	SMTPDial DialFunc
	// TLSConfig is the base of STARTTLS's configuration (RootCAs, say);
	// nil = the system's roots. ServerName is always the route's host.
	TLSConfig *tls.Config
	// HTTPClient posts webhooks; nil = a client whose requests end at
	// SendTimeout.
	HTTPClient *http.Client
	// SendTimeout bounds each send (webhook post, SMTP dial and
	// conversation); 0 = DefaultSendTimeout. A channel that hangs fails
	// its event and the run goes on.
	SendTimeout time.Duration
	// RecoveryRetention: 0 = DefaultRecoveryRetention.
	RecoveryRetention time.Duration
	// Outbox, when set, is a directory every event is written into
	// instead of being sent (one .eml per e-mail, one .json per webhook
	// call; see deliverOutbox): nothing is dialled. The sandbox's.
	Outbox string
}

// Result is what became of one event.
type Result string

// The results. Held and Failed are recorded with ok = 0; the event is
// decided again by the next run.
const (
	Sent   Result = "sent"
	Failed Result = "failed"
	Held   Result = "held"
)

// Event is one message for one route's channel.
type Event struct {
	Fingerprint string
	Kind        Kind
	Route       string
	Channel     string // ChannelEmail | ChannelWebhook
	Result      Result
	// Error says why it failed or was held; it never holds a secret.
	Error string
}

// Report says what one Process run did.
type Report struct {
	Opened   int // fingerprints new (or back after a resolution)
	Resolved int // fingerprints gone
	Sent     int
	Failed   int
	Held     int
	// Events are the run's events: findings' in input order, then
	// recoveries by fingerprint.
	Events []Event
	// Invalid lists findings skipped for having no fingerprint.
	Invalid []string
}

// planned is an event to send.
type planned struct {
	ev    Event
	route *Route
	msg   Message
	st    *state
}

// Process alerts on one run's findings: see the package documentation for
// what it sends. Failed sends are in the Report, not the error; the error
// is for invalid configuration and database failures.
func (n *Notifier) Process(ctx context.Context, findings []finding.Finding) (Report, error) {
	var rep Report
	if err := n.validate(); err != nil {
		return rep, fmt.Errorf("alert: %w", err)
	}
	now := time.Now()
	if n.Now != nil {
		now = n.Now()
	}
	now = now.UTC().Truncate(time.Second)
	retention := n.RecoveryRetention
	if retention <= 0 {
		retention = DefaultRecoveryRetention
	}
	db := n.DB.SQL()
	states, err := loadStates(ctx, db, now.Add(-retention))
	if err != nil {
		return rep, fmt.Errorf("alert: %w", err)
	}

	changed := map[string]*state{}
	seen := map[string]bool{}
	var plan []planned
	for _, f := range findings {
		if f.Fingerprint == "" {
			rep.Invalid = append(rep.Invalid, f.String())
			continue
		}
		if seen[f.Fingerprint] {
			continue
		}
		seen[f.Fingerprint] = true
		st := states[f.Fingerprint]
		hist := map[channelKey]history{}
		if st == nil || st.Status != statusOpen {
			st = &state{Fingerprint: f.Fingerprint, Source: f.Source, Severity: f.Severity,
				Summary: f.Summary, Status: statusOpen, StartedAt: stamp(now)}
			states[f.Fingerprint] = st
			changed[st.Fingerprint] = st
			rep.Opened++
		} else {
			if hist, err = loadHistory(ctx, db, st); err != nil {
				return rep, fmt.Errorf("alert: %w", err)
			}
			if st.Source != f.Source || st.Severity != f.Severity || st.Summary != f.Summary {
				st.Source, st.Severity, st.Summary = f.Source, f.Severity, f.Summary
				changed[st.Fingerprint] = st
			}
		}
		msg := message(st, f.Detail, now)
		for i := range n.Routes {
			r := &n.Routes[i]
			if !r.Matches(f.Severity) {
				continue
			}
			for _, ch := range r.channels() {
				h := hist[channelKey{r.Name, ch}]
				var kind Kind
				switch {
				case h.lastFiring == "":
					kind = Start
				case r.Repeat > 0 && now.Sub(parseStamp(h.lastFiring)) >= r.Repeat:
					kind = Reminder
				default:
					continue
				}
				plan = append(plan, planned{route: r, st: st, msg: withKind(msg, kind),
					ev: Event{Fingerprint: st.Fingerprint, Kind: kind, Route: r.Name, Channel: ch}})
			}
		}
	}

	var gone []string
	for fp := range states {
		if !seen[fp] {
			gone = append(gone, fp)
		}
	}
	slices.Sort(gone)
	for _, fp := range gone {
		st := states[fp]
		if st.Status == statusOpen {
			st.Status, st.ResolvedAt = statusResolved, stamp(now)
			changed[fp] = st
			rep.Resolved++
		}
		hist, err := loadHistory(ctx, db, st)
		if err != nil {
			return rep, fmt.Errorf("alert: %w", err)
		}
		msg := withKind(message(st, "", now), Recovery)
		for i := range n.Routes {
			r := &n.Routes[i]
			for _, ch := range r.channels() {
				if h := hist[channelKey{r.Name, ch}]; h.lastFiring != "" && !h.recovered {
					plan = append(plan, planned{route: r, st: st, msg: msg,
						ev: Event{Fingerprint: fp, Kind: Recovery, Route: r.Name, Channel: ch}})
				}
			}
		}
	}

	for _, p := range plan {
		ev := p.ev
		held := n.window(now)
		if held == nil {
			held = n.sourceWindow(p.st.Source, now)
		}
		switch {
		case held != nil:
			ev.Result, ev.Error = Held, "held: maintenance window "+held.Name
			rep.Held++
		default:
			if err := n.send(ctx, p, now); err != nil {
				ev.Result, ev.Error = Failed, err.Error()
				rep.Failed++
				break
			}
			ev.Result = Sent
			rep.Sent++
			if ev.Kind != Recovery {
				p.st.LastAlertAt = stamp(now)
				changed[p.st.Fingerprint] = p.st
			}
		}
		rep.Events = append(rep.Events, ev)
	}

	var write []*state
	for _, fp := range slices.Sorted(maps.Keys(changed)) {
		write = append(write, changed[fp])
	}
	// the sends happened: record them even if ctx was cancelled meanwhile
	if err := save(context.WithoutCancel(ctx), db, write, rep.Events, now); err != nil {
		return rep, fmt.Errorf("alert: %w", err)
	}
	return rep, nil
}

// send delivers one planned event on its channel.
func (n *Notifier) send(ctx context.Context, p planned, now time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	timeout := n.SendTimeout
	if timeout <= 0 {
		timeout = DefaultSendTimeout
	}
	ctx, cancel := context.WithTimeoutCause(ctx, timeout, fmt.Errorf("no answer within %s (deadline exceeded)", timeout))
	defer cancel()
	id := p.ev.Fingerprint + "." + string(p.ev.Kind) + "." + strconv.FormatInt(now.Unix(), 10) + "." + p.ev.Route
	if n.Outbox != "" {
		return deliverOutbox(n.Outbox, p, id, time.Now())
	}
	switch p.ev.Channel {
	case ChannelEmail:
		return sendMail(ctx, n.SMTPDial, n.TLSConfig, p.route.Email, p.msg, id)
	case ChannelWebhook:
		return postWebhook(ctx, n.HTTPClient, p.route.Webhook, p.msg)
	}
	return fmt.Errorf("unknown channel %q", p.ev.Channel)
}

// window returns the maintenance window now is in, or nil.
// sourceWindow is a window of source's own that contains now, or nil.
func (n *Notifier) sourceWindow(source string, now time.Time) *Window {
	ws := n.SourceWindows[source]
	for i := range ws {
		if ws[i].Contains(now) {
			return &ws[i]
		}
	}
	return nil
}

func (n *Notifier) window(now time.Time) *Window {
	for i := range n.Windows {
		if n.Windows[i].Contains(now) {
			return &n.Windows[i]
		}
	}
	return nil
}

func (n *Notifier) validate() error {
	if n.DB == nil {
		return errors.New("no database")
	}
	names := map[string]bool{}
	for _, r := range n.Routes {
		if err := r.Validate(); err != nil {
			return err
		}
		if names[r.Name] {
			return fmt.Errorf("route %s: defined twice", r.Name)
		}
		names[r.Name] = true
	}
	for _, w := range n.Windows {
		if err := w.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// channels lists the route's channels in a fixed order.
func (r *Route) channels() []string {
	var out []string
	if r.Email != nil {
		out = append(out, ChannelEmail)
	}
	if r.Webhook != nil {
		out = append(out, ChannelWebhook)
	}
	return out
}

func message(st *state, detail string, now time.Time) Message {
	return Message{Severity: st.Severity, Source: st.Source, Summary: st.Summary, Detail: detail,
		Fingerprint: st.Fingerprint, StartedAt: parseStamp(st.StartedAt), At: now}
}

func withKind(m Message, k Kind) Message { m.Kind = k; return m }
