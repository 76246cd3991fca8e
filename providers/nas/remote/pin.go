package remote

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"strings"

	"golang.org/x/crypto/ssh"
)

// Pin is the host key a NAS must present: either the key itself (from a
// known_hosts or authorized_keys style line) or only its SHA256
// fingerprint. The zero Pin matches nothing.
type Pin struct {
	key         ssh.PublicKey // nil for a fingerprint-only pin
	fingerprint string        // "SHA256:…", always set
}

// ParsePin reads a pin written as one of:
//
//	"host ssh-ed25519 AAAA… [comment]"  (a known_hosts line; hosts ignored)
//	"ssh-ed25519 AAAA… [comment]"       (a public key line)
//	"SHA256:base64…"                    (a fingerprint, as ssh-keygen -l prints)
//
// Anything else (MD5 fingerprints, @cert-authority or @revoked lines, keys
// that do not decode) is an error saying what is wrong.
func ParsePin(s string) (Pin, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return Pin{}, errors.New("host key pin: empty (pin a known_hosts line or a SHA256 fingerprint)")
	case strings.HasPrefix(s, "SHA256:"):
		return parseFingerprintPin(s)
	case strings.HasPrefix(strings.ToUpper(s), "MD5:"):
		return Pin{}, errors.New("host key pin: MD5 fingerprints are not accepted; use the SHA256 one (ssh-keygen -l -E sha256)")
	case strings.HasPrefix(s, "@"):
		marker, _, _ := strings.Cut(s, " ")
		return Pin{}, fmt.Errorf("host key pin: %s lines are not accepted; pin the host's own key", marker)
	}
	fields := strings.Fields(s)
	// "type base64 [comment]" or "hosts type base64 [comment]" (a host
	// may itself look like a key type: "ssh-gw ssh-ed25519 AAAA…").
	var firstErr error
	for _, at := range []int{0, 1} {
		if len(fields) < at+2 || !looksLikeKeyType(fields[at]) {
			continue
		}
		key, err := parseKeyFields(fields[at], fields[at+1])
		if err == nil {
			return Pin{key: key, fingerprint: ssh.FingerprintSHA256(key)}, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	if firstErr != nil {
		return Pin{}, firstErr
	}
	return Pin{}, errors.New(`host key pin: not a key line ("[host] ssh-ed25519 AAAA…") nor a fingerprint ("SHA256:…")`)
}

// looksLikeKeyType tells a key algorithm name ("ssh-ed25519",
// "ecdsa-sha2-nistp256", "sk-ssh-ed25519@openssh.com") from a host field.
func looksLikeKeyType(f string) bool {
	return strings.HasPrefix(f, "ssh-") || strings.HasPrefix(f, "ecdsa-") || strings.HasPrefix(f, "sk-")
}

func parseKeyFields(typ, b64 string) (ssh.PublicKey, error) {
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, fmt.Errorf("host key pin: %s key: bad base64: %w", typ, err)
	}
	key, err := ssh.ParsePublicKey(raw)
	if err != nil {
		return nil, fmt.Errorf("host key pin: %s key: %w", typ, err)
	}
	if key.Type() != typ {
		return nil, fmt.Errorf("host key pin: line says %s but the key is %s", typ, key.Type())
	}
	if _, isCert := key.(*ssh.Certificate); isCert {
		return nil, errors.New("host key pin: certificates are not accepted; pin the host's own key")
	}
	return key, nil
}

func parseFingerprintPin(s string) (Pin, error) {
	b64 := strings.TrimPrefix(s, "SHA256:")
	raw, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(b64, "="))
	if err != nil {
		return Pin{}, fmt.Errorf("host key pin: fingerprint %q: bad base64: %w", s, err)
	}
	if len(raw) != 32 {
		return Pin{}, fmt.Errorf("host key pin: fingerprint %q: %d bytes, a SHA256 fingerprint has 32", s, len(raw))
	}
	return Pin{fingerprint: "SHA256:" + base64.RawStdEncoding.EncodeToString(raw)}, nil
}

// Fingerprint is the pinned key's "SHA256:…" fingerprint.
func (p Pin) Fingerprint() string { return p.fingerprint }

// String is the fingerprint, with the key type when the key is known.
func (p Pin) String() string {
	if p.key != nil {
		return p.key.Type() + " " + p.fingerprint
	}
	return p.fingerprint
}

// Matches reports whether key is the pinned key: same bytes when the pin
// holds the key, same SHA256 fingerprint otherwise.
func (p Pin) Matches(key ssh.PublicKey) bool {
	if key == nil || p.fingerprint == "" {
		return false
	}
	if p.key != nil {
		return bytes.Equal(p.key.Marshal(), key.Marshal())
	}
	return Fingerprint(key) == p.fingerprint
}

// hostKeyAlgorithms are the algorithms to ask the server for, so that a host
// with several keys presents the pinned one; nil (any) for a fingerprint
// pin, whose key type is unknown.
func (p Pin) hostKeyAlgorithms() []string {
	if p.key == nil {
		return nil
	}
	if p.key.Type() == ssh.KeyAlgoRSA {
		return []string{ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256, ssh.KeyAlgoRSA}
	}
	return []string{p.key.Type()}
}

// Fingerprint returns a public key's "SHA256:…" fingerprint, as
// ssh-keygen -l prints it.
func Fingerprint(key ssh.PublicKey) string { return ssh.FingerprintSHA256(key) }

// HostKeyCallback accepts only the pinned key. Any other key is refused with
// an error wrapping ErrHostKeyMismatch that names both fingerprints; no
// trust-on-first-use.
func (p Pin) HostKeyCallback() ssh.HostKeyCallback {
	return func(hostname string, _ net.Addr, key ssh.PublicKey) error {
		if p.Matches(key) {
			return nil
		}
		return &mismatchError{host: hostname, presented: Fingerprint(key), pinned: p.String()}
	}
}

type mismatchError struct{ host, presented, pinned string }

func (e *mismatchError) Error() string {
	return fmt.Sprintf("%v: %s presented %s, pinned %s (if the NAS's key really changed, pin the new one)",
		ErrHostKeyMismatch, e.host, e.presented, e.pinned)
}

func (e *mismatchError) Unwrap() error { return ErrHostKeyMismatch }
