package samples

import (
	"fmt"
	"strings"
	"time"
)

// Names are the declared names the samples talk about. An empty field
// takes the default of DefaultNames.
type Names struct{ DDNS, Domain, NAS, NASHost, BackupJob, ReportDomain string }

// DefaultNames are the names Build uses for the fields left empty.
func DefaultNames() Names {
	return Names{
		DDNS:         "lagrieta.ddns.net",
		Domain:       "lagrieta.es",
		NAS:          "office",
		NASHost:      "nas.lagrieta.es",
		BackupJob:    "documents",
		ReportDomain: "lagrieta.es",
	}
}

func (n Names) withDefaults() Names {
	d := DefaultNames()
	for _, f := range []struct{ v, def *string }{
		{&n.DDNS, &d.DDNS}, {&n.Domain, &d.Domain}, {&n.NAS, &d.NAS},
		{&n.NASHost, &d.NASHost}, {&n.BackupJob, &d.BackupJob}, {&n.ReportDomain, &d.ReportDomain},
	} {
		if *f.v == "" {
			*f.v = *f.def
		}
	}
	return n
}

// Sample is one realistic mail with the kind the classifiers must give
// it ("" = nothing matches).
type Sample struct {
	Name string
	Kind string
	Raw  []byte
}

// The dates the samples state, relative to Build's now (mail dates are
// a few hours before now). Tests compare the notices' dates with these.
const (
	NoIPConfirmDays     = 7   // the No-IP host expires now + 7 days
	GoDaddyExpiryDays   = 30  // the domain expires now + 30 days
	GoDaddyRenewedDays  = 395 // the renewed domain expires now + 395 days
	CloudflareCertDays  = 5   // the certificate expires now + 5 days
	ContactVerifyDays   = 15  // the contact must be verified within 15 days of the mail
	DefaultMailHoursAgo = 3   // the mails are dated now - 3 h
	// MXAuthServID is the authserv-id of the samples' Authentication-Results.
	MXAuthServID = "mx.lagrieta.es"
)

// Build returns one sample per built-in kind, plus a newsletter, a
// malformed mail and phishing look-alikes; deterministic for the same
// now and names, with dates relative to now.
func Build(now time.Time, n Names) []Sample {
	n = n.withDefaults()
	now = now.UTC().Truncate(time.Second)
	b := builder{now: now, n: n}
	var out []Sample
	for _, f := range []func() Sample{
		b.noipConfirmHTML, b.noipExpired, b.noipRedemption, b.noipConfirmed,
		b.godaddyRenewalES, b.godaddyRenewalFailed, b.godaddyExpiring, b.godaddyRenewed,
		b.godaddyContactVerification, b.godaddyContactVerified,
		b.cloudflareCertificate, b.cloudflareSecurity, b.cloudflareAccount,
		b.synologyVolumeDegraded, b.synologyDiskFailing, b.synologyBackupFailed, b.synologyBackupSucceeded,
		b.cronResticFailed, b.cronJobFailed, b.cronOutput,
		b.dmarcGzip, b.dmarcZip,
		b.newsletter, b.malformed, b.phishingDKIMFail, b.phishingLookAlike,
	} {
		out = append(out, f())
	}
	return out
}

type builder struct {
	now time.Time
	n   Names
}

// mailDate is the Date of a sample: a few hours before now.
func (b builder) mailDate() time.Time { return b.now.Add(-DefaultMailHoursAgo * time.Hour) }

// head is the header of one sample; Body follows it verbatim.
type head struct {
	name        string // sample name, used in Message-ID
	fromDomain  string // the domain of Message-ID
	from, to    string
	subject     string // already encoded when not ASCII
	dkim        string // header.d=; "" for no Authentication-Results
	dkimResult  string // "pass" unless set
	contentType string
	cte         string // Content-Transfer-Encoding; "" for none
	extra       []string
}

func (b builder) mail(h head, body string) []byte {
	var s strings.Builder
	if h.dkim != "" {
		res := h.dkimResult
		if res == "" {
			res = "pass"
		}
		dmarcRes := res
		fmt.Fprintf(&s, "Authentication-Results: %s;\r\n\tdkim=%s header.d=%s header.s=s1 header.b=Zk3q9XaB;\r\n\tspf=pass (%s: domain of bounce@%s designates 192.0.2.10 as permitted sender) smtp.mailfrom=bounce@%s;\r\n\tdmarc=%s (p=REJECT sp=REJECT dis=NONE) header.from=%s\r\n",
			MXAuthServID, res, h.dkim, MXAuthServID, h.dkim, h.dkim, dmarcRes, h.dkim)
	}
	fmt.Fprintf(&s, "Message-ID: <%s.%s@%s>\r\n", h.name, b.now.Format("20060102150405"), h.fromDomain)
	fmt.Fprintf(&s, "Date: %s\r\n", b.mailDate().Format(time.RFC1123Z))
	fmt.Fprintf(&s, "From: %s\r\n", h.from)
	to := h.to
	if to == "" {
		to = "IT <it@" + b.n.Domain + ">"
	}
	fmt.Fprintf(&s, "To: %s\r\n", to)
	fmt.Fprintf(&s, "Subject: %s\r\n", h.subject)
	s.WriteString("MIME-Version: 1.0\r\n")
	for _, e := range h.extra {
		s.WriteString(e + "\r\n")
	}
	fmt.Fprintf(&s, "Content-Type: %s\r\n", h.contentType)
	if h.cte != "" {
		fmt.Fprintf(&s, "Content-Transfer-Encoding: %s\r\n", h.cte)
	}
	s.WriteString("\r\n")
	s.WriteString(crlf(body))
	return []byte(s.String())
}

// crlf turns bare LF line ends into CRLF.
func crlf(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\n", "\r\n")
}

// day formats a date the English way: "December 14, 2026".
func day(t time.Time) string { return t.Format("January 2, 2006") }

var spanishMonths = [...]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
	"agosto", "septiembre", "octubre", "noviembre", "diciembre"}

// diaES formats a date the Spanish way: "14 de diciembre de 2026".
func diaES(t time.Time) string {
	return fmt.Sprintf("%d de %s de %d", t.Day(), spanishMonths[t.Month()-1], t.Year())
}
