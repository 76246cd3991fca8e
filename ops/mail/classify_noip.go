package mail

import (
	"fmt"
	"strings"
	"time"

	"github.com/lagrieta/itlag/finding"
)

var noipKinds = []kindRE{
	{KindNoIPRedemption, re(`redemption|redención`), re(`\bin redemption\b|redemption period`)},
	{KindNoIPExpired, re(`\bexpired\b|ha caducado|ha expirado`), re(`\b(has|have) expired\b|\bexpired on\b|ha caducado|ha expirado`)},
	{KindNoIPConfirmed, re(`\bconfirmed\b|\brenewed\b|confirmado|renovado`), re(`has been (confirmed|renewed)|successfully (confirmed|renewed)|ha sido (confirmado|renovado)`)},
	{KindNoIPConfirmRequest, re(`expiring soon|action required|confirm|\bexpires?\b|caduca|confirma`), re(`confirm (your )?host ?name|\bexpires? (on|in)\b|will expire|expiring soon|confirma (tu|su) (nombre de )?host`)},
}

// The domains No-IP gives free hostnames under.
var noipHostRE = re(`\b[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.(?:ddns\.net|hopto\.org|zapto\.org|no-ip\.org|no-ip\.biz|no-ip\.info|no-ip\.net|sytes\.net|serveftp\.com|servehttp\.com|myftp\.org|myftp\.biz|redirectme\.net|servebeer\.com|serveblog\.net|servecounterstrike\.com|servegame\.com|servehalflife\.com|servemp3\.com|servepics\.com|servequake\.com|ddnsking\.com|3utilities\.com|bounceme\.net|freedynamicdns\.net|freedynamicdns\.org|gotdns\.ch|loseyourip\.com|mynetav\.net|onthewifi\.com|viewdns\.net|webhop\.me|zapto\.org)\b`)

var noipDeadlineRE = re(`expires?|expiring|expiration|before|until|deadline|caduca|vence|antes del?|hasta`)

func (c *Classifier) noip(v *view) []Notice {
	kind := pickKind(noipKinds, v)
	if kind == "" {
		return nil
	}
	host := findName(v.all, c.known.DDNS)
	if host == "" {
		host = strings.ToLower(noipHostRE.FindString(v.all))
	}
	n := Notice{Kind: kind, Provider: "noip", Area: AreaDDNS, Target: host}
	what := orWord(host, "a No-IP hostname")
	stated := dateAfter(v.text, noipDeadlineRE, v.m.Date)
	switch kind {
	case KindNoIPConfirmRequest:
		deadline, assumed := dateOr(stated, v.m, 7)
		link := c.noipConfirmLink(v.m.Links)
		n.Severity = finding.Medium
		n.Date = deadline
		n.Link = link
		n.Confirm = &Request{Key: "noip:hostname:" + host, What: fmt.Sprintf("confirm %s at No-IP before %s", what, day(deadline)), Link: link, Deadline: deadline}
		n.Summary = fmt.Sprintf("No-IP hostname %s must be confirmed before %s", what, day(deadline))
		if deadline.IsZero() {
			n.Confirm.What = fmt.Sprintf("confirm %s at No-IP", what)
			n.Summary = fmt.Sprintf("No-IP hostname %s must be confirmed", what)
		}
		if assumed {
			n.Summary += " (deadline assumed: 7 days after the mail)"
		}
	case KindNoIPExpired:
		n.Severity = finding.Critical
		n.Date = stated
		n.Link = firstHTTPS(v.m.Links, []string{"noip.com"})
		n.Summary = fmt.Sprintf("No-IP hostname %s has expired%s: restore it in the No-IP account", what, onDay(stated))
	case KindNoIPRedemption:
		n.Severity = finding.Critical
		n.Date = stated
		n.Link = firstHTTPS(v.m.Links, []string{"noip.com"})
		n.Summary = fmt.Sprintf("No-IP hostname %s is in redemption%s: restore it or lose it", what, onDay(stated))
	case KindNoIPConfirmed:
		n.Date = stated
		n.Closes = []string{"noip:hostname:" + host, KindNoIPConfirmRequest, KindNoIPExpired}
		n.Summary = fmt.Sprintf("No-IP hostname %s is confirmed", what)
		if !stated.IsZero() {
			n.Summary += " until " + day(stated)
		}
	}
	return []Notice{n}
}

// noipConfirmLink is the https link on a noip.com host, preferring one
// that says "confirm".
func (c *Classifier) noipConfirmLink(links []string) string {
	var confirm []string
	for _, l := range links {
		if strings.Contains(strings.ToLower(l), "confirm") {
			confirm = append(confirm, l)
		}
	}
	if l := firstHTTPS(confirm, []string{"noip.com"}); l != "" {
		return l
	}
	return firstHTTPS(links, []string{"noip.com"})
}

// onDay is " on 2026-12-14", or "" for the zero time.
func onDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return " on " + t.Format("2006-01-02")
}
