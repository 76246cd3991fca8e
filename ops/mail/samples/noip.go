package samples

import "fmt"

func (b builder) noipHead(name, subject string) head {
	return head{name: name, fromDomain: "noip.com", from: "No-IP <no-reply@noip.com>", subject: subject, dkim: "noip.com"}
}

func (b builder) noipConfirmLink() string {
	return "https://www.noip.com/confirm-host?n=" + fmt.Sprintf("%x", b.now.Unix()) + "&h=" + b.n.DDNS
}

// noipConfirmHTML is the monthly "confirm your hostname" mail, HTML
// only, the link in an <a href>.
func (b builder) noipConfirmHTML() Sample {
	h := b.noipHead("noip-confirm", "ACTION REQUIRED: "+b.n.DDNS+" is Expiring Soon")
	h.contentType = `text/html; charset="UTF-8"`
	h.cte = "7bit"
	exp := b.now.AddDate(0, 0, NoIPConfirmDays)
	body := fmt.Sprintf(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>No-IP</title>
<style>body { font-family: Arial; } .btn { color: #fff; }</style>
<script>var tracking = "https://tracker.example.invalid/open";</script>
</head>
<body>
<table width="100%%"><tr><td>
<h1>Hostname Expiring Soon</h1>
<p>Hi lagrieta,</p>
<p>Your free hostname <b>%s</b> expires on %s.
Free hostnames must be confirmed every 30 days to stay active &amp; resolving.</p>
<p><a class="btn" href="%s">Confirm Hostname</a></p>
<p>Want to stop confirming? <a href="https://www.noip.com/remote-access?utm_source=expiry">Upgrade to Enhanced&nbsp;Dynamic&nbsp;DNS</a>.</p>
<p>&copy; No-IP &middot; Vitalwerks Internet Solutions, LLC</p>
</td></tr></table>
</body></html>
`, b.n.DDNS, day(exp), b.noipConfirmLink())
	return Sample{Name: "noip-confirm-html", Kind: "noip.confirm-request", Raw: b.mail(h, body)}
}

// noipExpired is the mail of the expiry day: plain text.
func (b builder) noipExpired() Sample {
	h := b.noipHead("noip-expired", b.n.DDNS+" has Expired")
	h.contentType = `text/plain; charset="us-ascii"`
	h.cte = "7bit"
	body := fmt.Sprintf(`Hi lagrieta,

Your hostname %s expired on %s because it was not confirmed.
It no longer resolves. You can restore it from your account within
the next days:

  https://my.noip.com/dynamic-dns

Thank you,
The No-IP Team
`, b.n.DDNS, day(b.mailDate()))
	return Sample{Name: "noip-expired", Kind: "noip.expired", Raw: b.mail(h, body)}
}

// noipRedemption: multipart/alternative, both parts.
func (b builder) noipRedemption() Sample {
	h := b.noipHead("noip-redemption", b.n.DDNS+" is in Redemption")
	h.contentType = `multipart/alternative; boundary="b1_noip_redemption"`
	body := fmt.Sprintf(`This is a multi-part message in MIME format.

--b1_noip_redemption
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Your hostname %s is in Redemption. It will be deleted =
permanently unless you restore it: https://my.noip.com/dynamic-dns

--b1_noip_redemption
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

<p>Your hostname <b>%s</b> is in Redemption. It will be deleted perma=
nently unless you <a href=3D"https://my.noip.com/dynamic-dns">restore it</a=
>.</p>

--b1_noip_redemption--
`, b.n.DDNS, b.n.DDNS)
	return Sample{Name: "noip-redemption", Kind: "noip.redemption", Raw: b.mail(h, body)}
}

// noipConfirmed follows a confirmation.
func (b builder) noipConfirmed() Sample {
	h := b.noipHead("noip-confirmed", "Hostname "+b.n.DDNS+" Confirmed")
	h.contentType = `text/plain; charset=utf-8`
	h.cte = "8bit"
	next := b.now.AddDate(0, 0, 30)
	body := fmt.Sprintf(`Thank you! Your hostname %s has been confirmed and will stay
active for another 30 days (until %s).

— The No-IP Team
`, b.n.DDNS, day(next))
	return Sample{Name: "noip-confirmed", Kind: "noip.confirmed", Raw: b.mail(h, body)}
}

// phishingDKIMFail claims to be No-IP but our MX saw its DKIM fail.
func (b builder) phishingDKIMFail() Sample {
	h := b.noipHead("phish-dkim", "ACTION REQUIRED: "+b.n.DDNS+" is Expiring Soon")
	h.dkimResult = "fail"
	h.contentType = `text/html; charset=utf-8`
	exp := b.now.AddDate(0, 0, 2)
	body := fmt.Sprintf(`<p>Your hostname %s expires on %s.</p>
<p><a href="https://noip.com.confirm-host.example.net/login">Confirm Hostname</a></p>
`, b.n.DDNS, day(exp))
	return Sample{Name: "phishing-dkim-fail", Kind: "mail.suspicious", Raw: b.mail(h, body)}
}

// phishingLookAlike comes from a look-alike domain whose DKIM passes.
func (b builder) phishingLookAlike() Sample {
	h := head{name: "phish-lookalike", fromDomain: "n0ip.com", from: "No-IP Support <support@n0ip.com>",
		subject: "ACTION REQUIRED: " + b.n.DDNS + " is Expiring Soon", dkim: "n0ip.com",
		contentType: "text/plain; charset=utf-8"}
	body := fmt.Sprintf("Confirm your hostname %s within 24 hours: https://n0ip.com/confirm\n", b.n.DDNS)
	return Sample{Name: "phishing-lookalike", Kind: "mail.suspicious", Raw: b.mail(h, body)}
}
