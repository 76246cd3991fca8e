package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/textproto"
	"path/filepath"
	"strings"
	"time"

	"github.com/lagrieta/itlag/ops/alert"
	"github.com/lagrieta/itlag/publish/periodic"
	"github.com/lagrieta/itlag/store/safefile"
)

// MailReport sends a report to the alert route's e-mail (CEO_LAG's, say):
// an HTML part with the charts inline and the Markdown as the text part.
// Under --sandbox it lands in DIR/outbox/ instead. It returns where it
// went ("it@lagrieta.es" or the outbox file).
func (rt *Runtime) MailReport(ctx context.Context, res *ReportResult, route string) (string, error) {
	in := res.Input
	sr, ok := rt.State.Alerts.Routes[route]
	if !ok || sr.Email == nil {
		return "", fmt.Errorf("report --mail %s: no alert route %q with an email in the state", route, route)
	}
	n, err := rt.Notifier()
	if err != nil {
		return "", err
	}
	var em *alert.Email
	for _, r := range n.Routes {
		if r.Name == route {
			em = r.Email
		}
	}
	r := res.Report
	msg, err := reportMessage(em, r, in, time.Now())
	if err != nil {
		return "", fmt.Errorf("report --mail %s: %w", route, err)
	}
	if rt.Sandboxed() {
		rel := filepath.Join(OutboxDir, "report-"+r.Period.Kind+"-"+r.Period.Name+"-"+route+".eml")
		if err := safefile.WriteFile(rt.Opts.Sandbox, rel, msg, 0o600); err != nil {
			return "", fmt.Errorf("report --mail %s: %w", route, err)
		}
		return filepath.Join(rt.Opts.Sandbox, rel), nil
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := alert.SendRaw(ctx, n.SMTPDial, n.TLSConfig, em, msg); err != nil {
		return "", fmt.Errorf("report --mail %s: %w", route, rt.scrubErr(err))
	}
	return strings.Join(em.To, ", "), nil
}

// reportMessage is the report as a MIME message: multipart/alternative,
// the Markdown as text/plain and the HTML (charts inline), both
// quoted-printable.
func reportMessage(e *alert.Email, r periodic.Report, in periodic.Input, at time.Time) ([]byte, error) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, part := range []struct {
		ctype string
		data  []byte
	}{
		{"text/plain; charset=utf-8", periodic.Markdown(r, nil)},
		{"text/html; charset=utf-8", periodic.HTML(r, periodic.Charts(r, in))},
	} {
		w, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {part.ctype}, "Content-Transfer-Encoding": {"quoted-printable"}})
		if err != nil {
			return nil, err
		}
		qp := quotedprintable.NewWriter(w)
		if _, err := qp.Write(part.data); err != nil {
			return nil, err
		}
		if err := qp.Close(); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	var id [8]byte
	_, _ = rand.Read(id[:])
	var b bytes.Buffer
	h := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	h("From", e.From)
	h("To", strings.Join(e.To, ", "))
	h("Subject", mime.QEncoding.Encode("utf-8", fmt.Sprintf("IT report %s (%s)", r.Period.Name, r.Period.Kind)))
	h("Date", at.UTC().Format(time.RFC1123Z))
	h("Message-ID", "<report-"+hex.EncodeToString(id[:])+"@itlag>")
	h("MIME-Version", "1.0")
	h("Content-Type", "multipart/alternative; boundary="+mw.Boundary())
	b.WriteString("\r\n")
	b.Write(bytes.ReplaceAll(bytes.ReplaceAll(body.Bytes(), []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r\n")))
	return b.Bytes(), nil
}
