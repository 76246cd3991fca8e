package gitrepo

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gitssh "github.com/go-git/go-git/v5/plumbing/transport/ssh"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/lagrieta/itlag/schema"
)

const testToken = "ghs_s3cr3tT0ken"

func TestTokenNeverInError(t *testing.T) {
	// A server that echoes the credentials it receives into its error body,
	// which go-git copies into the error it returns.
	var seen string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pass, _ := r.BasicAuth()
		seen = pass
		http.Error(w, "denied for password "+pass, http.StatusForbidden)
	}))
	defer srv.Close()
	srvURL := strings.Replace(srv.URL, "http://", "http://x-access-token:"+testToken+"@", 1)

	tests := []struct {
		name string
		url  string
		auth Auth
	}{
		{"connection refused", "http://127.0.0.1:1/repo.git", Token{Username: "x-access-token", Token: testToken}},
		{"server echoes the token", srv.URL + "/repo.git", Token{Username: "x-access-token", Token: testToken}},
		{"token embedded in the remote URL", "http://x-access-token:" + testToken + "@127.0.0.1:1/repo.git", nil},
		{"embedded token echoed", srvURL + "/repo.git", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			a := f.clone(t, "a")
			gitRun(t, a, "remote", "add", "web", tt.url)
			commitReport(t, a, "reports/drift.md", "a")
			seen = ""
			err := Push(context.Background(), a, "web", "main", tt.auth, nil, 3)
			if err == nil {
				t.Fatal("Push to an unreachable remote succeeded")
			}
			if strings.Contains(err.Error(), testToken) {
				t.Fatalf("error leaks the token: %v", err)
			}
			if strings.Contains(tt.name, "echo") {
				if seen != testToken {
					t.Fatalf("server saw password %q; the test does not exercise the leak", seen)
				}
				if !strings.Contains(err.Error(), "***") {
					t.Fatalf("error = %v; want the echoed token replaced by ***", err)
				}
			}
		})
	}
}

func TestRedact(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"plain failure", "plain failure"},
		{"bad token " + testToken + " twice " + testToken, "bad token *** twice ***"},
		{`Get "https://u:` + testToken + `@host/x": refused`, `Get "https://u:***@host/x": refused`},
		{"ssh://git@host/x", "ssh://git@host/x"},
	}
	for _, tt := range tests {
		got := redact(errors.New(tt.in), []string{testToken, ""})
		if got.Error() != tt.want {
			t.Errorf("redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if errors.Unwrap(got) != nil && strings.Contains(errors.Unwrap(got).Error(), testToken) {
			t.Errorf("redact(%q) unwraps to the secret", tt.in)
		}
	}
	if redact(nil, nil) != nil {
		t.Error("redact(nil) != nil")
	}
}

func TestTokenFormatting(t *testing.T) {
	tok := Token{Username: "x-access-token", Token: testToken}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		if s := fmt.Sprintf(verb, tok); strings.Contains(s, testToken) {
			t.Errorf("%s shows the token: %s", verb, s)
		}
	}
	m, err := tok.method()
	if err != nil {
		t.Fatal(err)
	}
	if s := fmt.Sprint(m); strings.Contains(s, testToken) {
		t.Errorf("auth method prints the token: %s", s)
	}
}

func TestTokenFromRef(t *testing.T) {
	t.Setenv("ITLAG_GITWRITE_TOKEN", testToken+"\n")
	tok, err := TokenFromRef("x-access-token", schema.CredentialRef{Env: "ITLAG_GITWRITE_TOKEN"})
	if err != nil || tok.Token != testToken || tok.Username != "x-access-token" {
		t.Fatalf("TokenFromRef = %v, %v", tok, err)
	}
	_, err = TokenFromRef("x", schema.CredentialRef{Env: "ITLAG_GITWRITE_UNSET_XYZ"})
	if err == nil || !strings.Contains(err.Error(), "ITLAG_GITWRITE_UNSET_XYZ") {
		t.Fatalf("err = %v, want naming the reference", err)
	}
}

func TestSSHKeyPinsHostKeys(t *testing.T) {
	dir := t.TempDir()
	_, clientKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKey(clientKey, "")
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(dir, "id_ed25519")
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	pinned, other := hostKey(t), hostKey(t)
	knownHosts := filepath.Join(dir, "known_hosts")
	line := knownhosts.Line([]string{knownhosts.Normalize("git.example.test:22")}, pinned) + "\n"
	if err := os.WriteFile(knownHosts, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}

	errTests := []struct {
		name    string
		key     SSHKey
		wantErr string
	}{
		{"no key", SSHKey{KnownHosts: knownHosts}, "key file is not set"},
		{"no known_hosts", SSHKey{KeyFile: keyFile}, "host keys must be pinned"},
		{"known_hosts missing", SSHKey{KeyFile: keyFile, KnownHosts: filepath.Join(dir, "nope")}, "known_hosts"},
		{"key missing", SSHKey{KeyFile: filepath.Join(dir, "nokey"), KnownHosts: knownHosts}, "key file"},
	}
	for _, tt := range errTests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tt.key.method(); err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want containing %q", err, tt.wantErr)
			}
		})
	}

	m, err := SSHKey{KeyFile: keyFile, KnownHosts: knownHosts}.method()
	if err != nil {
		t.Fatal(err)
	}
	pk, ok := m.(*gitssh.PublicKeys)
	if !ok || pk.User != "git" || pk.HostKeyCallback == nil {
		t.Fatalf("method = %#v, want PublicKeys for git with a host key callback", m)
	}
	addr := &net.TCPAddr{IP: net.IPv4(192, 0, 2, 1), Port: 22}
	if err := pk.HostKeyCallback("git.example.test:22", addr, pinned); err != nil {
		t.Fatalf("pinned host key refused: %v", err)
	}
	if err := pk.HostKeyCallback("git.example.test:22", addr, other); err == nil {
		t.Fatal("a host key that is not pinned was accepted")
	}
	if err := pk.HostKeyCallback("unknown.example.test:22", addr, pinned); err == nil {
		t.Fatal("an unknown host was accepted")
	}
}

func hostKey(t *testing.T) ssh.PublicKey {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	k, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return k
}
