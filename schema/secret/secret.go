package secret

import (
	"fmt"
	"os"
	"strings"

	"github.com/lagrieta/itlag/schema"
)

// Resolve reads the secret an env or file reference points at (a
// Resolver reads age references too). Leading and trailing
// white space (a file's final newline) is dropped. An empty value is an
// error, so that a mistyped variable is never sent as an empty credential.
func Resolve(ref schema.CredentialRef) (string, error) {
	var v string
	switch {
	case ref.Age != "":
		return "", fmt.Errorf("credential %s: an age reference is read through a Resolver (it needs the state directory)", ref)
	case ref.Env != "" && ref.File != "":
		return "", fmt.Errorf("credential %s: set env or file, not both", ref)
	case ref.Env != "":
		val, ok := os.LookupEnv(ref.Env)
		if !ok {
			return "", fmt.Errorf("credential %s: environment variable %s is not set", ref, ref.Env)
		}
		v = val
	case ref.File != "":
		b, err := os.ReadFile(ref.File)
		if err != nil {
			// the path is not secret; the content is never shown
			return "", fmt.Errorf("credential %s: %w", ref, err)
		}
		v = string(b)
	default:
		return "", fmt.Errorf("credential reference is empty: set env or file")
	}
	v = strings.TrimSpace(v)
	if v == "" {
		return "", fmt.Errorf("credential %s: is empty", ref)
	}
	return v, nil
}
