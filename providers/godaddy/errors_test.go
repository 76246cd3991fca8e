package godaddy_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/godaddy"
	"github.com/lagrieta/itlag/providers/godaddy/godaddytest"
	"github.com/lagrieta/itlag/providers/providertest"
	"github.com/lagrieta/itlag/providers/transport"
)

const zone = "example.org"

// everyCall runs each provider operation once and returns its error.
func everyCall(t *testing.T, p *godaddy.Provider) map[string]error {
	t.Helper()
	c := ctx(t)
	r := rec(t, zone, "www", "A", "192.0.2.1", 3600, 0)
	on := true
	out := map[string]error{}
	_, out["Observe"] = p.Observe(c, zone)
	_, out["Domain"] = p.Domain(c, zone)
	_, out["Domains"] = p.Domains(c)
	out["SetDomain"] = p.SetDomain(c, zone, providers.DomainSettings{RenewAuto: &on})
	out["Apply create"] = p.Apply(c, zone, creates([]providers.Record{r}))[0]
	out["Apply delete"] = p.Apply(c, zone, []providers.Change{change(providers.Delete, &r, nil)})[0]
	return out
}

func TestUnauthorized(t *testing.T) {
	const key, secret = "KEYVALUE-1234", "SECRETVALUE-5678"
	want := "401 UNABLE_TO_AUTHENTICATE: the API key and secret from env:GODADDY_API_KEY / env:GODADDY_API_SECRET were refused"
	tests := []struct {
		name string
		fake godaddytest.Options
	}{
		{"wrong credentials", godaddytest.Options{}},
		{"account refused", godaddytest.Options{Key: key, Secret: secret, Mode: godaddytest.Unauthorized}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, tt.fake, godaddy.Config{Key: key, Secret: secret,
				KeyRef: "env:GODADDY_API_KEY", SecretRef: "env:GODADDY_API_SECRET"})
			e.fake.AddDomain(providers.Domain{Name: zone})
			for op, err := range everyCall(t, e.p) {
				if err == nil {
					t.Fatalf("%s: no error", op)
				}
				msg := err.Error()
				if !strings.Contains(msg, want) || !strings.HasPrefix(msg, "godaddy: ") {
					t.Errorf("%s: error %q, want it to contain %q", op, msg, want)
				}
				if strings.Contains(msg, key) || strings.Contains(msg, secret) {
					t.Errorf("%s: error shows a credential value: %q", op, msg)
				}
				var ae *godaddy.APIError
				if !errors.As(err, &ae) || ae.Status != 401 {
					t.Errorf("%s: no *APIError with status 401 in %v", op, err)
				}
			}
		})
	}
}

func TestAccessDenied(t *testing.T) {
	e := setup(t, godaddytest.Options{Mode: godaddytest.AccessDenied}, godaddy.Config{})
	e.fake.AddDomain(providers.Domain{Name: zone})
	for op, err := range everyCall(t, e.p) {
		if !errors.Is(err, providers.ErrAccessDenied) {
			t.Errorf("%s: error %v does not wrap providers.ErrAccessDenied", op, err)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, "403 ACCESS_DENIED: GoDaddy limits its Domains and DNS API to accounts with 10 or more domains (or a Discount Domain Club plan)") ||
			strings.Contains(msg, "\n") {
			t.Errorf("%s: error %q, want the one-line explanation", op, msg)
		}
	}
	// the same provider works once the account may use the API
	e.fake.SetMode(godaddytest.Normal)
	for op, err := range everyCall(t, e.p) {
		if err != nil {
			t.Errorf("%s after access was granted: %v", op, err)
		}
	}
}

func TestZoneNotFound(t *testing.T) {
	e := setup(t, godaddytest.Options{}, godaddy.Config{})
	on := true
	_, errObserve := e.p.Observe(ctx(t), "missing.example")
	_, errDomain := e.p.Domain(ctx(t), "missing.example")
	errSet := e.p.SetDomain(ctx(t), "missing.example", providers.DomainSettings{Locked: &on})
	r := rec(t, "missing.example", "www", "A", "192.0.2.1", 3600, 0)
	errUpdate := e.p.Apply(ctx(t), "missing.example", []providers.Change{change(providers.Update, &r, &r)})[0]
	for name, err := range map[string]error{"Observe": errObserve, "Domain": errDomain, "SetDomain": errSet, "Apply update": errUpdate} {
		if !errors.Is(err, providers.ErrZoneNotFound) || !strings.Contains(err.Error(), "missing.example") {
			t.Errorf("%s: %v, want an error naming the zone and wrapping ErrZoneNotFound", name, err)
		}
	}
}

// stepClock is a fake clock that moves on by step each time it is read
// (the fake reads it once per request that reaches the quota check).
type stepClock struct {
	mu   sync.Mutex
	now  time.Time
	step time.Duration
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(c.step)
	return c.now
}

// TestRateLimited: 429 without Retry-After (TOO_MANY_REQUESTS, or
// QUOTA_EXCEEDED by a per-minute quota) does not fail the operation: the
// transport retries, and when its retries run out the provider sends the
// request again after QuotaWait. Only when those run out too does it fail,
// saying so.
func TestRateLimited(t *testing.T) {
	noRetries := transport.Options{RetryMax: -1}
	slow := transport.Options{RetryMax: 3, WaitMin: time.Hour, WaitMax: time.Hour} // only Retry-After makes it fast
	tests := []struct {
		name    string
		fake    godaddytest.Options
		opts    transport.Options
		wantErr string // "" = must succeed
		minRL   int    // at least this many 429 answers
	}{
		{"too many requests, transport retries", godaddytest.Options{TooManyFirst: 4}, fastTransport(), "", 4},
		{"too many requests, quota wait rounds", godaddytest.Options{TooManyFirst: 3}, noRetries, "", 3},
		{"retry-after honoured", godaddytest.Options{TooManyFirst: 2, RetryAfter: true}, slow, "", 2},
		{"quota exceeded without retry-after", godaddytest.Options{QuotaPerMinute: 2, Now: (&stepClock{step: 7 * time.Second}).Now},
			transport.Options{RetryMax: 10, WaitMin: time.Millisecond, WaitMax: time.Millisecond}, "", 1},
		{"retries run out", godaddytest.Options{TooManyFirst: 1000}, transport.Options{RetryMax: 1, WaitMin: time.Millisecond, WaitMax: time.Millisecond},
			"429 TOO_MANY_REQUESTS: Too many requests received within interval: still rate limited after 4 rounds of retries", 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := godaddytest.NewServer(godaddytest.Options{})
			defer fake.Close()
			fake.AddDomain(providers.Domain{Name: zone})
			want := manyA(zone, 5)
			if err := fake.AddRecords(zone, want...); err != nil {
				t.Fatal(err)
			}
			state, _ := fake.MarshalState()
			fake.Close()
			fake = godaddytest.NewServer(tt.fake)
			defer fake.Close()
			if err := fake.UnmarshalState(state); err != nil {
				t.Fatal(err)
			}
			p, err := godaddy.New(godaddy.Config{APIURL: fake.URL(), Key: fake.Key(), Secret: fake.Secret(),
				HTTPClient: transport.New(tt.opts), RequestsPerMinute: -1, QuotaWait: time.Millisecond, PageSize: 2})
			if err != nil {
				t.Fatal(err)
			}
			c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			obs, err := p.Observe(c, zone)
			st := fake.Requests()
			if st.RateLimited < tt.minRL {
				t.Errorf("fake answered 429 %d times, want at least %d", st.RateLimited, tt.minRL)
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Observe: %v (requests %+v)", err, st)
			}
			for i := range want {
				want[i] = rec(t, zone, want[i].Name, "A", want[i].Content, 3600, 0)
			}
			if d := providertest.SameSet(obs.Records, want); d != "" {
				t.Fatalf("observed:%s", d)
			}
		})
	}
}

// TestClientSideLimiter: with 1 request a minute, the second request waits
// for the limiter; a context that ends sooner fails it without it reaching
// the server.
func TestClientSideLimiter(t *testing.T) {
	e := setup(t, godaddytest.Options{}, godaddy.Config{RequestsPerMinute: 1})
	e.fake.AddDomain(providers.Domain{Name: zone})
	if _, err := e.p.Observe(ctx(t), zone); err != nil {
		t.Fatal(err)
	}
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := e.p.Observe(c, zone)
	if err == nil || !strings.Contains(err.Error(), "client-side rate limit") {
		t.Fatalf("second Observe: %v, want the client-side limiter to refuse the wait", err)
	}
	if n := e.fake.Requests().Total(); n != 1 {
		t.Fatalf("server saw %d requests, want 1", n)
	}
}

func TestNewRefuses(t *testing.T) {
	tests := []struct {
		name string
		c    godaddy.Config
		want string
	}{
		{"no key", godaddy.Config{Secret: "s", KeyRef: "env:K", SecretRef: "env:S"}, "no API key or secret (from env:K / env:S)"},
		{"bad url", godaddy.Config{Key: "k", Secret: "s", APIURL: "api.godaddy.com"}, "want an absolute URL"},
		{"plain http", godaddy.Config{Key: "k", Secret: "s", APIURL: "http://api.godaddy.com"}, "only over TLS"},
		{"colon in key", godaddy.Config{Key: "k:x", Secret: "s", KeyRef: "env:K"}, "the API key from env:K contains a colon"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := godaddy.New(tt.c)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("New: %v, want %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "k:x") {
				t.Fatalf("error shows the key: %v", err)
			}
		})
	}
	p, err := godaddy.New(godaddy.Config{Key: "k", Secret: "s"})
	if err != nil || p.Name() != "godaddy" {
		t.Fatalf("New with defaults: %v, name %q", err, p.Name())
	}
}
