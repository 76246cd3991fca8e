package transport

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// RetryAfterError is a 429 or 503 whose Retry-After asks for a longer wait
// than the client's cap: the request fails instead of sleeping.
type RetryAfterError struct {
	Status int
	// Wait is what the server asked for; At is when that is over.
	Wait time.Duration
	At   time.Time
	// Cap is the longest wait the client takes on its own.
	Cap time.Duration
}

func (e *RetryAfterError) Error() string {
	return fmt.Sprintf("HTTP %d: the server asks to retry after %s, more than the %s itlag waits: try again after %s",
		e.Status, e.Wait.Round(time.Second), e.Cap, e.At.UTC().Format(time.RFC3339))
}

// capRetryAfter is CheckRetry, refusing (with a *RetryAfterError) a 429 or
// 503 whose Retry-After is longer than limit.
func capRetryAfter(limit time.Duration, now func() time.Time) func(context.Context, *http.Response, error) (bool, error) {
	return func(ctx context.Context, resp *http.Response, err error) (bool, error) {
		retry, cerr := CheckRetry(ctx, resp, err)
		if !retry || resp == nil {
			return retry, cerr
		}
		if resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusServiceUnavailable {
			return retry, cerr
		}
		t := now()
		if wait, ok := retryAfter(resp.Header.Get("Retry-After"), t); ok && wait > limit {
			return false, &RetryAfterError{Status: resp.StatusCode, Wait: wait, At: t.Add(wait), Cap: limit}
		}
		return retry, cerr
	}
}

// backoff waits what a 429's or 503's Retry-After asks, read as the cap
// reads it (seconds or any HTTP date form), else retryablehttp's
// exponential backoff: one parser decides both the cap and the wait.
func backoff(now func() time.Time) retryablehttp.Backoff {
	return func(lo, hi time.Duration, attempt int, resp *http.Response) time.Duration {
		if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
			if wait, ok := retryAfter(resp.Header.Get("Retry-After"), now()); ok {
				return wait
			}
		}
		return retryablehttp.DefaultBackoff(lo, hi, attempt, resp)
	}
}

// retryAfter parses a Retry-After header: seconds or an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil {
		if s < 0 {
			return 0, false
		}
		if s > int64(1<<62/time.Second) {
			s = int64(1 << 62 / time.Second)
		}
		return time.Duration(s) * time.Second, true
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(at.Sub(now), 0), true
	}
	return 0, false
}
