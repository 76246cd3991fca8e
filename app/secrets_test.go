package app

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/reconcile"
	"github.com/lagrieta/itlag/schema"
)

// Defence in depth: a resolved secret that appears verbatim in a live
// copy the state does not mark sensitive (pasted by hand into a
// world-readable file) is still never printed, nor in an error or a
// finding.
func TestResolvedSecretsNeverShown(t *testing.T) {
	const secret = "tok-9f8e7d-s3cret"
	rt := &Runtime{Opts: Options{Sandbox: t.TempDir()}, State: &schema.State{}}
	rt.secrets.remember(schema.CredentialRef{Env: "DDNS_TOKEN"}.String(), secret)
	rt.secrets.remember("env:SHORT", "abc") // too short to look for

	motd := providers.Resource{Kind: providers.KindFile, Name: "/etc/motd", Content: "hello\n"}
	d := reconcile.Desired{Resources: []reconcile.ResourceSet{{Provider: "nas", Target: "office", Resources: []providers.Resource{motd}}}}
	rt.Desired = d
	rt.placeholders = map[string]string{"env:DDNS_TOKEN": secret}
	rt.protectDesired()
	key := rt.redactKey
	rt.protectDesired() // providers opened again (watch): the same key
	if string(rt.redactKey) != string(key) {
		t.Error("the redaction key changed when the providers were opened again")
	}
	if rt.redactKey == nil {
		t.Fatal("no redaction key from a resolved placeholder")
	}
	live := providers.Resource{Kind: providers.KindFile, Name: "/etc/motd", Content: "hello\ntoken=" + secret + "\n"}
	obs := reconcile.Observed{Resources: map[string]providers.ResourceObservation{
		"nas:office": {States: []providers.ResourceState{{Live: live}}}}}
	rt.protectObserved(d, &obs, nil)
	p := reconcile.Plan(d, obs, reconcile.Policy{})
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), secret) {
		t.Errorf("plan shows the secret:\n%s", b)
	}
	if !strings.Contains(string(b), "redacted hmac-sha256:") {
		t.Errorf("plan has no keyed digest of the redacted side:\n%s", b)
	}

	// the record of a sensitive last apply alone is enough
	live.Content = "hello\npassword=hunter2-guessable\n"
	obs.Resources["nas:office"].States[0].Live = live
	rt.protectObserved(d, &obs, map[string]bool{"nas:office/file/etc/motd": true})
	if b, _ := json.Marshal(reconcile.Plan(d, obs, reconcile.Policy{})); strings.Contains(string(b), "hunter2") {
		t.Errorf("a file recorded sensitive at its last apply is shown:\n%s", b)
	}

	err = rt.scrubErr(&fs.PathError{Op: "reload", Path: "/etc/motd", Err: errors.New("bad token " + secret)})
	var pe *fs.PathError
	if strings.Contains(err.Error(), secret) || !errors.As(err, &pe) {
		t.Errorf("scrubErr = %v (chain kept: %v)", err, errors.As(err, &pe))
	}
	if err := errors.New("abc"); rt.scrubErr(err) != err {
		t.Error("a value shorter than minSecretLen was looked for")
	}
	fs := []finding.Finding{finding.New(finding.High, "nas:office", "x", "reload said "+secret)}
	fs[0].Detail = "stderr: " + secret
	rt.scrubFindings(fs)
	if strings.Contains(fs[0].Summary+fs[0].Detail, secret) {
		t.Errorf("finding shows the secret: %+v", fs[0])
	}
}

// The redaction key is the same when the providers are opened again (the
// watch loop closes and reopens them): a saved or committed plan would
// otherwise look changed.
func TestRedactionKeyStableAcrossReopen(t *testing.T) {
	state := t.TempDir()
	yaml := `nas:
  office:
    host: 127.0.0.1
    user: itlag
    key: {file: /nonexistent/key}
    host_key: "SHA256:` + strings.Repeat("A", 43) + `"
    files:
      - path: /etc/noip2.conf
        content: "password=${env:NOIP_PASSWORD}\n"
`
	if err := os.WriteFile(filepath.Join(state, "nas.yaml"), []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	rt, err := Load(Options{StateDir: state, Sandbox: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	ctx := context.Background()
	if _, err := rt.Providers(ctx); err != nil {
		t.Fatal(err)
	}
	key := rt.redactKey
	if key == nil {
		t.Fatal("no key")
	}
	if err := rt.CloseProviders(); err != nil {
		t.Fatal(err)
	}
	if _, err := rt.Providers(ctx); err != nil {
		t.Fatal(err)
	}
	if string(rt.redactKey) != string(key) {
		t.Error("the redaction key changed when the providers were opened again")
	}
	if r := rt.Desired.Resources[0].Resources[0]; string(r.RedactKey) != string(key) || !r.Sensitive {
		t.Errorf("desired resource %+v: want the key and Sensitive", r)
	}
	// another machine (another data directory, another process) with the
	// same state and secrets: the same key, so a plan saved on one is not
	// stale on the other
	other, err := Load(Options{StateDir: state, Sandbox: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.Providers(ctx); err != nil {
		t.Fatal(err)
	}
	if string(other.redactKey) != string(key) {
		t.Error("another runtime with the same secrets derived another key")
	}
}
