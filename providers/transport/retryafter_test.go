package transport_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lagrieta/itlag/providers/transport"
)

// TestRetryAfterCapped: a Retry-After above the cap fails the call at once
// with an error saying when to retry, instead of sleeping for it; one
// within the cap is waited out as before.
func TestRetryAfterCapped(t *testing.T) {
	future := time.Now().Add(48 * time.Hour).UTC().Format(http.TimeFormat)
	tests := []struct {
		name    string
		opts    transport.Options
		steps   []step
		wantErr string
		wantN   int
	}{
		{"a day, default cap", slow, []step{status(429, "Retry-After", "86400")}, "retry after 24h0m0s", 1},
		{"503 a day", slow, []step{status(503, "Retry-After", "86400")}, "more than the 5m0s itlag waits", 1},
		{"an http date two days away", slow, []step{status(429, "Retry-After", future)}, "try again after", 1},
		{"above a configured cap", transport.Options{WaitMin: time.Hour, WaitMax: time.Hour, MaxRetryAfter: time.Second},
			[]step{status(429, "Retry-After", "2")}, "more than the 1s itlag waits", 1},
		{"within the cap", slow, []step{status(429, "Retry-After", "0")}, "", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, n, _ := server(t, tt.steps...)
			// generous: a capped call returns at once, an uncapped one sleeps a day
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/x", nil)
			resp, err := transport.New(tt.opts).Do(req)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Do: %v", err)
				}
				resp.Body.Close()
			} else {
				if err == nil {
					resp.Body.Close()
					t.Fatalf("Do: status %d, want an error %q", resp.StatusCode, tt.wantErr)
				}
				if errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Do: %v, want %q", err, tt.wantErr)
				}
				var ra *transport.RetryAfterError
				if !errors.As(err, &ra) {
					t.Errorf("error %T is not a *RetryAfterError", err)
				}
			}
			if got := int(n.Load()); got != tt.wantN {
				t.Errorf("attempts = %d, want %d", got, tt.wantN)
			}
		})
	}
}
