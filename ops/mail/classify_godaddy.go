package mail

import (
	"fmt"

	"github.com/lagrieta/itlag/finding"
)

var godaddyKinds = []kindRE{
	{KindGoDaddyContactVerified, re(`(contact|whois|registrant|e-?mail)\b.*\b(verified|confirmed)|(contacto|datos).*verificad`),
		re(`(contact|whois|registrant)\b.*\b(has been|was|is now|are now) (verified|confirmed)|(contacto|datos).*(ha|han) sido verificad`)},
	{KindGoDaddyContactVerification, re(`verif(y|ication)|verifica`),
		re(`icann\b.*\bverif|verify (your |the )?(domain |registrant )?(contact|e-?mail|whois)|verifica(r)? (tu|su|los) (datos|contacto|correo)`)},
	{KindGoDaddyRenewalFailed, re(`couldn.?t renew|could not renew|unable to renew|(renewal|payment|auto-?renew\w*)( method)? (has )?(failed|declined|unsuccessful)|\bfailed\b|\bdeclined\b|no se pudo renovar|rechazad`),
		re(`couldn.?t renew|could not renew|unable to renew|(renewal|payment|auto-?renew\w*)( method)? (has |was )?(failed|declined|unsuccessful)|no (se )?(ha )?pod(ido|imos) renovar|pago.*rechazad`)},
	{KindGoDaddyExpiring, re(`cancels? in \d+ days?|final cancellation|\bexpired\b|se cancelará|ha caducado|ha vencido`),
		re(`cancel+ed in \d+ days?|will be cancel+ed|final cancellation|\b(has|have) expired\b|se cancelará|ha caducado|ha vencido`)},
	{KindGoDaddyRenewed, re(`receipt|renewal confirmation|\brenewed\b|successfully renewed|renovado|recibo|confirmación de (la )?renovación`),
		re(`has been renewed|successfully renewed|renewal (is |was )?(complete|successful)|se ha renovado|ha sido renovado`)},
	{KindGoDaddyRenewalNotice, re(`renewal notice|\brenew|expir|aviso de renovación|renovación|vence|caduca`),
		re(`\bexpires? on\b|\brenew|vence el|caduca el|renovación`)},
}

var (
	godaddyExpiryRE  = re(`expir\w*|vence|caduca|cancel\w*|until|hasta`)
	godaddyDeadline  = re(`before|by|within|antes del?|deadline|plazo`)
	godaddyNewExpiry = re(`(new )?expir\w*( date)?|until|hasta|vence|caduca`)
)

func (c *Classifier) godaddy(v *view) []Notice {
	kind := pickKind(godaddyKinds, v)
	if kind == "" {
		return nil
	}
	dom := findName(v.all, c.known.Domains)
	what := orWord(dom, "a domain")
	n := Notice{Kind: kind, Provider: "godaddy", Area: AreaDomain, Target: dom}
	link := firstHTTPS(v.m.Links, []string{"godaddy.com", "secureserver.net"})
	expiry := dateAfter(v.text, godaddyExpiryRE, v.m.Date)
	switch kind {
	case KindGoDaddyRenewalNotice:
		n.Severity = finding.Low
		n.Date = expiry
		n.Link = link
		n.Summary = fmt.Sprintf("GoDaddy renewal notice: domain %s expires%s", what, onDay(expiry))
	case KindGoDaddyRenewalFailed:
		n.Severity = finding.High
		n.Date = expiry
		n.Link = link
		n.Summary = fmt.Sprintf("GoDaddy could not renew domain %s (auto-renew or payment failed)", what)
		if !expiry.IsZero() {
			n.Summary += "; it expires on " + day(expiry)
		}
	case KindGoDaddyExpiring:
		n.Severity = finding.Critical
		n.Date = expiry
		n.Link = link
		n.Summary = fmt.Sprintf("GoDaddy: domain %s has expired and is about to be cancelled", what)
		if !expiry.IsZero() {
			n.Summary += " (" + day(expiry) + ")"
		}
	case KindGoDaddyRenewed:
		n.Date = dateAfter(v.text, godaddyNewExpiry, v.m.Date)
		n.Closes = []string{KindGoDaddyRenewalFailed, KindGoDaddyExpiring, KindGoDaddyRenewalNotice}
		n.Summary = fmt.Sprintf("GoDaddy renewed domain %s", what)
		if !n.Date.IsZero() {
			n.Summary += "; it now expires on " + day(n.Date)
		}
	case KindGoDaddyContactVerification:
		key := c.godaddyContactKey(dom, v.m)
		deadline, _ := dateOr(dateAfter(v.text, godaddyDeadline, v.m.Date), v.m, 15)
		n.Severity = finding.Medium
		n.Date = deadline
		n.Link = link
		n.Confirm = &Request{Key: key, What: fmt.Sprintf("verify the registrant contact of %s at GoDaddy", what), Link: link, Deadline: deadline}
		n.Summary = fmt.Sprintf("GoDaddy asks to verify the registrant contact of %s", what)
		if !deadline.IsZero() {
			n.Confirm.What += " before " + day(deadline)
			n.Summary += " before " + day(deadline)
		}
	case KindGoDaddyContactVerified:
		n.Closes = []string{c.godaddyContactKey(dom, v.m)}
		n.Summary = fmt.Sprintf("GoDaddy: the registrant contact of %s is verified", what)
	}
	return []Notice{n}
}

// godaddyContactKey names the contact to verify: the domain, else the
// account the mail went to.
func (c *Classifier) godaddyContactKey(dom string, m *Message) string {
	if dom == "" && len(m.To) > 0 {
		dom = m.To[0].Address
	}
	return "godaddy:contact:" + orWord(dom, "account")
}
