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
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error repeats the URL
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
