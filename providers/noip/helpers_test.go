package noip_test

import (
	"context"
	"fmt"
	"net/netip"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/noip"
	"github.com/lagrieta/itlag/providers/noip/noiptest"
	"github.com/lagrieta/itlag/providers/transport"
	"github.com/lagrieta/itlag/store"
)

const (
	agent    = "itlag/0.1.0-test ops@lagrieta.example"
	target   = "noip"
	publicIP = "203.0.113.7"
	oldIP    = "198.51.100.1"
	userRef  = "env:NOIP_USER"
	passRef  = "file:/run/secrets/noip-pass"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// clock is a settable clock for Config.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is a fake NoIP account, an IP source, a database file and a
// provider using them.
type env struct {
	fake   *noiptest.Server
	echo   *noiptest.Echo
	dbPath string
	db     *store.DB
	clock  *clock
	cfg    noip.Config
	p      *noip.Provider
}

// setup starts a fake account with the hosts given (host → address), one
// IP source answering publicIP, and a provider; edit may change the
// config before New.
func setup(t testing.TB, hosts map[string]string, edit func(*noip.Config)) *env {
	t.Helper()
	e := &env{
		fake:   noiptest.NewServer(noiptest.Options{Username: "owner@lagrieta.example", Password: "s3cr3t-Pa55"}),
		echo:   noiptest.NewEcho(publicIP),
		dbPath: filepath.Join(t.TempDir(), "itlag.db"),
		clock:  &clock{t: t0},
	}
	t.Cleanup(e.fake.Close)
	t.Cleanup(e.echo.Close)
	for h, a := range hosts {
		e.fake.AddHost(h, a)
	}
	e.cfg = noip.Config{
		APIURL:     e.fake.URL(),
		Username:   e.fake.Username(),
		Password:   e.fake.Password(),
		UserRef:    userRef,
		PassRef:    passRef,
		UserAgent:  agent,
		HTTPClient: transport.New(transport.Options{RetryMax: -1, Timeout: 10 * time.Second}),
		IPSources:  []string{e.echo.URL()},
		EchoClient: transport.New(transport.Options{RetryMax: -1, Timeout: 10 * time.Second}),
		Resolver:   e.fake.Resolver(),
		Now:        e.clock.Now,
	}
	if edit != nil {
		edit(&e.cfg)
	}
	e.restart(t)
	return e
}

// restart opens the database file anew and makes a new provider on it, as
// the next run of itlag would.
func (e *env) restart(t testing.TB) {
	t.Helper()
	db, err := store.Open(e.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e.db = db
	cfg := e.cfg
	cfg.DB = db
	if e.p, err = noip.New(cfg); err != nil {
		t.Fatal(err)
	}
}

func ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return c
}

// public returns desired hosts that follow the public address.
func public(names ...string) []providers.Resource {
	out := make([]providers.Resource, len(names))
	for i, n := range names {
		out[i] = providers.Resource{Kind: providers.KindDDNSHost, Name: n}
	}
	return out
}

func observe(t testing.TB, p *noip.Provider, want []providers.Resource) providers.ResourceObservation {
	t.Helper()
	obs, err := p.ObserveResources(ctx(t), target, want)
	if err != nil {
		t.Fatalf("observe: %v", err)
	}
	if len(obs.States) != len(want) {
		t.Fatalf("%d states for %d hosts", len(obs.States), len(want))
	}
	return obs
}

// plan is what the engine plans from obs: an update for each host not
// held whose live address is not the wanted one.
func plan(want []providers.Resource, obs providers.ResourceObservation) []providers.Change {
	var out []providers.Change
	for i, st := range obs.States {
		if st.Held != "" {
			continue
		}
		after := want[i]
		if st.Want != nil {
			after.Content = *st.Want
		}
		if !st.Missing && after.Content == st.Live.Content {
			continue
		}
		out = append(out, change(st, after))
	}
	return out
}

func change(st providers.ResourceState, after providers.Resource) providers.Change {
	c := providers.Change{Address: "noip:ddns/" + after.Name, Action: providers.Update, Provider: "noip", Zone: target,
		Resource: &providers.ResourceChange{Target: target, After: &after}}
	if st.Missing {
		c.Action = providers.Create
	} else {
		before := st.Live
		c.Resource.Before = &before
	}
	return c
}

// update is a change of host to addr, without observing first.
func update(host, addr string) providers.Change {
	return change(providers.ResourceState{Live: providers.Resource{Kind: providers.KindDDNSHost, Name: host, Content: oldIP}},
		providers.Resource{Kind: providers.KindDDNSHost, Name: host, Content: addr})
}

// run observes, plans and applies, as one itlag run, and returns the
// plan and the errors.
func run(t testing.TB, p *noip.Provider, want []providers.Resource) ([]providers.Change, []error) {
	t.Helper()
	changes := plan(want, observe(t, p, want))
	if len(changes) == 0 {
		return nil, nil
	}
	errs := p.ApplyResources(ctx(t), target, changes)
	if len(errs) != len(changes) {
		t.Fatalf("%d errors for %d changes", len(errs), len(changes))
	}
	return changes, errs
}

func noErrors(t testing.TB, errs []error) {
	t.Helper()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("change %d: %v", i, err)
		}
	}
}

func holds(t testing.TB, e *env) []noip.Hold {
	t.Helper()
	hs, err := noip.Holds(ctx(t), e.db, target)
	if err != nil {
		t.Fatal(err)
	}
	return hs
}

func describe(obs providers.ResourceObservation) string {
	s := ""
	for _, st := range obs.States {
		w := "<nil>"
		if st.Want != nil {
			w = *st.Want
		}
		s += fmt.Sprintf("\n  %s live=%q missing=%v want=%s held=%q", st.Live.Name, st.Live.Content, st.Missing, w, st.Held)
	}
	for _, f := range obs.Findings {
		s += "\n  finding: " + f.String()
	}
	return s
}

// staleDNS answers addr for every name, as a DNS that has not caught up.
func staleDNS(addr string) func(context.Context, string) ([]netip.Addr, error) {
	return func(context.Context, string) ([]netip.Addr, error) {
		return []netip.Addr{netip.MustParseAddr(addr)}, nil
	}
}
