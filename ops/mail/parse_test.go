package mail_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/ops/mail"
)

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

func TestParseDecoding(t *testing.T) {
	tests := []struct {
		sample, subject, text string
		from                  string
	}{
		{"godaddy-renewal-es", "Aviso de renovación: lagrieta.es", "La renovación automática está desactivada", "avisos@e.godaddy.com"},
		{"godaddy-renewal-es", "", "Para no perderlo, renuévalo antes de esa fecha.", ""},
		{"godaddy-renewal-failed", "We couldn’t renew lagrieta.es", "Update your payment method – it’s quick – and renew:", "renewals@godaddy.com"},
		{"newsletter", "Novedades de la semana: facturación electrónica", "la factura electrónica obligatoria", "noticias@boletin.example.org"},
		{"noip-confirm-html", "", "stay active & resolving.", "no-reply@noip.com"},
		{"cron-restic-failed", "Cron <root@nas> itlag backup run documents (failed)", "Fatal: unable to open repository", "root"},
	}
	for _, tt := range tests {
		t.Run(tt.sample, func(t *testing.T) {
			m := parseSample(t, tt.sample)
			if tt.subject != "" && m.Subject != tt.subject {
				t.Errorf("subject %q, want %q", m.Subject, tt.subject)
			}
			if !strings.Contains(m.Text, tt.text) {
				t.Errorf("text %q does not hold %q", m.Text, tt.text)
			}
			if tt.from != "" && m.From.Address != tt.from {
				t.Errorf("from %q, want %q", m.From.Address, tt.from)
			}
			if strings.Contains(m.Text, "\r") {
				t.Error("text keeps CR")
			}
		})
	}
}

func TestParseHTMLOnly(t *testing.T) {
	m := parseSample(t, "noip-confirm-html")
	want := []string{"https://www.noip.com/confirm-host?n=6aeefda8&h=lagrieta.ddns.net", "https://www.noip.com/remote-access?utm_source=expiry"}
	if !slices.Equal(m.Links, want) {
		t.Errorf("links %q, want %q", m.Links, want)
	}
	for _, bad := range []string{"<", "tracking", "font-family", "&amp;", "&nbsp;"} {
		if strings.Contains(m.Text, bad) {
			t.Errorf("text holds %q:\n%s", bad, m.Text)
		}
	}
	if !strings.Contains(m.Text, "Upgrade to Enhanced Dynamic DNS.") || !strings.Contains(m.Text, "Your free hostname lagrieta.ddns.net expires on November 14, 2026.") {
		t.Errorf("text:\n%s", m.Text)
	}
	if m.MessageID != "noip-confirm.20261107103000@noip.com" {
		t.Errorf("message-id %q", m.MessageID)
	}
}

func TestParseMalformed(t *testing.T) {
	m := parseSample(t, "malformed-mime")
	if len(m.Problems) == 0 {
		t.Fatal("no problems said")
	}
	if !strings.Contains(m.Text, "Te reenvío las fotos de la reunión.") {
		t.Errorf("the readable part is lost: %q", m.Text)
	}
	if len(m.Attachments) != 1 || m.Attachments[0].Name != "foto.jpg" {
		t.Errorf("attachments %+v", m.Attachments)
	}
}

func TestParseEdgeCases(t *testing.T) {
	deep := "Content-Type: multipart/mixed; boundary=b0\r\n\r\n"
	for i := 1; i < 20; i++ {
		deep += "--b" + string(rune('0'+i-1)) + "\r\nContent-Type: multipart/mixed; boundary=b" + string(rune('0'+i)) + "\r\n\r\n"
	}
	many := "Content-Type: multipart/mixed; boundary=x\r\n\r\n" + strings.Repeat("--x\r\nContent-Type: text/plain\r\n\r\nhi\r\n", 30) + "--x--\r\n"
	tests := []struct {
		name    string
		raw     string
		lim     mail.Limits
		wantErr bool
		problem string
		check   func(t *testing.T, m *mail.Message)
	}{
		{name: "no header end", raw: "From: a@b.c\r\nSubject: x", check: func(t *testing.T, m *mail.Message) {}},
		{name: "bad header line", raw: "this is not a header\r\n\r\nbody", wantErr: true},
		{name: "empty", raw: "", check: func(t *testing.T, m *mail.Message) {}},
		{name: "unknown charset", raw: "Subject: x\r\nContent-Type: text/plain; charset=x-klingon\r\n\r\nqapla", problem: "klingon", check: func(t *testing.T, m *mail.Message) {
			if m.Text != "qapla" {
				t.Errorf("text %q", m.Text)
			}
		}},
		{name: "bad date and from", raw: "From: <<>>\r\nDate: yesterday\r\n\r\nx", problem: "date", check: func(t *testing.T, m *mail.Message) {
			if !m.Date.IsZero() {
				t.Error("date set")
			}
		}},
		{name: "too deep", raw: deep, problem: "nested deeper"},
		{name: "too many parts", raw: many, lim: mail.Limits{MaxParts: 10}, problem: "more than 10 parts", check: func(t *testing.T, m *mail.Message) {
			if c := strings.Count(m.Text, "hi"); c != 9 {
				t.Errorf("%d parts read, want 9", c)
			}
		}},
		{name: "attachment capped", raw: "Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"a.pdf\"\r\n\r\n" + strings.Repeat("A", 5000) + "\r\n--x--\r\n",
			lim: mail.Limits{MaxAttachmentBytes: 1000}, problem: "truncated", check: func(t *testing.T, m *mail.Message) {
				if len(m.Attachments) != 1 || len(m.Attachments[0].Data) != 1000 || !m.Attachments[0].Truncated {
					t.Errorf("%+v", m.Attachments)
				}
			}},
		{name: "text capped", raw: "Subject: x\r\n\r\n" + strings.Repeat("word ", 1000), lim: mail.Limits{MaxTextBytes: 100}, problem: "truncated", check: func(t *testing.T, m *mail.Message) {
			if len(m.Text) > 100 {
				t.Errorf("text %d bytes", len(m.Text))
			}
		}},
		{name: "bare links", raw: "Subject: x\r\n\r\nSee https://a.example/x?y=1. And (http://b.example/z), again https://a.example/x?y=1; ftp://c.example", check: func(t *testing.T, m *mail.Message) {
			if want := []string{"https://a.example/x?y=1", "http://b.example/z"}; !slices.Equal(m.Links, want) {
				t.Errorf("links %q, want %q", m.Links, want)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := mail.Parse([]byte(tt.raw), tt.lim)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("no error; got %+v", m)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.problem != "" && !slices.ContainsFunc(m.Problems, func(p string) bool { return strings.Contains(p, tt.problem) }) {
				t.Errorf("problems %q lack %q", m.Problems, tt.problem)
			}
			if tt.check != nil {
				tt.check(t, m)
			}
		})
	}
}

func TestParseAuthResults(t *testing.T) {
	tests := []struct {
		in   string
		want []mail.AuthResult
	}{
		{`mx.lagrieta.es; dkim=pass (2048-bit key) header.d=NoIP.com header.s=s1; spf=pass smtp.mailfrom=bounce@noip.com; dmarc=pass (p=REJECT) header.from=noip.com`,
			[]mail.AuthResult{{"mx.lagrieta.es", "dkim", "pass", "noip.com"}, {"mx.lagrieta.es", "spf", "pass", "noip.com"}, {"mx.lagrieta.es", "dmarc", "pass", "noip.com"}}},
		{`MX.Example 1; dkim/1=fail reason="bad; signature" header.i=@e.godaddy.com`,
			[]mail.AuthResult{{"mx.example", "dkim", "fail", "e.godaddy.com"}}},
		{`mx.example; none`, nil},
		{`(comment only)`, nil},
		{``, nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := mail.ParseAuthResults(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}
