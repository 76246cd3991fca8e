package mail

import (
	"fmt"
	"strings"

	"github.com/lagrieta/itlag/ops/mail/dmarc"
)

var reportDomainRE = re(`\breport domain:\s*(\S+)`)

// maxDMARCTries is how many attachments of one mail dmarc.Parse tries.
const maxDMARCTries = 4

// isDMARC: a "Report Domain:" subject or an attachment dmarc.Parse reads.
func (c *Classifier) isDMARC(v *view) bool {
	return reportDomainRE.MatchString(v.subject) || c.dmarcAttachment(v.m) != nil
}

func (c *Classifier) dmarcAttachment(m *Message) *dmarc.Report {
	tries := 0
	for _, a := range m.Attachments {
		if len(a.Data) == 0 || a.Truncated {
			continue
		}
		if b := a.Data[0]; b != 'P' && b != 0x1f && b != '<' {
			continue
		}
		if tries++; tries > maxDMARCTries {
			break
		}
		if r, err := dmarc.Parse(a.Data, 0); err == nil {
			return r
		}
	}
	return nil
}

func (c *Classifier) dmarcReport(v *view) []Notice {
	r := c.dmarcAttachment(v.m)
	n := Notice{Kind: KindDMARCReport, Provider: "dmarc", Area: AreaSecurity}
	if r == nil {
		if sm := reportDomainRE.FindStringSubmatch(v.subject); sm != nil {
			n.Target = strings.ToLower(sm[1])
		}
		n.Summary = fmt.Sprintf("DMARC report for %s could not be read", orWord(n.Target, "an unknown domain"))
		return []Notice{n}
	}
	n.Target, n.DMARC = r.Domain, r
	var total, failed int
	for _, row := range r.Rows {
		total += row.Count
		if !row.Pass() {
			failed += row.Count
		}
	}
	n.Summary = fmt.Sprintf("DMARC report from %s for %s", orWord(r.Org, "an unnamed reporter"), orWord(r.Domain, "an unknown domain"))
	if !r.Begin.IsZero() {
		n.Summary += " on " + day(r.Begin)
		if !r.End.IsZero() && day(r.End) != day(r.Begin) {
			n.Summary += " to " + day(r.End)
		}
	}
	n.Summary += fmt.Sprintf(": %d messages, %d failed DMARC", total, failed)
	return []Notice{n}
}
