package registry_test

import (
	"context"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/registry"
	"github.com/lagrieta/itlag/reconcile"
	"github.com/lagrieta/itlag/schema"
	"github.com/lagrieta/itlag/store"
)

// state configures every provider, with one NAS.
func state() *schema.State {
	ref := schema.CredentialRef{Env: "UNUSED"}
	return &schema.State{
		Providers: schema.Providers{
			Cloudflare: &schema.Cloudflare{APIToken: ref},
			GoDaddy:    &schema.GoDaddy{APIKey: ref, APISecret: ref},
			NoIP:       &schema.NoIP{Username: ref, Password: ref, Contact: "ops@example.org"},
		},
		NAS: map[string]schema.NAS{"office": {Host: "192.0.2.10", User: "itlag", CronFile: "/etc/crontab"}},
	}
}

func env(t *testing.T) registry.Env {
	db, err := store.Open(filepath.Join(t.TempDir(), "itlag.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return registry.Env{
		State:   state(),
		HTTP:    http.DefaultClient,
		Secret:  func(schema.CredentialRef) (string, error) { return "secret", nil },
		DB:      func() (*store.DB, error) { return db, nil },
		Version: "test",
	}
}

// TestEntries checks the list: names, claims, hooks, and that the
// providers each entry builds (real and sandbox) implement exactly the
// capabilities it claims.
func TestEntries(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range registry.Entries() {
		t.Run(e.Name, func(t *testing.T) {
			if e.Name == "" || seen[e.Name] {
				t.Fatalf("entry name %q: empty or listed twice", e.Name)
			}
			seen[e.Name] = true
			if e.Has.DNS == nil && !e.Has.Registrar && !e.Has.Resources {
				t.Errorf("claims no capability")
			}
			if e.New == nil || e.Sandbox == nil {
				t.Fatalf("New or Sandbox hook missing")
			}
			if im := e.Import; im != nil {
				if (!im.Zones && !im.Domains) || (im.Zones && e.Has.DNS == nil) || (im.Domains && !e.Has.Registrar) {
					t.Errorf("Import %+v does not fit Has %+v", *im, e.Has)
				}
			}
			real, err := e.New(env(t), "test")
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			checkHas(t, "real", e, real)

			dir := t.TempDir()
			db, err := store.Open(filepath.Join(dir, "itlag.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			f, err := e.Sandbox(registry.SandboxEnv{Dir: dir, State: state(), HTTP: http.DefaultClient, DB: db})
			if err != nil {
				t.Fatalf("Sandbox: %v", err)
			}
			defer f.Close()
			checkHas(t, "sandbox", e, f.Provider())
			if err := f.Seed(context.Background(), reconcile.Desired{}, nil); err != nil {
				t.Errorf("Seed(empty): %v", err)
			}
			if _, ok := f.(registry.ZoneSampler); ok != (e.Has.DNS != nil) {
				t.Errorf("sandbox fake samples zones: %v, hosts DNS: %v", ok, e.Has.DNS != nil)
			}
			if _, ok := f.(registry.DomainSampler); ok != e.Has.Registrar {
				t.Errorf("sandbox fake samples domains: %v, registrar: %v", ok, e.Has.Registrar)
			}
		})
	}
	for _, name := range []string{"cloudflare", "godaddy", "noip", "nas"} {
		if !seen[name] {
			t.Errorf("no entry for %s", name)
		}
	}
}

func checkHas(t *testing.T, what string, e registry.Entry, p providers.Provider) {
	t.Helper()
	if p.Name() != e.Name {
		t.Errorf("%s: Name() = %q, want %q", what, p.Name(), e.Name)
	}
	if _, ok := p.(providers.DNS); ok != (e.Has.DNS != nil) {
		t.Errorf("%s: implements providers.DNS: %v, entry claims %v", what, ok, e.Has.DNS != nil)
	}
	if _, ok := p.(providers.Registrar); ok != e.Has.Registrar {
		t.Errorf("%s: implements providers.Registrar: %v, entry claims %v", what, ok, e.Has.Registrar)
	}
	if _, ok := p.(providers.ResourceProvider); ok != e.Has.Resources {
		t.Errorf("%s: implements providers.ResourceProvider: %v, entry claims %v", what, ok, e.Has.Resources)
	}
}

func TestCapabilities(t *testing.T) {
	caps := registry.Capabilities()
	tests := []struct {
		provider string
		want     providers.Capabilities
	}{
		{"cloudflare", providers.Capabilities{Proxy: true, Comments: true, MinTTL: 60}},
		{"godaddy", providers.Capabilities{AutoTTL: 3600, MinTTL: 600}},
		{"memory", providers.DefaultCapabilities}, // not listed: the default
	}
	for _, tt := range tests {
		if got := caps.Of(tt.provider); got != tt.want {
			t.Errorf("Of(%q) = %+v, want %+v", tt.provider, got, tt.want)
		}
	}
	for _, name := range []string{"noip", "nas"} {
		if _, ok := caps[name]; ok {
			t.Errorf("%s hosts no zones but has record capabilities", name)
		}
	}
}

func TestOpen(t *testing.T) {
	d := reconcile.Desired{
		Zones:     []reconcile.Zone{{Provider: "cloudflare", Name: "example.org"}},
		Resources: []reconcile.ResourceSet{{Provider: "nas", Target: "office"}},
	}
	provs, closeFn, err := registry.Open(context.Background(), env(t), d)
	if err != nil {
		t.Fatal(err)
	}
	defer closeFn()
	if len(provs) != 2 || provs["cloudflare"] == nil || provs["nas"] == nil {
		t.Errorf("Open: %v, want cloudflare and nas", provs)
	}

	tests := []struct {
		name string
		d    reconcile.Desired
		st   func(*schema.State)
		want string
	}{
		{"not configured", reconcile.Desired{Zones: []reconcile.Zone{{Provider: "cloudflare", Name: "x.org"}}},
			func(st *schema.State) { st.Providers.Cloudflare = nil },
			"zone x.org uses provider cloudflare, but providers.cloudflare is not configured in the state"},
		{"unknown", reconcile.Desired{Zones: []reconcile.Zone{{Provider: "route53", Name: "x.org"}}}, nil,
			`zone x.org uses provider route53: unknown provider "route53"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := env(t)
			if tt.st != nil {
				tt.st(e.State)
			}
			_, _, err := registry.Open(context.Background(), e, tt.d)
			if err == nil || err.Error() != tt.want {
				t.Errorf("Open: %v, want %s", err, tt.want)
			}
		})
	}
}
