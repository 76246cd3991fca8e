package samples

import "fmt"

func (b builder) cloudflareHead(name, subject string) head {
	return head{name: name, fromDomain: "notify.cloudflare.com", from: "Cloudflare <noreply@notify.cloudflare.com>",
		subject: subject, dkim: "notify.cloudflare.com", contentType: `multipart/alternative; boundary="cf-000"`}
}

// alternative is a multipart/alternative body with boundary cf-000.
func alternative(text, html string) string {
	return "--cf-000\nContent-Type: text/plain; charset=utf-8\n\n" + text +
		"\n--cf-000\nContent-Type: text/html; charset=utf-8\n\n" + html + "\n--cf-000--\n"
}

func (b builder) cloudflareCertificate() Sample {
	h := b.cloudflareHead("cf-cert", "Universal SSL certificate renewal failed for "+b.n.Domain)
	exp := b.now.AddDate(0, 0, CloudflareCertDays)
	text := fmt.Sprintf("Cloudflare could not renew the Universal SSL certificate for %s: domain control validation failed.\n"+
		"The current certificate expires on %s.\nReview: https://dash.cloudflare.com/?to=/:account/%s/ssl-tls/edge-certificates\n",
		b.n.Domain, exp.Format("2006-01-02"), b.n.Domain)
	html := fmt.Sprintf(`<p>Cloudflare could not renew the Universal SSL certificate for <b>%s</b>.</p><p><a href="https://dash.cloudflare.com/?to=/:account/%s/ssl-tls/edge-certificates">Review</a></p>`,
		b.n.Domain, b.n.Domain)
	return Sample{Name: "cloudflare-certificate", Kind: "cloudflare.certificate", Raw: b.mail(h, alternative(text, html))}
}

func (b builder) cloudflareSecurity() Sample {
	h := b.cloudflareHead("cf-ddos", "Cloudflare is mitigating an HTTP DDoS attack against "+b.n.Domain)
	text := fmt.Sprintf("Alert type: dos_attack_l7\nZone: %s\nCloudflare detected and is mitigating an HTTP DDoS attack. Peak: 48,000 rps.\n"+
		"https://dash.cloudflare.com/?to=/:account/%s/security/analytics\n", b.n.Domain, b.n.Domain)
	html := "<p>Cloudflare detected and is mitigating an HTTP DDoS attack.</p>"
	return Sample{Name: "cloudflare-security", Kind: "cloudflare.security", Raw: b.mail(h, alternative(text, html))}
}

func (b builder) cloudflareAccount() Sample {
	h := b.cloudflareHead("cf-login", "New login to your Cloudflare account")
	h.contentType = "text/plain; charset=utf-8"
	body := fmt.Sprintf("A new login to the Cloudflare account it@%s was made from 198.51.100.7 (Madrid, ES) using Firefox on Linux.\n"+
		"If this was not you, reset your password: https://dash.cloudflare.com/forgot-password\n", b.n.Domain)
	return Sample{Name: "cloudflare-account", Kind: "cloudflare.account", Raw: b.mail(h, body)}
}
