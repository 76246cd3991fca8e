package samples

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"fmt"
	"time"
)

// DMARCXML is the aggregate report the DMARC samples carry: org, report
// id (inserted as is: escape it) and the day before now, for domain.
func DMARCXML(org, reportID, domain string, now time.Time) []byte {
	begin := now.UTC().Truncate(24*time.Hour).AddDate(0, 0, -1)
	end := begin.Add(24*time.Hour - time.Second)
	return fmt.Appendf(nil, `<?xml version="1.0" encoding="UTF-8" ?>
<feedback>
  <report_metadata>
    <org_name>%s</org_name>
    <email>noreply-dmarc-support@%s</email>
    <report_id>%s</report_id>
    <date_range><begin>%d</begin><end>%d</end></date_range>
  </report_metadata>
  <policy_published>
    <domain>%s</domain><adkim>r</adkim><aspf>r</aspf><p>quarantine</p><sp>quarantine</sp><pct>100</pct>
  </policy_published>
  <record>
    <row><source_ip>192.0.2.25</source_ip><count>12</count>
      <policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>pass</spf></policy_evaluated></row>
    <identifiers><header_from>%s</header_from></identifiers>
    <auth_results><dkim><domain>%s</domain><result>pass</result></dkim><spf><domain>%s</domain><result>pass</result></spf></auth_results>
  </record>
  <record>
    <row><source_ip>203.0.113.9</source_ip><count>3</count>
      <policy_evaluated><disposition>quarantine</disposition><dkim>fail</dkim><spf>fail</spf></policy_evaluated></row>
    <identifiers><header_from>%s</header_from></identifiers>
    <auth_results><spf><domain>spammer.example</domain><result>fail</result></spf></auth_results>
  </record>
</feedback>
`, org, org, reportID, begin.Unix(), end.Unix(), domain, domain, domain, domain, domain)
}

func (b builder) dmarcHead(name, org, reportID, file string) head {
	return head{name: name, fromDomain: org, from: "noreply-dmarc-support@" + org,
		to: "dmarc@" + b.n.ReportDomain, dkim: org,
		subject:     fmt.Sprintf("Report Domain: %s Submitter: %s Report-ID: %s", b.n.ReportDomain, org, reportID),
		contentType: `multipart/mixed; boundary="dmarc-part"`,
		extra:       []string{"X-Attachment-Name: " + file}}
}

func (b builder) dmarcBody(ctype, file string, data []byte) string {
	return fmt.Sprintf("--dmarc-part\nContent-Type: text/plain; charset=utf-8\n\nThis is an aggregate report from the DMARC protocol.\n\n"+
		"--dmarc-part\nContent-Type: %s; name=\"%s\"\nContent-Disposition: attachment; filename=\"%s\"\nContent-Transfer-Encoding: base64\n\n%s--dmarc-part--\n",
		ctype, file, file, b64(data))
}

// dmarcGzip is RFC 7489's transport: application/gzip, .xml.gz.
func (b builder) dmarcGzip() Sample {
	org, id := "mimecast.example", "a3f1c2d4e5b6a7980a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6071"
	xml := DMARCXML(org, id, b.n.ReportDomain, b.now)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf) // no name, zero ModTime: deterministic
	zw.Write(xml)
	zw.Close()
	begin := b.now.Truncate(24*time.Hour).AddDate(0, 0, -1)
	file := fmt.Sprintf("%s!%s!%d!%d!%s.xml.gz", org, b.n.ReportDomain, begin.Unix(), begin.Add(24*time.Hour-time.Second).Unix(), id)
	h := b.dmarcHead("dmarc-gz", org, id, file)
	return Sample{Name: "dmarc-gzip", Kind: "dmarc.report", Raw: b.mail(h, b.dmarcBody("application/gzip", file, buf.Bytes()))}
}

// dmarcZip is Google's form: application/zip with one .xml entry.
func (b builder) dmarcZip() Sample {
	org, id := "google.com", fmt.Sprintf("%d", 1000000000+b.now.Unix()%1000000000)
	xml := DMARCXML(org, "&lt;"+id+"@google.com&gt;", b.n.ReportDomain, b.now)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	begin := b.now.Truncate(24*time.Hour).AddDate(0, 0, -1)
	name := fmt.Sprintf("%s!%s!%d!%d.xml", org, b.n.ReportDomain, begin.Unix(), begin.Add(24*time.Hour-time.Second).Unix())
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: b.now})
	w.Write(xml)
	zw.Close()
	h := b.dmarcHead("dmarc-zip", org, id, name+".zip")
	return Sample{Name: "dmarc-zip", Kind: "dmarc.report", Raw: b.mail(h, b.dmarcBody("application/zip", name+".zip", buf.Bytes()))}
}
