package mail

import (
	"fmt"

	"github.com/lagrieta/itlag/finding"
)

var cloudflareKinds = []kindRE{
	{KindCloudflareSecurity, re(`ddos|\battack|security event|firewall event|\bwaf\b|under attack`), re(`ddos|\battack\b|security event|firewall event|dos_attack`)},
	{KindCloudflareCertificate, re(`\bssl\b|\btls\b|certificate|certificado`), re(`universal_ssl|universal ssl|\bcertificate\b`)},
	{KindCloudflareAccount, re(`billing|invoice|payment|usage|maintenance|log-?in|logged in|sign-?in|signed in|token|api key|password|two-factor|\b2fa\b|member|account`),
		re(`billing|invoice|maintenance|new (log-?in|sign-?in)|api token|api key|password|two-factor`)},
}

var (
	cloudflareCertBadRE = re(`fail|could not|couldn.?t|unable|error|expired|expiring|expires soon|will expire|timed out|pending validation`)
	cloudflareCredRE    = re(`log-?in|logged in|sign-?in|signed in|token|api key|password|two-factor|\b2fa\b|credential`)
	cloudflareExpiryRE  = re(`expir\w*|valid until|until`)
)

func (c *Classifier) cloudflare(v *view) []Notice {
	kind := pickKind(cloudflareKinds, v)
	if kind == "" {
		return nil
	}
	zone := findName(v.all, c.known.Domains)
	what := orWord(zone, "a zone")
	n := Notice{Kind: kind, Provider: "cloudflare", Target: zone, Link: firstHTTPS(v.m.Links, []string{"cloudflare.com"})}
	subject := cut(orWord(v.subject, "(no subject)"), 120)
	switch kind {
	case KindCloudflareCertificate:
		n.Area = AreaDomain
		if cloudflareCertBadRE.MatchString(v.all) {
			n.Severity = finding.High
		}
		n.Date = dateAfter(v.text, cloudflareExpiryRE, v.m.Date)
		n.Summary = fmt.Sprintf("Cloudflare certificate of %s: %s", what, subject)
		if !n.Date.IsZero() {
			n.Summary += " (expires " + day(n.Date) + ")"
		}
	case KindCloudflareSecurity:
		n.Area = AreaSecurity
		n.Severity = finding.High
		n.Summary = fmt.Sprintf("Cloudflare security event on %s: %s", what, subject)
	case KindCloudflareAccount:
		n.Area = AreaAccount
		n.Severity = finding.Low
		if cloudflareCredRE.MatchString(v.all) {
			n.Severity = finding.Medium
		}
		n.Summary = fmt.Sprintf("Cloudflare account (%s): %s", what, subject)
	}
	return []Notice{n}
}
