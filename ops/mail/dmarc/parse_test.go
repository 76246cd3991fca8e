package dmarc

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"errors"
	"strings"
	"testing"
	"time"
)

const rfcReport = `<?xml version="1.0" encoding="UTF-8" ?>
<feedback>
  <report_metadata>
    <org_name> &lt;acme.example&gt; </org_name>
    <email>dmarc@acme.example</email>
    <report_id>&lt;9391651994964116463@acme.example&gt;</report_id>
    <date_range><begin>1335571200</begin><end>1335657599</end></date_range>
  </report_metadata>
  <policy_published><domain>Example.COM</domain><p>none</p></policy_published>
  <record>
    <row><source_ip>72.150.241.94</source_ip><count>2</count>
      <policy_evaluated><disposition>none</disposition><dkim>fail</dkim><spf>pass</spf></policy_evaluated></row>
    <identifiers><header_from>example.com</header_from></identifiers>
    <auth_results>
      <dkim><domain>example.com</domain><result>fail</result></dkim>
      <dkim><domain>esp.example</domain><result>pass</result></dkim>
      <spf><domain>example.com</domain><result>pass</result></spf>
    </auth_results>
  </record>
  <record>
    <row><source_ip>192.0.2.1</source_ip><count>1</count><policy_evaluated><disposition>reject</disposition><dkim>fail</dkim><spf>fail</spf></policy_evaluated></row>
  </record>
</feedback>`

const bisReport = `<?xml version="1.0"?>
<feedback xmlns="urn:ietf:params:xml:ns:dmarc-2.0">
  <report_metadata><org_name>bis.example</org_name><report_id>r1</report_id>
    <date_range><begin>1700000000</begin><end>1700086399</end></date_range></report_metadata>
  <policy_published><domain>lagrieta.es</domain><p>reject</p></policy_published>
  <record><row><source_ip>2001:db8::1</source_ip><count>7</count>
    <policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>fail</spf></policy_evaluated></row>
    <identifiers><header_from>lagrieta.es</header_from></identifiers>
    <auth_results><spf><domain>lagrieta.es</domain><result>softfail</result></spf></auth_results></record>
</feedback>`

const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<feedback><report_metadata><org_name>&lol3;</org_name></report_metadata></feedback>`

const xxe = `<?xml version="1.0"?>
<!DOCTYPE feedback [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<feedback><report_metadata><org_name>&xxe;</org_name></report_metadata></feedback>`

func gz(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func zipOf(t *testing.T, files ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for i := 0; i+1 < len(files); i += 2 {
		f, err := w.Create(files[i])
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte(files[i+1]))
	}
	w.Close()
	return buf.Bytes()
}

func TestParse(t *testing.T) {
	big := "<feedback>" + strings.Repeat(" ", 1<<20) + "</feedback>" // 1 MiB, compresses to ~1 KiB
	tests := []struct {
		name     string
		data     []byte
		maxBytes int64
		wantErr  string
		check    func(t *testing.T, r *Report)
	}{
		{name: "plain", data: []byte(rfcReport), check: func(t *testing.T, r *Report) {
			if r.Org != "acme.example" || r.ReportID != "9391651994964116463@acme.example" || r.Domain != "example.com" || r.Policy != "none" {
				t.Errorf("metadata: %+v", r)
			}
			if !r.Begin.Equal(time.Unix(1335571200, 0)) || !r.End.Equal(time.Unix(1335657599, 0)) {
				t.Errorf("range %v %v", r.Begin, r.End)
			}
			if len(r.Rows) != 2 || r.Rows[0].Count != 2 || len(r.Rows[0].AuthDKIM) != 2 || r.Rows[0].AuthDKIM[1] != (AuthResult{"esp.example", "pass"}) || len(r.Rows[0].AuthSPF) != 1 {
				t.Errorf("rows: %+v", r.Rows)
			}
			if !r.Rows[0].Pass() || r.Rows[1].Pass() || r.Rows[1].HeaderFrom != "" || r.Rows[1].Disposition != "reject" {
				t.Errorf("rows: %+v", r.Rows)
			}
		}},
		{name: "gzip", data: gz(t, []byte(rfcReport)), check: func(t *testing.T, r *Report) {
			if r.Domain != "example.com" || len(r.Rows) != 2 {
				t.Errorf("%+v", r)
			}
		}},
		{name: "zip first xml entry", data: zipOf(t, "README.txt", "not xml", "a.xml", bisReport, "b.xml", rfcReport), check: func(t *testing.T, r *Report) {
			if r.Org != "bis.example" {
				t.Errorf("read %q, want the first .xml entry", r.Org)
			}
		}},
		{name: "dmarcbis namespace", data: []byte(bisReport), check: func(t *testing.T, r *Report) {
			if r.Domain != "lagrieta.es" || r.Policy != "reject" || len(r.Rows) != 1 || r.Rows[0].Count != 7 || r.Rows[0].AuthSPF[0].Result != "softfail" {
				t.Errorf("%+v", r)
			}
		}},
		{name: "missing fields", data: []byte("\ufeff  <feedback><record><row><count>x</count></row></record></feedback>"), check: func(t *testing.T, r *Report) {
			if r.Org != "" || !r.Begin.IsZero() || len(r.Rows) != 1 || r.Rows[0].Count != 0 {
				t.Errorf("%+v", r)
			}
		}},
		{name: "billion laughs", data: []byte(billionLaughs), wantErr: "xml"},
		{name: "xxe", data: []byte(xxe), wantErr: "xml"},
		{name: "gzip over the cap", data: gz(t, []byte(big)), maxBytes: 64 << 10, wantErr: "larger than the limit"},
		{name: "zip over the cap", data: zipOf(t, "r.xml", big), maxBytes: 64 << 10, wantErr: "larger than the limit"},
		{name: "plain over the cap", data: []byte(big), maxBytes: 64 << 10, wantErr: "larger than the limit"},
		{name: "zip without xml", data: zipOf(t, "r.txt", rfcReport), wantErr: "no .xml entry"},
		{name: "truncated gzip", data: gz(t, []byte(rfcReport))[:40], wantErr: "gzip"},
		{name: "not a report", data: []byte("hello"), wantErr: "neither zip"},
		{name: "broken xml", data: []byte("<feedback><report_metadata>"), wantErr: "xml"},
		{name: "other root", data: []byte("<html></html>"), wantErr: "xml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse(tt.data, tt.maxBytes)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				if strings.Contains(tt.wantErr, "limit") && !errors.Is(err, ErrTooLarge) {
					t.Errorf("err = %v, not ErrTooLarge", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, r)
		})
	}
}
