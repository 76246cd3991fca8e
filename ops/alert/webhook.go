package alert

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// defaultClient posts webhooks when the Notifier has no client: no
// redirects followed (a redirect could carry the headers elsewhere); the
// deadline is the send's context.
var defaultClient = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// postWebhook sends m to w. Errors name the webhook by scheme and host
// only: its path, query and headers may hold tokens.
func postWebhook(ctx context.Context, client *http.Client, w *Webhook, m Message) error {
	body, err := json.Marshal(m.Payload())
	if err != nil {
		return fmt.Errorf("webhook %s: encode: %w", w.name(), err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("webhook %s: bad request", w.name())
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "itlag-alert")
	for k, v := range w.Headers {
		req.Header.Set(k, v)
	}
	if client == nil {
		client = defaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error repeats the URL
		}
		if cause := context.Cause(ctx); cause != nil && ctx.Err() != nil {
			err = cause
		}
		return fmt.Errorf("webhook %s: post: %w", w.name(), err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("webhook %s: answered %s", w.name(), resp.Status)
	}
	return nil
}
