package app

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// ProbeHealth asks a running watch's /healthz at rawURL (http or https,
// no proxy: the probe asks the container's own watch) and returns its
// answer when it is 200; otherwise an error naming the URL and the status
// with watch's reason, or the transport error. The deadline is ctx's.
func ProbeHealth(ctx context.Context, rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("health: --url %q: want an http:// or https:// URL", rawURL)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "", fmt.Errorf("health: %s: %w", u, err)
	}
	client := &http.Client{Transport: &http.Transport{Proxy: nil}}
	resp, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("health: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if err != nil {
		return "", fmt.Errorf("health: %s: read the answer: %w", u, err)
	}
	msg := strings.TrimSpace(string(body))
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("health: %s: %s: %s", u, resp.Status, msg)
	}
	return msg, nil
}
