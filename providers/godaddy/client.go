package godaddy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/lagrieta/itlag/providers"
)

// APIError is an error answer from the API: the HTTP status and GoDaddy's
// body {"code","message","fields"}.
type APIError struct {
	Status  int
	Code    string
	Message string
	Fields  []Field
}

// Field is one entry of an error's "fields": what is wrong where.
type Field struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// Path locates the cause in the request ("records[0].ttl").
	Path string `json:"path"`
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d", e.Status)
	if e.Code != "" {
		b.WriteString(" " + e.Code)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	for i, f := range e.Fields {
		sep := "; "
		if i == 0 {
			sep = " ("
		}
		b.WriteString(sep + f.Path + ": " + strings.TrimSpace(f.Code+" "+f.Message))
		if i == len(e.Fields)-1 {
			b.WriteString(")")
		}
	}
	return b.String()
}

// authError is a 401: it names the credential references, never the
// values.
type authError struct {
	api               *APIError
	keyRef, secretRef string
}

func (e *authError) Error() string {
	code := e.api.Code
	if code == "" {
		code = "UNABLE_TO_AUTHENTICATE"
	}
	return fmt.Sprintf("%d %s: the API key and secret from %s / %s were refused",
		e.api.Status, code, orUnnamed(e.keyRef), orUnnamed(e.secretRef))
}

func (e *authError) Unwrap() error { return e.api }

// deniedError is a 403 ACCESS_DENIED: the account may not use the API.
type deniedError struct{ api *APIError }

func (e *deniedError) Error() string {
	return fmt.Sprintf("%d %s: GoDaddy limits its Domains and DNS API to accounts with 10 or more domains (or a Discount Domain Club plan)",
		e.api.Status, e.api.Code)
}

func (e *deniedError) Unwrap() []error { return []error{e.api, providers.ErrAccessDenied} }

// rateLimitError is a 429 that outlasted every retry.
type rateLimitError struct {
	api    *APIError
	rounds int
	wait   time.Duration
}

func (e *rateLimitError) Error() string {
	return fmt.Sprintf("%v: still rate limited after %d rounds of retries, %s apart (GoDaddy allows 60 requests per minute per endpoint); try again later",
		e.api, e.rounds, e.wait)
}

func (e *rateLimitError) Unwrap() error { return e.api }

// statusOf returns the HTTP status of an API error in err's chain, or 0.
func statusOf(err error) int {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Status
	}
	return 0
}

// zoneMissing marks a 404 as providers.ErrZoneNotFound; other errors are
// returned as they are.
func zoneMissing(err error) error {
	if statusOf(err) == http.StatusNotFound {
		return fmt.Errorf("%w (%w)", providers.ErrZoneNotFound, err)
	}
	return err
}

// call sends one request (body marshalled to JSON when not nil) and
// decodes a 2xx answer into out (when not nil and the answer has a body).
// It waits for the client-side limiter first. A 429 that outlasted the
// transport's retries is sent again up to quotaRounds times, QuotaWait
// apart. Errors are *APIError or wrap one, except transport and context
// errors.
func (p *Provider) call(ctx context.Context, method, path string, q url.Values, body, out any) error {
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return fmt.Errorf("encode request: %w", err)
		}
	}
	u := p.base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	for round := 0; ; round++ {
		if p.limiter != nil {
			if err := p.limiter.Wait(ctx); err != nil {
				return fmt.Errorf("client-side rate limit: %w", err)
			}
		}
		status, data, err := p.send(ctx, method, u, payload)
		if err != nil {
			return err
		}
		if status >= 200 && status < 300 {
			if out != nil && len(bytes.TrimSpace(data)) > 0 {
				if err := json.Unmarshal(data, out); err != nil {
					return fmt.Errorf("decode answer: %w", err)
				}
			}
			return nil
		}
		ae := parseError(status, data)
		switch {
		case status == http.StatusUnauthorized:
			return &authError{api: ae, keyRef: p.keyRef, secretRef: p.secretRef}
		case status == http.StatusForbidden && (ae.Code == "ACCESS_DENIED" || ae.Code == ""):
			return &deniedError{api: ae}
		case status == http.StatusTooManyRequests && round < quotaRounds:
			if err := sleep(ctx, p.quotaWait); err != nil {
				return errors.Join(ae, err)
			}
			continue
		case status == http.StatusTooManyRequests:
			return &rateLimitError{api: ae, rounds: round + 1, wait: p.quotaWait}
		}
		return ae
	}
}

// send makes one exchange through the shared client (which retries 429,
// 5xx and connection errors on its own) and reads the answer.
func (p *Provider) send(ctx context.Context, method, u string, payload []byte) (int, []byte, error) {
	var rd io.Reader
	if payload != nil {
		rd = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", p.auth)
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := p.hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return 0, nil, fmt.Errorf("read answer: %w", err)
	}
	return resp.StatusCode, data, nil
}

// parseError reads GoDaddy's error body; a body that is not one becomes
// the message (shortened).
func parseError(status int, data []byte) *APIError {
	var body struct {
		Code    string  `json:"code"`
		Message string  `json:"message"`
		Fields  []Field `json:"fields"`
	}
	ae := &APIError{Status: status}
	if json.Unmarshal(data, &body) == nil && (body.Code != "" || body.Message != "") {
		ae.Code, ae.Message, ae.Fields = body.Code, body.Message, body.Fields
		return ae
	}
	msg := strings.Join(strings.Fields(string(data)), " ")
	if len(msg) > 200 {
		msg = msg[:200] + "…"
	}
	if msg == "" {
		msg = http.StatusText(status)
	}
	ae.Message = msg
	return ae
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// esc escapes one path segment.
func esc(s string) string { return url.PathEscape(s) }
