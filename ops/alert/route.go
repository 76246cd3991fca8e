package alert

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/providers/transport"
)

// Route says where findings of some severities go.
type Route struct {
	// Name identifies the route in alerts_sent; unique among the routes.
	Name string
	// Severities are the findings the route gets; empty means all.
	Severities []finding.Severity
	// Email and Webhook are the route's channels; at least one is set.
	Email   *Email
	Webhook *Webhook
	// Repeat is the reminder interval while a problem stays open; 0 = none.
	Repeat time.Duration
}

// Email is an SMTP channel. The message goes to Host:Port with STARTTLS
// (see the package documentation) and, when Username is set, AUTH PLAIN.
type Email struct {
	Host string
	Port int
	From string
	To   []string
	// Username and Password are resolved by the caller from credential
	// references; neither ever appears in an error.
	Username string
	Password string
	// StartTLS requires STARTTLS; it must be set unless Host is loopback.
	StartTLS bool
}

// Webhook is an HTTP channel: a JSON POST (see Payload) to URL with
// Headers added (an Authorization header, say).
type Webhook struct {
	URL     string
	Headers map[string]string
}

// Matches reports whether the route gets findings of severity s.
func (r Route) Matches(s finding.Severity) bool {
	return len(r.Severities) == 0 || slices.Contains(r.Severities, s)
}

// Validate checks the route; errors name the route, never a secret.
func (r Route) Validate() error {
	if r.Name == "" {
		return errors.New("route has no name")
	}
	if r.Email == nil && r.Webhook == nil {
		return fmt.Errorf("route %s: no email and no webhook", r.Name)
	}
	if r.Repeat < 0 {
		return fmt.Errorf("route %s: repeat %v is negative", r.Name, r.Repeat)
	}
	for _, s := range r.Severities {
		if s.Rank() > finding.Low.Rank() {
			return fmt.Errorf("route %s: unknown severity %q", r.Name, s)
		}
	}
	if r.Email != nil {
		if err := r.Email.Validate(); err != nil {
			return fmt.Errorf("route %s: %w", r.Name, err)
		}
	}
	if r.Webhook != nil {
		if err := r.Webhook.Validate(); err != nil {
			return fmt.Errorf("route %s: %w", r.Name, err)
		}
	}
	return nil
}

// Validate checks the e-mail channel.
func (e *Email) Validate() error {
	switch {
	case e.Host == "":
		return errors.New("email: no host")
	case e.Port <= 0 || e.Port > 65535:
		return fmt.Errorf("email: port %d out of range", e.Port)
	case e.From == "":
		return errors.New("email: no from address")
	case len(e.To) == 0:
		return errors.New("email: no recipients")
	case !e.StartTLS && !isLoopback(e.Host):
		return fmt.Errorf("email: host %s is not loopback: set starttls", e.Host)
	case e.Username != "" && e.Password == "":
		return errors.New("email: a username but no password")
	}
	for _, a := range append([]string{e.From}, e.To...) {
		if strings.ContainsAny(a, "\r\n<>") || !strings.Contains(a, "@") {
			return fmt.Errorf("email: address %q is not a plain address", a)
		}
	}
	return nil
}

// Validate checks the webhook channel.
func (w *Webhook) Validate() error {
	u, err := url.Parse(w.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return errors.New("webhook: url is not an http(s) URL") // the URL may hold a token
	}
	// a webhook's URL or headers are its credentials
	if err := transport.RequireTLS(w.URL); err != nil {
		return fmt.Errorf("webhook %s: %w", w.name(), transport.ErrPlainText)
	}
	for k, v := range w.Headers {
		if strings.ContainsAny(k+v, "\r\n") {
			return fmt.Errorf("webhook %s: header %s holds a line break", w.name(), k)
		}
	}
	return nil
}

// name is the webhook as errors show it: scheme and host, since the path
// or query often holds a token.
func (w *Webhook) name() string {
	u, err := url.Parse(w.URL)
	if err != nil {
		return "(bad url)"
	}
	return u.Scheme + "://" + u.Host
}

// isLoopback reports whether host is "localhost" or a loopback address.
func isLoopback(host string) bool { return transport.IsLoopback(host) }
