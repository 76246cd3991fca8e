package secret

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/schema"
)

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "token")
	if err := os.WriteFile(file, []byte("s3cr3t-from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ITLAG_TEST_TOKEN", " s3cr3t-from-env ")
	t.Setenv("ITLAG_TEST_EMPTY", "")
	tests := []struct {
		name    string
		ref     schema.CredentialRef
		want    string
		wantErr string
	}{
		{"env", schema.CredentialRef{Env: "ITLAG_TEST_TOKEN"}, "s3cr3t-from-env", ""},
		{"file", schema.CredentialRef{File: file}, "s3cr3t-from-file", ""},
		{"env unset", schema.CredentialRef{Env: "ITLAG_TEST_UNSET_XYZ"}, "", "environment variable ITLAG_TEST_UNSET_XYZ is not set"},
		{"env empty", schema.CredentialRef{Env: "ITLAG_TEST_EMPTY"}, "", "env:ITLAG_TEST_EMPTY: is empty"},
		{"file empty", schema.CredentialRef{File: empty}, "", "is empty"},
		{"file missing", schema.CredentialRef{File: filepath.Join(dir, "nope")}, "", "no such file"},
		{"both", schema.CredentialRef{Env: "A", File: "B"}, "", "not both"},
		{"none", schema.CredentialRef{}, "", "reference is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Resolve(tt.ref)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want containing %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "s3cr3t") {
					t.Fatalf("error leaks the secret: %v", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
