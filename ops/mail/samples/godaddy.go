package samples

import "fmt"

func (b builder) godaddyHead(name, subject string) head {
	return head{name: name, fromDomain: "godaddy.com", from: "GoDaddy <renewals@godaddy.com>", subject: subject, dkim: "godaddy.com"}
}

// godaddyRenewalES is the Spanish renewal notice, ISO-8859-1
// quoted-printable, its subject an RFC 2047 word.
func (b builder) godaddyRenewalES() Sample {
	h := b.godaddyHead("godaddy-renewal-es", wordQ("ISO-8859-1", latin1("Aviso de renovación: "+b.n.Domain)))
	h.from = "GoDaddy <avisos@e.godaddy.com>"
	h.dkim = "e.godaddy.com"
	h.contentType = `text/plain; charset="ISO-8859-1"`
	h.cte = "quoted-printable"
	exp := b.now.AddDate(0, 0, GoDaddyExpiryDays)
	text := fmt.Sprintf(`Hola:

Tu dominio %s vence el %s. Para no perderlo, renuévalo antes de esa fecha.
La renovación automática está desactivada para este dominio.

Renueva ahora: https://account.godaddy.com/products?go_redirect=renewals

Atentamente,
El equipo de GoDaddy
`, b.n.Domain, diaES(exp))
	return Sample{Name: "godaddy-renewal-es", Kind: "godaddy.renewal-notice", Raw: b.mail(h, qp(latin1(text)))}
}

// godaddyRenewalFailed is windows-1252 base64, with a curly quote in
// the subject and the body.
func (b builder) godaddyRenewalFailed() Sample {
	h := b.godaddyHead("godaddy-renewal-failed", wordB("windows-1252", cp1252("We couldn’t renew "+b.n.Domain)))
	h.contentType = `text/plain; charset=windows-1252`
	h.cte = "base64"
	exp := b.now.AddDate(0, 0, GoDaddyExpiryDays)
	text := fmt.Sprintf("Hi,\r\n\r\nWe tried to auto-renew %s, but your payment method was declined.\r\n"+
		"The domain expires on %s. Update your payment method – it’s quick – and renew:\r\n"+
		"https://account.godaddy.com/billing/payment-methods\r\n\r\nGoDaddy\r\n", b.n.Domain, day(exp))
	return Sample{Name: "godaddy-renewal-failed", Kind: "godaddy.renewal-failed", Raw: b.mail(h, b64(cp1252(text)))}
}

// godaddyExpiring is the post-expiry "cancels in 5 days" notice.
func (b builder) godaddyExpiring() Sample {
	h := b.godaddyHead("godaddy-expiring", "Urgent: "+b.n.Domain+" cancels in 5 days")
	h.contentType = `text/plain; charset=utf-8`
	body := fmt.Sprintf(`Your domain %s expired and will be cancelled in 5 days (%s).
After that it may be registered by someone else.

Renew now: https://account.godaddy.com/products?go_redirect=renewals
`, b.n.Domain, day(b.now.AddDate(0, 0, 5)))
	return Sample{Name: "godaddy-expiring", Kind: "godaddy.expiring", Raw: b.mail(h, body)}
}

// godaddyRenewed is the receipt: multipart/alternative with an HTML
// part in base64.
func (b builder) godaddyRenewed() Sample {
	h := b.godaddyHead("godaddy-renewed", "Your GoDaddy receipt: renewal confirmation #3141592")
	h.contentType = `multipart/alternative; boundary="----=_Part_42_1"`
	exp := b.now.AddDate(0, 0, GoDaddyRenewedDays)
	html := fmt.Sprintf(`<html><body><p>Thank you for your order.</p>
<table><tr><td>Domain Renewal - %s - 1 Year</td><td>17,99&nbsp;&euro;</td></tr></table>
<p>Your domain has been renewed. New expiration date: %s.</p></body></html>`, b.n.Domain, day(exp))
	body := fmt.Sprintf(`------=_Part_42_1
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Thank you for your order.
Domain Renewal - %s - 1 Year   17,99 €
Your domain has been renewed. New expiration date: %s.

------=_Part_42_1
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: base64

%s
------=_Part_42_1--
`, b.n.Domain, day(exp), b64([]byte(html)))
	return Sample{Name: "godaddy-renewed", Kind: "godaddy.renewed", Raw: b.mail(h, body)}
}

// godaddyContactVerification is the ICANN contact verification request.
func (b builder) godaddyContactVerification() Sample {
	h := b.godaddyHead("godaddy-contact-verify", "Action required: verify your domain contact information")
	h.from = "GoDaddy <noreply@secureserver.net>"
	h.dkim = "secureserver.net"
	h.contentType = `text/plain; charset=utf-8`
	body := fmt.Sprintf(`ICANN requires us to verify the registrant contact information of %s.
Please confirm your email address by clicking the link below. If it is not
verified, the domain may be suspended.

https://dcc.godaddy.com/verify?token=7f3a9c

GoDaddy
`, b.n.Domain)
	return Sample{Name: "godaddy-contact-verification", Kind: "godaddy.contact-verification", Raw: b.mail(h, body)}
}

// godaddyContactVerified follows the verification.
func (b builder) godaddyContactVerified() Sample {
	h := b.godaddyHead("godaddy-contact-verified", "Your contact information has been verified")
	h.contentType = `text/plain; charset=utf-8`
	body := fmt.Sprintf("Thanks. The registrant contact information for %s has been verified.\n", b.n.Domain)
	return Sample{Name: "godaddy-contact-verified", Kind: "godaddy.contact-verified", Raw: b.mail(h, body)}
}
