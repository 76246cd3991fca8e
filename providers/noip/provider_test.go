package noip_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/noip"
	"github.com/lagrieta/itlag/store"
)

func TestNewValidates(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "itlag.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	good := func() noip.Config {
		return noip.Config{Username: "owner:x", Password: "s3cr3t-Pa55", UserRef: userRef, PassRef: passRef, UserAgent: agent, DB: db}
	}
	tests := []struct {
		name string
		edit func(*noip.Config)
		err  string
	}{
		{"no database", func(c *noip.Config) { c.DB = nil }, "no database"},
		{"no password", func(c *noip.Config) { c.Password = "" }, "no username or password (from " + userRef + " / " + passRef + ")"},
		{"colon in username", func(c *noip.Config) {}, "username from " + userRef + " contains a colon"},
		{"no agent", func(c *noip.Config) { c.Username, c.UserAgent = "owner", "" }, "User-Agent"},
		{"agent without contact", func(c *noip.Config) { c.Username, c.UserAgent = "owner", "itlag/1.0" }, "name/version contact"},
		{"credentials in URL", func(c *noip.Config) { c.Username, c.APIURL = "owner", "https://u:p@dynupdate.no-ip.com" }, "credentials do not belong"},
		{"plain http update URL", func(c *noip.Config) { c.Username, c.APIURL = "owner", "http://dynupdate.no-ip.com" }, "only over TLS"},
		{"plain http IP source", func(c *noip.Config) { c.Username, c.IPSources = "owner", []string{"http://ip.example.org"} }, "only over TLS"},
		{"relative source", func(c *noip.Config) { c.Username, c.IPSources = "owner", []string{"/ip"} }, "absolute"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good()
			tt.edit(&c)
			_, err := noip.New(c)
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("got %v, want %q", err, tt.err)
			}
			for _, secret := range []string{"s3cr3t-Pa55", "owner:x"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q shows a credential", err)
				}
			}
		})
	}
	c := good()
	c.Username = "owner@lagrieta.example"
	if _, err := noip.New(c); err != nil {
		t.Errorf("a good config: %v", err)
	}
}

// TestAgentAndCredentials: the fake receives the configured User-Agent and
// the credentials (it accepts only those), and no error or finding of a
// refused run shows them.
func TestAgentAndCredentials(t *testing.T) {
	e := setup(t, map[string]string{"home.ddns.net": oldIP}, nil)
	_, errs := run(t, e.p, public("home.ddns.net"))
	noErrors(t, errs)
	for _, u := range e.fake.Updates() {
		if u.UserAgent != agent || !strings.HasPrefix(u.Answer, "good") {
			t.Errorf("fake saw %+v, want User-Agent %q and good (the credentials accepted)", u, agent)
		}
	}

	user, pass := e.fake.Username(), "wrong-Pa55w0rd"
	e.cfg.Password = pass
	e.restart(t)
	e.clock.Add(1e12)
	e.echo.SetIP("203.0.113.99")
	_, errs = run(t, e.p, public("home.ddns.net"))
	obs := observe(t, e.p, public("home.ddns.net"))
	var texts []string
	for _, err := range errs {
		if err == nil {
			t.Fatal("a wrong password was accepted")
		}
		texts = append(texts, err.Error())
	}
	for _, f := range obs.Findings {
		texts = append(texts, f.Summary, f.Detail)
	}
	texts = append(texts, obs.States[0].Held)
	// an unreachable server: the transport's error names the URL
	e.fake.Close()
	noip.ClearHolds(ctx(t), e.db, target, "")
	errs = e.p.ApplyResources(ctx(t), target, []providers.Change{update("home.ddns.net", "203.0.113.99")})
	if errs[0] == nil {
		t.Fatal("an update to a closed server succeeded")
	}
	texts = append(texts, errs[0].Error())
	for _, s := range texts {
		for _, secret := range []string{user, pass, e.fake.Password()} {
			if strings.Contains(s, secret) {
				t.Errorf("%q shows a credential", s)
			}
		}
	}
	if !strings.Contains(strings.Join(texts, "\n"), userRef) {
		t.Errorf("no message names the credential reference %s:\n%s", userRef, strings.Join(texts, "\n"))
	}
}
