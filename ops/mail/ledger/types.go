package ledger

import (
	"time"

	"github.com/lagrieta/itlag/finding"
)

// The outcomes of a message.
const (
	OutcomeMatched   = "matched"   // at least one notice
	OutcomeUnmatched = "unmatched" // nothing matched: counted and left alone
	OutcomeDuplicate = "duplicate" // the same Message-ID and digest was handled before
	OutcomeTooBig    = "too-big"   // larger than the account's cap: not fetched
	OutcomeMalformed = "malformed" // could not be parsed at all
)

// Confirmation is one confirmation a provider asked for.
type Confirmation struct {
	ID          int64     `json:"id"`
	Key         string    `json:"key"`
	Account     string    `json:"account"`
	Kind        string    `json:"kind"`
	Provider    string    `json:"provider,omitempty"`
	Area        string    `json:"area,omitempty"`
	Target      string    `json:"target,omitempty"`
	What        string    `json:"what"`
	Link        string    `json:"link,omitempty"`
	Deadline    time.Time `json:"deadline,omitzero"`
	RequestedAt time.Time `json:"requested_at"`
	MessageID   string    `json:"message_id,omitempty"`
	State       string    `json:"state"` // "open" | "done"
	ClosedAt    time.Time `json:"closed_at,omitzero"`
	ClosedBy    string    `json:"closed_by,omitempty"`
	Note        string    `json:"note,omitempty"`
	// AutoConfirm and LinkHosts are the rule's permission to follow Link
	// by itself (not stored: set by Record from the notice, for the
	// caller that follows it).
	AutoConfirm bool     `json:"-"`
	LinkHosts   []string `json:"-"`
}

// Notice is a stored notice.
type Notice struct {
	ID         int64            `json:"id"`
	Account    string           `json:"account"`
	MessageKey string           `json:"message_key"`
	MessageID  string           `json:"message_id,omitempty"`
	Kind       string           `json:"kind"`
	Provider   string           `json:"provider,omitempty"`
	Severity   finding.Severity `json:"severity"`
	Area       string           `json:"area,omitempty"`
	Target     string           `json:"target,omitempty"`
	Summary    string           `json:"summary"`
	Link       string           `json:"link,omitempty"`
	Date       time.Time        `json:"date,omitzero"`
	Verified   bool             `json:"verified"`
	ReceivedAt time.Time        `json:"received_at"`
	State      string           `json:"state"`
	ClosedAt   time.Time        `json:"closed_at,omitzero"`
	ClosedBy   string           `json:"closed_by,omitempty"`
}

// Outcome is what recording one message did.
type Outcome struct {
	Account    string `json:"account"`
	MessageKey string `json:"message_key"`
	MessageID  string `json:"message_id,omitempty"`
	From       string `json:"from,omitempty"`
	Subject    string `json:"subject,omitempty"`
	// Result is one of the Outcome* constants.
	Result string `json:"result"`
	// Again is set when this (account, message key) was recorded before:
	// nothing was done a second time.
	Again   bool           `json:"again,omitempty"`
	Notices []Notice       `json:"notices,omitempty"`
	Opened  []Confirmation `json:"opened,omitempty"`
	Closed  []Confirmation `json:"closed,omitempty"`
}

// Learned is a date the mail told about a declared thing.
type Learned struct {
	Area   string    `json:"area"`   // "ddns" | "domain" | "subscription"
	Target string    `json:"target"` // the hostname, domain or subscription
	Date   time.Time `json:"date"`
	// Kind is the notice that told it, and ReceivedAt when.
	Kind       string    `json:"kind"`
	ReceivedAt time.Time `json:"received_at"`
}

// SourceSummary is one sending source's DMARC results over a period.
type SourceSummary struct {
	Domain   string `json:"domain"`
	SourceIP string `json:"source_ip"`
	Messages int    `json:"messages"`
	Failed   int    `json:"failed"` // neither aligned DKIM nor SPF passed
}
