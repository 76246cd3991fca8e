package transport

import (
	"context"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
)

// Options tunes the client. Zero values take the defaults.
type Options struct {
	// RetryMax is how many times a request is retried after the first
	// attempt (default 6). A negative value disables retries.
	RetryMax int
	// WaitMin and WaitMax bound the exponential backoff (default 500ms and
	// 30s). A Retry-After header overrides them.
	WaitMin, WaitMax time.Duration
	// Timeout bounds each attempt (default 30s); the request's context
	// bounds the whole exchange.
	Timeout time.Duration
	// UserAgent, when set, replaces the User-Agent of every request.
	UserAgent string
	// MaxRetryAfter is the longest Retry-After waited out (default 5
	// minutes); a longer one fails the request with a *RetryAfterError.
	MaxRetryAfter time.Duration
	// Dial, when set, opens every connection (the sandbox's
	// LoopbackOnly); nil is a net.Dialer.
	Dial DialFunc
}

// The defaults.
const (
	DefaultRetryMax = 6
	DefaultWaitMin  = 500 * time.Millisecond
	DefaultWaitMax  = 30 * time.Second
	DefaultTimeout  = 30 * time.Second
	// DefaultMaxRetryAfter is the longest Retry-After waited out.
	DefaultMaxRetryAfter = 5 * time.Minute
)

func (o Options) withDefaults() Options {
	switch {
	case o.RetryMax == 0:
		o.RetryMax = DefaultRetryMax
	case o.RetryMax < 0:
		o.RetryMax = 0
	}
	if o.WaitMin <= 0 {
		o.WaitMin = DefaultWaitMin
	}
	if o.WaitMax <= 0 {
		o.WaitMax = DefaultWaitMax
	}
	if o.WaitMax < o.WaitMin {
		o.WaitMax = o.WaitMin
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxRetryAfter <= 0 {
		o.MaxRetryAfter = DefaultMaxRetryAfter
	}
	return o
}

// New returns an *http.Client that retries as described in the package
// documentation. The client has no overall timeout: use the request context.
func New(o Options) *http.Client {
	o = o.withDefaults()
	inner := cleanhttp.DefaultPooledClient()
	inner.Timeout = o.Timeout
	if tr, ok := inner.Transport.(*http.Transport); ok && o.Dial != nil {
		tr.DialContext = o.Dial
	}
	if o.UserAgent != "" {
		inner.Transport = userAgent{ua: o.UserAgent, next: inner.Transport}
	}
	rc := &retryablehttp.Client{
		HTTPClient:   inner,
		Logger:       nil,
		RetryWaitMin: o.WaitMin,
		RetryWaitMax: o.WaitMax,
		RetryMax:     o.RetryMax,
		CheckRetry:   capRetryAfter(o.MaxRetryAfter, time.Now),
		Backoff:      backoff(time.Now),
		ErrorHandler: lastResponse,
	}
	return rc.StandardClient()
}

// CheckRetry is the retry policy: retry connection errors, 429 and 5xx
// except 501; never any other status; never once ctx is done.
func CheckRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if cerr := ctx.Err(); cerr != nil {
		return false, cerr
	}
	if err != nil {
		// DefaultRetryPolicy refuses what cannot succeed on a retry: bad
		// scheme, bad header, too many redirects, untrusted certificate.
		return retryablehttp.DefaultRetryPolicy(ctx, resp, err)
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return true, nil
	case resp.StatusCode == http.StatusNotImplemented:
		return false, nil
	case resp.StatusCode == 0 || resp.StatusCode >= 500:
		return true, nil
	}
	return false, nil
}

// lastResponse hands the final response to the caller when retries run out
// on a status, so that the API's own error body can be read; a transport
// error is returned as it is.
func lastResponse(resp *http.Response, err error, _ int) (*http.Response, error) {
	var ra *RetryAfterError
	if resp != nil && !errors.As(err, &ra) && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		return resp, nil
	}
	if resp != nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		resp.Body.Close()
	}
	return nil, err
}

type userAgent struct {
	ua   string
	next http.RoundTripper
}

func (u userAgent) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("User-Agent", u.ua)
	return u.next.RoundTrip(r)
}
