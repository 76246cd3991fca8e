package agefile

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"filippo.io/age"
)

// The environment variables the identity is read from, as SOPS users know
// them from SOPS_AGE_KEY and SOPS_AGE_KEY_FILE.
const (
	EnvIdentity     = "ITLAG_AGE_IDENTITY"      // the key itself: AGE-SECRET-KEY-1…
	EnvIdentityFile = "ITLAG_AGE_IDENTITY_FILE" // a path to a file holding it (age-keygen's output)
)

// ErrNoIdentity says no identity was given, and where to give one.
var ErrNoIdentity = errors.New("no age identity: set " + EnvIdentity + " (the key, AGE-SECRET-KEY-1…) or " + EnvIdentityFile + " (a file holding it, as age-keygen writes)")

// IdentitiesFromEnv reads the identities from EnvIdentity and
// EnvIdentityFile (both may be set: every identity found is tried). With
// neither set it returns ErrNoIdentity. A key file others may read or
// write is refused. Errors never quote the key.
func IdentitiesFromEnv(getenv func(string) string) ([]age.Identity, error) {
	var ids []age.Identity
	if v := getenv(EnvIdentity); strings.TrimSpace(v) != "" {
		got, err := age.ParseIdentities(strings.NewReader(v))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", EnvIdentity, err)
		}
		ids = append(ids, got...)
	}
	if p := getenv(EnvIdentityFile); p != "" {
		f, err := os.Open(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", EnvIdentityFile, err)
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil && fi.Mode().Perm()&0o006 != 0 {
			// like ssh with private keys: a key others can read is not private
			return nil, fmt.Errorf("%s: %s: readable or writable by others (chmod 600 it)", EnvIdentityFile, p)
		}
		got, err := age.ParseIdentities(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", EnvIdentityFile, p, err)
		}
		ids = append(ids, got...)
	}
	if len(ids) == 0 {
		return nil, ErrNoIdentity
	}
	return ids, nil
}

// ParseRecipients parses public keys (age1…, age1pq1…).
func ParseRecipients(keys []string) ([]age.Recipient, error) {
	if len(keys) == 0 {
		return nil, errors.New("no recipients: declare secrets.recipients in the state")
	}
	var rs []age.Recipient
	for _, k := range keys {
		r, err := age.ParseRecipients(strings.NewReader(k))
		if err != nil || len(r) != 1 {
			// a recipient is public, but it may be a pasted private key:
			// name its position, not its text
			return nil, fmt.Errorf("recipient %d: not an age public key (age1…)", len(rs)+1)
		}
		rs = append(rs, r[0])
	}
	return rs, nil
}
