package cloudflare_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lagrieta/itlag/providers/cloudflare"
	"github.com/lagrieta/itlag/providers/cloudflare/cloudflaretest"
	"github.com/lagrieta/itlag/providers/transport"
)

// TestRetryAfterAboveCapFails: a 429 asking for a day's wait fails the plan's
// observation at once, saying when to retry (the default cap is 5 minutes).
func TestRetryAfterAboveCapFails(t *testing.T) {
	e := setup(t, cloudflaretest.Options{Faults: cloudflaretest.Faults{Rate: 1, Seed: 1, RetryAfter: 24 * time.Hour}},
		cloudflare.Config{HTTPClient: transport.New(transport.Options{WaitMin: time.Hour, WaitMax: time.Hour})})
	e.fake.AddZone("example.org")
	_, err := e.p.Observe(ctx(t), "example.org")
	var ra *transport.RetryAfterError
	if !errors.As(err, &ra) || !strings.Contains(err.Error(), "retry after 24h0m0s") {
		t.Fatalf("Observe: %v, want a Retry-After refusal", err)
	}
	t.Log(err)
}
