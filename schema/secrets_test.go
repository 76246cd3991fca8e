package schema

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A problem names the file, line and field, but never quotes a value that
// may be a secret: a token pasted where a reference belongs, an env file
// read as YAML, a line that does not parse.
func TestProblemsDoNotQuoteSecrets(t *testing.T) {
	const token = "tok-9f8e7d6c5b4a39281706f5e4d3c2b1a0"
	tests := []struct {
		name string
		yaml string
		want string // the problem still says where
	}{
		{"token as the reference", "providers:\n  cloudflare:\n    api_token: " + token + "\n", "a.yaml:3:16: providers.cloudflare.api_token: a string (36 characters) is not allowed"},
		{"env file read as YAML", "CLOUDFLARE_API_TOKEN=" + token + "\nOTHER=x\n", "a.yaml:1:1: a string"},
		{"token in a reference that does not parse", "providers:\n  cloudflare:\n    api_token: {env: \"" + token + "\n", "a.yaml:"},
		{"token on a line with a bad escape", "providers:\n  cloudflare:\n    api_token: \"" + token + "\\q\"\n", "a.yaml:3:"},
		{"token in a mapping that does not parse", "alerts:\n  routes:\n    chat: {webhook: {url: " + token + ": x}}\n", "a.yaml:"},
		{"token as another reference", "providers:\n  godaddy:\n    api_key: {env: A}\n    api_secret: " + token + "\n", "providers.godaddy.api_secret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "a.yaml"), []byte(tt.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Load(dir)
			if err == nil {
				t.Fatal("Load() = nil, want problems")
			}
			if strings.Contains(err.Error(), "9f8e7d6c5b4a") {
				t.Errorf("the error quotes the token:\n%v", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error lacks %q:\n%v", tt.want, err)
			}
		})
	}
}

// A symlink in the state directory that leads out of it is refused,
// naming the link, and what it points at is never read into an error.
func TestLoadRefusesSymlinksOut(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "state")
	if err := os.MkdirAll(filepath.Join(dir, ".shared"), 0o755); err != nil {
		t.Fatal(err)
	}
	envFile := filepath.Join(root, ".env")
	if err := os.WriteFile(envFile, []byte("CLOUDFLARE_API_TOKEN=tok-9f8e7d6c5b4a39281706f5e4d3c2b1a0\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	good := "zones:\n  - {name: example.org, provider: cloudflare}\n"
	if err := os.WriteFile(filepath.Join(dir, ".shared", "zones.yml"), []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, link := range []struct{ target, name string }{
		{envFile, "secrets.yaml"},       // absolute, outside
		{"../.env", "relative.yaml"},    // relative, outside
		{".shared/zones.yml", "z.yaml"}, // inside: read like the file itself
	} {
		if err := os.Symlink(link.target, filepath.Join(dir, link.name)); err != nil {
			t.Fatal(err)
		}
	}
	_, err := Load(dir)
	if err == nil {
		t.Fatal("Load() = nil, want the links out refused")
	}
	msg := err.Error()
	for _, want := range []string{"secrets.yaml: is a symlink leading outside the state directory", "relative.yaml: is a symlink leading outside the state directory"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "9f8e7d6c5b4a") || strings.Contains(msg, "z.yaml") {
		t.Errorf("unexpected content in the error:\n%s", msg)
	}
}
