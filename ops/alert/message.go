package alert

import (
	"fmt"
	"strings"
	"time"

	"github.com/lagrieta/itlag/finding"
)

// Kind is an event: what alerts_sent.kind records.
type Kind string

// The events.
const (
	Start    Kind = "start"
	Reminder Kind = "reminder"
	Recovery Kind = "recovery"
)

// status is the kind as the webhook payload says it.
func (k Kind) status() string {
	switch k {
	case Start:
		return "firing"
	case Recovery:
		return "resolved"
	}
	return string(k)
}

// Message is what one event says, whatever the channel.
type Message struct {
	Kind        Kind
	Severity    finding.Severity
	Source      string
	Summary     string
	Detail      string
	Fingerprint string
	StartedAt   time.Time
	At          time.Time // when the event was decided
}

// Payload is the webhook's JSON body. Text is a one-line rendering that
// Slack-, Mattermost- and ntfy-style receivers show as is.
type Payload struct {
	Status      string `json:"status"` // "firing" | "reminder" | "resolved"
	Severity    string `json:"severity"`
	Source      string `json:"source"`
	Summary     string `json:"summary"`
	Detail      string `json:"detail"`
	Fingerprint string `json:"fingerprint"`
	StartedAt   string `json:"started_at"` // RFC 3339, UTC
	Text        string `json:"text"`
}

// Payload is m as the webhook body.
func (m Message) Payload() Payload {
	return Payload{
		Status:      m.Kind.status(),
		Severity:    string(m.Severity),
		Source:      m.Source,
		Summary:     m.Summary,
		Detail:      m.Detail,
		Fingerprint: m.Fingerprint,
		StartedAt:   m.StartedAt.UTC().Format(time.RFC3339),
		Text:        m.Text(),
	}
}

// Subject is the one-line title: "[itlag] FIRING critical nas:office: disk
// full".
func (m Message) Subject() string {
	return oneLine(fmt.Sprintf("[itlag] %s %s %s: %s", strings.ToUpper(m.Kind.status()), m.Severity, m.Source, m.Summary))
}

// Text is the subject with, for reminders and recoveries, how long the
// problem has lasted.
func (m Message) Text() string {
	s := m.Subject()
	if m.Kind != Start {
		s += fmt.Sprintf(" (since %s, %s)", m.StartedAt.UTC().Format(time.RFC3339), m.At.Sub(m.StartedAt).Round(time.Second))
	}
	return s
}

// Body is the e-mail's plain-text body.
func (m Message) Body() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", m.Text())
	fmt.Fprintf(&b, "Status:      %s\n", m.Kind.status())
	fmt.Fprintf(&b, "Severity:    %s\n", m.Severity)
	fmt.Fprintf(&b, "Source:      %s\n", m.Source)
	fmt.Fprintf(&b, "Started at:  %s\n", m.StartedAt.UTC().Format(time.RFC3339))
	fmt.Fprintf(&b, "Fingerprint: %s\n", m.Fingerprint)
	if m.Detail != "" {
		fmt.Fprintf(&b, "\n%s\n", m.Detail)
	}
	return b.String()
}

// oneLine folds line breaks into spaces (headers must not hold them).
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
