package godaddy_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/godaddy"
	"github.com/lagrieta/itlag/providers/godaddy/godaddytest"
	"github.com/lagrieta/itlag/providers/transport"
)

// fastTransport retries quickly so that tests with faults stay fast.
func fastTransport() transport.Options {
	return transport.Options{RetryMax: 5, WaitMin: time.Millisecond, WaitMax: 2 * time.Millisecond, Timeout: 10 * time.Second}
}

type env struct {
	fake *godaddytest.Server
	p    *godaddy.Provider
}

// setup starts a fake and a provider for it: no client-side limit, fast
// retries and a 1 ms quota wait unless c says otherwise.
func setup(t testing.TB, fo godaddytest.Options, c godaddy.Config) env {
	t.Helper()
	fake := godaddytest.NewServer(fo)
	t.Cleanup(fake.Close)
	if c.APIURL == "" {
		c.APIURL = fake.URL()
	}
	if c.Key == "" {
		c.Key, c.Secret = fake.Key(), fake.Secret()
	}
	if c.HTTPClient == nil {
		c.HTTPClient = transport.New(fastTransport())
	}
	if c.RequestsPerMinute == 0 {
		c.RequestsPerMinute = -1
	}
	if c.QuotaWait == 0 {
		c.QuotaWait = time.Millisecond
	}
	p, err := godaddy.New(c)
	if err != nil {
		t.Fatal(err)
	}
	return env{fake: fake, p: p}
}

func ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return c
}

func rec(t testing.TB, zone, name, typ, content string, ttl, prio int) providers.Record {
	t.Helper()
	n, err := providers.Normalize(providers.Record{Zone: zone, Name: name, Type: typ, Content: content, TTL: ttl, Priority: prio})
	if err != nil {
		t.Fatalf("normalize %s %s %q: %v", name, typ, content, err)
	}
	return n
}

func change(a providers.Action, before, after *providers.Record) providers.Change {
	r := after
	if r == nil {
		r = before
	}
	return providers.Change{Action: a, Provider: "godaddy", Zone: r.Zone, Before: before, After: after,
		Address: fmt.Sprintf("godaddy:%s/%s/%s/%s", r.Zone, r.Name, r.Type, r.Content)}
}

func creates(rs []providers.Record) []providers.Change {
	cs := make([]providers.Change, len(rs))
	for i := range rs {
		cs[i] = change(providers.Create, nil, &rs[i])
	}
	return cs
}

// manyA returns n A records h0000… with TTL 3600.
func manyA(zone string, n int) []providers.Record {
	rs := make([]providers.Record, n)
	for i := range rs {
		rs[i] = providers.Record{Zone: zone, Name: fmt.Sprintf("h%04d", i), Type: "A",
			Content: fmt.Sprintf("10.%d.%d.%d", i/65536%256, i/256%256, i%256), TTL: 3600}
	}
	return rs
}
