package transport

import (
	"net/http"
	"testing"
	"time"
)

// TestBackoffReadsRetryAfterAsTheCapDoes: the wait comes from the same
// parser as the cap, so every HTTP date form (RFC 850, asctime) and
// padded seconds are waited for, not only RFC 1123 dates.
func TestBackoffReadsRetryAfterAsTheCapDoes(t *testing.T) {
	now := time.Date(2026, 12, 7, 8, 49, 30, 0, time.UTC)
	b := backoff(func() time.Time { return now })
	tests := []struct {
		name, header string
		status       int
		want         time.Duration
	}{
		{"seconds", "7", http.StatusTooManyRequests, 7 * time.Second},
		{"padded seconds", " 7 ", http.StatusServiceUnavailable, 7 * time.Second},
		{"RFC 1123", "Mon, 07 Dec 2026 08:49:37 GMT", http.StatusTooManyRequests, 7 * time.Second},
		{"RFC 850", "Monday, 07-Dec-26 08:49:37 GMT", http.StatusTooManyRequests, 7 * time.Second},
		{"asctime", "Mon Dec  7 08:49:37 2026", http.StatusTooManyRequests, 7 * time.Second},
		{"no header: exponential", "", http.StatusTooManyRequests, time.Second},
		{"500 ignores it", "7", http.StatusInternalServerError, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := &http.Response{StatusCode: tt.status, Header: http.Header{}}
			if tt.header != "" {
				resp.Header.Set("Retry-After", tt.header)
			}
			if got := b(time.Second, time.Minute, 0, resp); got != tt.want {
				t.Errorf("backoff = %s, want %s", got, tt.want)
			}
		})
	}
}
