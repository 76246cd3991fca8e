package mail

import (
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/ops/mail/dmarc"
)

// Limits bound what Parse reads from one message.
type Limits struct {
	// MaxAttachmentBytes is the most read of one attachment (decoded);
	// a larger one is kept truncated and marked so. Default 10 MiB.
	MaxAttachmentBytes int64
	// MaxParts is the most MIME parts walked; the rest are ignored and
	// the message marked. Default 200.
	MaxParts int
	// MaxTextBytes is the most text kept (plain text and HTML converted
	// to text together). Default 1 MiB.
	MaxTextBytes int
	// MaxDepth is the deepest multipart nesting walked (the message
	// itself is depth 0); deeper parts are skipped and the message
	// marked. Default 8.
	MaxDepth int
}

// Address is one mailbox of a header.
type Address struct {
	Name    string `json:"name,omitempty"`
	Address string `json:"address"` // lower case
}

// Domain is the part of the address after the @, lower case.
func (a Address) Domain() string {
	for i := len(a.Address) - 1; i >= 0; i-- {
		if a.Address[i] == '@' {
			return a.Address[i+1:]
		}
	}
	return ""
}

// Attachment is one attached file, decoded and capped.
type Attachment struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Data        []byte `json:"-"`
	// Truncated is set when Data stops at the limit.
	Truncated bool `json:"truncated,omitempty"`
}

// AuthResult is one method's verdict in an Authentication-Results header
// (RFC 8601): "dkim" "pass" with header.d "noip.com".
type AuthResult struct {
	AuthServID string `json:"authserv_id"`
	Method     string `json:"method"` // "dkim", "spf", "dmarc"
	Result     string `json:"result"` // "pass", "fail", …
	// Domain is header.d (dkim), header.from (dmarc) or smtp.mailfrom's
	// domain (spf).
	Domain string `json:"domain,omitempty"`
}

// Message is one mail as the classifiers see it.
type Message struct {
	MessageID string    `json:"message_id,omitempty"` // without the angle brackets
	From      Address   `json:"from"`
	To        []Address `json:"to,omitempty"`
	Subject   string    `json:"subject"` // RFC 2047 decoded
	Date      time.Time `json:"date,omitzero"`
	// Text is the readable body: the text/plain parts, or the HTML parts
	// converted to text when there is no plain part; decoded to UTF-8.
	Text string `json:"-"`
	// Links are the http(s) links of the body (href targets and bare
	// URLs), in order of appearance, without duplicates.
	Links       []string     `json:"links,omitempty"`
	Attachments []Attachment `json:"attachments,omitempty"`
	AuthResults []AuthResult `json:"auth_results,omitempty"`
	// Problems say what could not be read ("unknown charset x-foo",
	// "part 3: malformed multipart"): the message is classified on what
	// was read.
	Problems []string `json:"problems,omitempty"`
}

// Known are the names the state declares, so that a classifier can tell
// which declared thing a mail concerns.
type Known struct {
	DDNS    []string // hostnames ("lagrieta.ddns.net")
	Domains []string // "lagrieta.es"
	NAS     []string // NAS names ("office")
	// NASHosts are the NASes' hosts, by name ("office": "nas.lagrieta.es"):
	// a mail naming the host concerns the NAS, by its name.
	NASHosts      map[string]string
	Backups       []string // backup job names
	Subscriptions []string
}

// The areas a notice may concern.
const (
	AreaDDNS         = "ddns"
	AreaDomain       = "domain"
	AreaNAS          = "nas"
	AreaBackup       = "backup"
	AreaSubscription = "subscription"
	AreaSecurity     = "security"
	AreaAccount      = "account" // a provider account as a whole
)

// Notice is one thing a message says.
type Notice struct {
	// Kind names what it is: "<provider>.<what>" for the built-in
	// classifiers ("noip.confirm-request"), the rule's kind otherwise.
	Kind     string           `json:"kind"`
	Provider string           `json:"provider,omitempty"` // "noip", "godaddy", "cloudflare", "synology", "cron", "restic", "dmarc", or the rule's name
	Severity finding.Severity `json:"severity"`
	// Area and Target say which declared thing it concerns ("ddns",
	// "lagrieta.ddns.net"); Target is "" when no declared thing matched.
	Area   string `json:"area,omitempty"`
	Target string `json:"target,omitempty"`
	// Summary says it in one line, for a person.
	Summary string `json:"summary"`
	// Link is the link a person should follow (https), if any.
	Link string `json:"link,omitempty"`
	// Date is a date the mail tells about the target: the NoIP host's
	// confirmation deadline, the domain's expiry. Zero when none.
	Date time.Time `json:"date,omitzero"`
	// Confirm is set when the provider asks for a confirmation.
	Confirm *Request `json:"confirm,omitempty"`
	// Closes are the confirmation keys (Request.Key) and notice kinds
	// ("godaddy.payment-failed") about the same target this mail settles:
	// the provider's follow-up ("hostname confirmed", "renewal
	// successful").
	Closes []string `json:"closes,omitempty"`
	// Verified is set when the account's own MX authenticated the
	// sender (dkim=pass for the provider's domain, or dmarc=pass).
	Verified bool `json:"verified"`
	// DMARC is the aggregate report a DMARC notice carries.
	DMARC *dmarc.Report `json:"dmarc,omitempty"`
	// Rule is the mail rule that made the notice ("" for a built-in).
	Rule string `json:"rule,omitempty"`
	// AutoConfirm is set when the rule allows following Confirm.Link by
	// itself: its host is in LinkHosts and it is https.
	AutoConfirm bool     `json:"auto_confirm,omitempty"`
	LinkHosts   []string `json:"link_hosts,omitempty"`
}

// Request is a confirmation a provider asks for.
type Request struct {
	// Key identifies what is to be confirmed across mails:
	// "noip:hostname:lagrieta.ddns.net", "godaddy:contact:lagrieta.es".
	Key string `json:"key"`
	// What says what a person must do, in one line.
	What string `json:"what"`
	Link string `json:"link,omitempty"`
	// Deadline is when it lapses unconfirmed; zero when the mail does
	// not say.
	Deadline time.Time `json:"deadline,omitzero"`
}

// Rule is one of the organisation's mail rules, as the state declares it
// (schema.MailRule) with its patterns still as text.
type Rule struct {
	Name string
	// From matches the sender's address: a whole address, or "@domain"
	// (that domain and its subdomains). Empty matches any sender.
	From string
	// Subject and Body are regular expressions (Go syntax,
	// case-insensitive); empty matches anything. At least one of From,
	// Subject, Body is set.
	Subject string
	Body    string
	// What the matching mail means.
	Kind     string
	Severity finding.Severity
	Area     string
	Target   string
	// Confirm makes the notice a confirmation request, with a deadline
	// DeadlineDays after the mail's date (0: unknown).
	Confirm      bool
	DeadlineDays int
	// Closes are the confirmation keys or notice kinds this mail settles.
	Closes []string
	// AutoConfirm allows following the request's link by itself when its
	// host is one of LinkHosts and it is https.
	AutoConfirm bool
	LinkHosts   []string
}
