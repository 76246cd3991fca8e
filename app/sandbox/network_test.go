package sandbox_test

import (
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/lagrieta/itlag/app/sandbox"
	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/transport"
	"github.com/lagrieta/itlag/reconcile"
	"github.com/lagrieta/itlag/schema"
)

// TestNetwork: the sandbox's network answers for the internet from
// loopback: websites over http and https (the sandbox CA trusted), names
// from the sandbox's zones, declared TCP ports open, the rest closed; the
// seeded website is down until web.json says otherwise.
func TestNetwork(t *testing.T) {
	dir := t.TempDir()
	d := reconcile.Desired{Zones: []reconcile.Zone{{Name: "example.org", Provider: "cloudflare", Records: []providers.Record{
		{Zone: "example.org", Name: "@", Type: "A", Content: "192.0.2.10", TTL: 1},
		{Zone: "example.org", Name: "www", Type: "CNAME", Content: "example.org", TTL: 1},
	}}}}
	st := &schema.State{}
	sb, err := sandbox.Open(ctx(t), dir, d, st, transport.New(transport.Options{}), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	// apply what the seeded world lacks, so that www resolves
	p := reconcile.Plan(d, observe(t, sb, d), reconcile.Policy{})
	reconcile.Apply(ctx(t), p, sb.Providers)
	n, err := sb.Network(sandbox.Targets{
		Sites:    map[string][]string{"example.org": {"Welcome"}, "www.example.org": nil},
		SeedDown: []string{"example.org", "www.example.org"},
		Open:     []string{"example.org:25"},
		Zones:    map[string]string{"example.org": "cloudflare"},
	})
	if err != nil {
		t.Fatal(err)
	}
	get := func(url string) (int, string) {
		t.Helper()
		c := &http.Client{Transport: &http.Transport{DialContext: n.DialContext, TLSClientConfig: &tls.Config{RootCAs: n.RootCAs}}}
		resp, err := c.Get(url)
		if err != nil {
			t.Fatalf("GET %s: %v", url, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("https://www.example.org/"); code != 200 || !strings.Contains(body, "www.example.org") {
		t.Errorf("https www: %d %q", code, body)
	}
	if code, _ := get("http://example.org/"); code != http.StatusServiceUnavailable {
		t.Errorf("the seeded site answers %d, want 503", code)
	}
	web := filepath.Join(dir, sandbox.WebFile)
	b, err := os.ReadFile(web)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(web, []byte(strings.Replace(string(b), "503", "200", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, body := get("https://example.org/"); code != 200 || !strings.Contains(body, "Welcome") {
		t.Errorf("fixed in web.json: %d %q, want 200 with the declared text", code, body)
	}
	if info, err := os.Stat(filepath.Join(dir, "ca-key.pem")); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("ca-key.pem: %v %v, want mode 0600", info, err)
	}

	for _, tt := range []struct {
		addr string
		ok   bool
	}{{"example.org:25", true}, {"example.org:22", false}} {
		c, err := n.DialContext(ctx(t), "tcp", tt.addr)
		if (err == nil) != tt.ok {
			t.Errorf("dial %s: %v, want ok=%v", tt.addr, err, tt.ok)
		}
		if err == nil {
			c.Close()
		} else if !errors.Is(err, syscall.ECONNREFUSED) {
			t.Errorf("dial %s: %v, want connection refused", tt.addr, err)
		}
	}

	for _, tt := range []struct{ name, want string }{
		{"www.example.org", "192.0.2.10"}, // through its CNAME
		{"example.org.", "192.0.2.10"},
		{"nothere.example.org", ""},         // in a sandbox zone, no record
		{"nowhere.example.net", "192.0.2."}, // beyond the zones: a stand-in
	} {
		addrs, err := n.LookupIP(ctx(t), "1.1.1.1:53", tt.name)
		var de *net.DNSError
		switch {
		case tt.want == "" && (!errors.As(err, &de) || !de.IsNotFound):
			t.Errorf("lookup %s: %v %v, want not found", tt.name, addrs, err)
		case tt.want != "" && (err != nil || len(addrs) != 1 || !matchAddr(addrs[0].String(), tt.want)):
			t.Errorf("lookup %s: %v %v, want %s", tt.name, addrs, err, tt.want)
		}
	}
}

func observe(t *testing.T, sb *sandbox.Sandbox, d reconcile.Desired) reconcile.Observed {
	t.Helper()
	obs, err := reconcile.Observe(ctx(t), d, sb.Providers)
	if err != nil {
		t.Fatal(err)
	}
	return obs
}

// matchAddr is got == want, or got in want's range when want ends in ".".
func matchAddr(got, want string) bool {
	if strings.HasSuffix(want, ".") {
		return strings.HasPrefix(got, want)
	}
	return got == want
}
