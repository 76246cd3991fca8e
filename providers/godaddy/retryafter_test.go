package godaddy_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/godaddy"
	"github.com/lagrieta/itlag/providers/godaddy/godaddytest"
	"github.com/lagrieta/itlag/providers/transport"
)

// TestRetryAfterAboveCapFails: a quota whose Retry-After (a minute here)
// is above the client's cap fails the observation at once, saying when to
// retry, instead of sleeping through it.
func TestRetryAfterAboveCapFails(t *testing.T) {
	now := time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)
	opts := transport.Options{WaitMin: time.Hour, WaitMax: time.Hour, MaxRetryAfter: 10 * time.Second}
	e := setup(t, godaddytest.Options{QuotaPerMinute: 1, RetryAfter: true, Now: func() time.Time { return now }},
		godaddy.Config{HTTPClient: transport.New(opts), PageSize: 1})
	e.fake.AddDomain(providers.Domain{Name: zone})
	_, err := e.p.Observe(ctx(t), zone)
	var ra *transport.RetryAfterError
	if !errors.As(err, &ra) || !strings.Contains(err.Error(), "retry after 1m0s, more than the 10s itlag waits") {
		t.Fatalf("Observe: %v, want a Retry-After refusal", err)
	}
	if n := e.fake.Requests().RateLimited; n != 1 {
		t.Errorf("fake answered 429 %d times, want 1 (no retry, no quota rounds)", n)
	}
}
