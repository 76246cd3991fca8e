package mail

import (
	"fmt"
	"strings"

	"github.com/lagrieta/itlag/finding"
)

// The built-in kinds.
const (
	KindNoIPConfirmRequest         = "noip.confirm-request"
	KindNoIPExpired                = "noip.expired"
	KindNoIPRedemption             = "noip.redemption"
	KindNoIPConfirmed              = "noip.confirmed"
	KindGoDaddyRenewalNotice       = "godaddy.renewal-notice"
	KindGoDaddyRenewalFailed       = "godaddy.renewal-failed"
	KindGoDaddyExpiring            = "godaddy.expiring"
	KindGoDaddyRenewed             = "godaddy.renewed"
	KindGoDaddyContactVerification = "godaddy.contact-verification"
	KindGoDaddyContactVerified     = "godaddy.contact-verified"
	KindCloudflareCertificate      = "cloudflare.certificate"
	KindCloudflareSecurity         = "cloudflare.security"
	KindCloudflareAccount          = "cloudflare.account"
	KindSynologyVolumeDegraded     = "synology.volume-degraded"
	KindSynologyDiskFailing        = "synology.disk-failing"
	KindSynologyBackupFailed       = "synology.backup-failed"
	KindSynologyBackupSucceeded    = "synology.backup-succeeded"
	KindCronJobFailed              = "cron.job-failed"
	KindCronOutput                 = "cron.output"
	KindResticBackupFailed         = "restic.backup-failed"
	KindDMARCReport                = "dmarc.report"
	KindSuspicious                 = "mail.suspicious"
)

// BuiltinKinds are the kinds the built-in classifiers give, in a fixed
// order.
func BuiltinKinds() []string {
	return []string{
		KindNoIPConfirmRequest, KindNoIPExpired, KindNoIPRedemption, KindNoIPConfirmed,
		KindGoDaddyRenewalNotice, KindGoDaddyRenewalFailed, KindGoDaddyExpiring, KindGoDaddyRenewed,
		KindGoDaddyContactVerification, KindGoDaddyContactVerified,
		KindCloudflareCertificate, KindCloudflareSecurity, KindCloudflareAccount,
		KindSynologyVolumeDegraded, KindSynologyDiskFailing, KindSynologyBackupFailed, KindSynologyBackupSucceeded,
		KindCronJobFailed, KindCronOutput, KindResticBackupFailed, KindDMARCReport, KindSuspicious,
	}
}

// view is a message as the built-in classifiers read it.
type view struct {
	m       *Message
	subject string
	text    string
	all     string // subject, then text
}

func newView(m *Message) *view {
	return &view{m: m, subject: m.Subject, text: m.Text, all: m.Subject + "\n" + m.Text}
}

// kindRE says a kind by its subject, or failing that by its body.
type kindRE struct {
	kind          string
	subject, body *pattern
}

// pickKind is the first kind whose subject pattern matches, else the
// first whose body pattern matches; "" when none.
func pickKind(list []kindRE, v *view) string {
	for _, k := range list {
		if k.subject != nil && k.subject.MatchString(v.subject) {
			return k.kind
		}
	}
	for _, k := range list {
		if k.body != nil && k.body.MatchString(v.text) {
			return k.kind
		}
	}
	return ""
}

// provider is a notification sender known by its domains.
type provider struct {
	name, display string
	domains       []string
	brand         string // what a look-alike domain imitates, folded
	classify      func(c *Classifier, v *view) []Notice
}

func (c *Classifier) providers() []provider {
	return []provider{
		{name: "noip", display: "No-IP", domains: []string{"noip.com", "no-ip.com"}, brand: "noip", classify: (*Classifier).noip},
		{name: "godaddy", display: "GoDaddy", domains: []string{"godaddy.com", "secureserver.net"}, brand: "godaddy", classify: (*Classifier).godaddy},
		{name: "cloudflare", display: "Cloudflare", domains: []string{"cloudflare.com"}, brand: "cloudflare", classify: (*Classifier).cloudflare},
	}
}

// builtin runs the built-in classifiers: the providers known by their
// sender's domain (or a look-alike of it), then DMARC reports, cron and
// Synology mail.
func (c *Classifier) builtin(m *Message) []Notice {
	v := newView(m)
	from := m.From.Domain()
	for _, p := range c.providers() {
		if !underAny(from, p.domains) {
			continue
		}
		if c.failedFor(m, p.domains) {
			return []Notice{c.suspicious(m, p, fmt.Sprintf("a mail claiming to be from %s failed DKIM at %s; do not follow its links", p.display, c.trusted))}
		}
		ns := p.classify(c, v)
		verified := c.verifiedFor(m, p.domains)
		for i := range ns {
			ns[i].Verified = verified
		}
		return ns
	}
	for _, p := range c.providers() {
		if lookAlike(from, p) && len(p.classify(c, v)) > 0 {
			return []Notice{c.suspicious(m, p, fmt.Sprintf("a mail from %s imitates %s (a look-alike domain); do not follow its links", from, p.display))}
		}
	}
	var ns []Notice
	switch {
	case c.isDMARC(v):
		ns = c.dmarcReport(v)
	case isCron(v):
		ns = c.cron(v)
	case c.isSynology(v):
		ns = c.synology(v)
	}
	verified := c.verifiedFor(m, []string{from})
	for i := range ns {
		ns[i].Verified = verified
	}
	return ns
}

func (c *Classifier) suspicious(m *Message, p provider, summary string) Notice {
	if m.Subject != "" {
		summary += fmt.Sprintf(" (subject %q)", cut(m.Subject, 120))
	}
	return Notice{Kind: KindSuspicious, Provider: p.name, Severity: finding.Medium, Area: AreaSecurity, Summary: summary}
}

var foldLookAlike = strings.NewReplacer("0", "o", "1", "l", "3", "e", "5", "s", "-", "", "_", "", ".", "")

// lookAlike reports whether a sender domain imitates p's without being
// one of p's: noip-support.com, n0ip.com, noip.com.example.net.
func lookAlike(domain string, p provider) bool {
	if domain == "" || underAny(domain, p.domains) {
		return false
	}
	return strings.Contains(foldLookAlike.Replace(strings.ToLower(domain)), p.brand)
}
