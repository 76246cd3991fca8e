package gitrepo

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	gitssh "github.com/go-git/go-git/v5/plumbing/transport/ssh"

	"github.com/lagrieta/itlag/schema"
	"github.com/lagrieta/itlag/schema/secret"
)

// Auth authenticates a push or fetch. The implementations are SSHKey and
// Token; a nil Auth means none (file:// remotes, or credentials the
// transport finds on its own).
type Auth interface {
	// method builds the go-git auth method, or returns an error that names
	// the problem without the secret.
	method() (transport.AuthMethod, error)
	// secrets lists the values that must never appear in an error.
	secrets() []string
}

// SSHKey authenticates with a private key file over SSH. Host keys are
// always checked against KnownHosts: there is no way to skip the check.
type SSHKey struct {
	User       string // "git" when empty
	KeyFile    string // path of an unencrypted private key (OpenSSH or PEM)
	KnownHosts string // path of a known_hosts file pinning the server's keys; required
}

func (k SSHKey) method() (transport.AuthMethod, error) {
	if k.KeyFile == "" {
		return nil, errors.New("ssh auth: key file is not set")
	}
	if k.KnownHosts == "" {
		return nil, errors.New("ssh auth: known_hosts file is not set; host keys must be pinned")
	}
	if _, err := os.Stat(k.KnownHosts); err != nil {
		return nil, fmt.Errorf("ssh auth: known_hosts: %w", err)
	}
	user := k.User
	if user == "" {
		user = "git"
	}
	pk, err := gitssh.NewPublicKeysFromFile(user, k.KeyFile, "")
	if err != nil {
		// the path is not secret; the key is never shown
		return nil, fmt.Errorf("ssh auth: key file %s: %w", k.KeyFile, err)
	}
	cb, err := gitssh.NewKnownHostsCallback(k.KnownHosts)
	if err != nil {
		return nil, fmt.Errorf("ssh auth: known_hosts %s: %w", k.KnownHosts, err)
	}
	pk.HostKeyCallback = cb
	return pk, nil
}

func (SSHKey) secrets() []string { return nil }

// Token authenticates over HTTP(S) with basic auth: for GitHub, Username
// "x-access-token" and an installation or personal access token. Its String
// form hides the token.
type Token struct {
	Username string
	Token    string
}

// TokenFromRef resolves a credential reference into a Token. Errors name the
// reference, never the value.
func TokenFromRef(username string, ref schema.CredentialRef) (Token, error) {
	v, err := secret.Resolve(ref)
	if err != nil {
		return Token{}, fmt.Errorf("git: token: %w", err)
	}
	return Token{Username: username, Token: v}, nil
}

func (t Token) method() (transport.AuthMethod, error) {
	if t.Token == "" {
		return nil, errors.New("http auth: token is empty")
	}
	user := t.Username
	if user == "" {
		user = "x-access-token"
	}
	return &githttp.BasicAuth{Username: user, Password: t.Token}, nil
}

func (t Token) secrets() []string { return []string{t.Token} }

// String hides the token, so that printing a Token never shows it.
func (t Token) String() string { return "token(" + t.Username + ":***)" }

// GoString hides the token from %#v too.
func (t Token) GoString() string { return t.String() }

// authMethod returns the transport auth for a (possibly nil) Auth.
func authMethod(a Auth) (transport.AuthMethod, []string, error) {
	if a == nil {
		return nil, nil, nil
	}
	m, err := a.method()
	return m, a.secrets(), err
}

// urlPassword matches the password part of credentials embedded in a URL.
var urlPassword = regexp.MustCompile(`(://[^/@:\s]*:)[^/@\s]+@`)

// redactedError carries a message with secrets removed. It deliberately
// does not unwrap to the original error, which still holds the secret.
type redactedError struct{ msg string }

func (e *redactedError) Error() string { return e.msg }

// redact returns err with every secret and every URL-embedded password
// replaced by "***".
func redact(err error, secrets []string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	clean := urlPassword.ReplaceAllString(msg, "${1}***@")
	for _, s := range secrets {
		if s != "" {
			clean = strings.ReplaceAll(clean, s, "***")
		}
	}
	if clean == msg {
		return err
	}
	return &redactedError{msg: clean}
}
