package cloudflare_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/cloudflare"
	"github.com/lagrieta/itlag/providers/cloudflare/cloudflaretest"
	"github.com/lagrieta/itlag/providers/transport"
)

// fastTransport retries quickly so that tests with faults stay fast.
func fastTransport() transport.Options {
	return transport.Options{RetryMax: 20, WaitMin: time.Millisecond, WaitMax: 5 * time.Millisecond, Timeout: 10 * time.Second}
}

type env struct {
	fake *cloudflaretest.Server
	p    *cloudflare.Provider
}

func setup(t testing.TB, fo cloudflaretest.Options, c cloudflare.Config) env {
	t.Helper()
	fake := cloudflaretest.NewServer(fo)
	t.Cleanup(fake.Close)
	if c.APIURL == "" {
		c.APIURL = fake.URL()
	}
	if c.Token == "" {
		c.Token = fake.Token()
	}
	if c.HTTPClient == nil {
		c.HTTPClient = transport.New(fastTransport())
	}
	p, err := cloudflare.New(c)
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

func mustNormalize(t testing.TB, r providers.Record) providers.Record {
	t.Helper()
	n, err := providers.Normalize(r)
	if err != nil {
		t.Fatalf("normalize %+v: %v", r, err)
	}
	return n
}

func creates(zone string, rs []providers.Record) []providers.Change {
	var cs []providers.Change
	for i := range rs {
		r := rs[i]
		cs = append(cs, providers.Change{Action: providers.Create, Provider: "cloudflare", Zone: zone,
			Address: fmt.Sprintf("cloudflare:%s/%s/%s", zone, r.Name, r.Type), After: &r})
	}
	return cs
}

func manyA(zone string, n int) []providers.Record {
	rs := make([]providers.Record, n)
	for i := range rs {
		rs[i] = providers.Record{Zone: zone, Name: fmt.Sprintf("h%04d", i), Type: "A",
			Content: fmt.Sprintf("10.%d.%d.%d", i/65536%256, i/256%256, i%256), TTL: 1}
	}
	return rs
}
