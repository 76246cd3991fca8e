package secret

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/lagrieta/itlag/schema"
	"github.com/lagrieta/itlag/schema/secret/agefile"
)

func TestResolverAge(t *testing.T) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	other, _ := age.GenerateX25519Identity()
	dir := t.TempDir()
	data, err := agefile.Encrypt([]byte("NOIP_PASSWORD: \" s3cr3t-noip \"\nEMPTY: \"\"\n"), []age.Recipient{id.Recipient()})
	if err != nil {
		t.Fatal(err)
	}
	if err := agefile.WriteFile(dir, "secrets/office.age", data); err != nil {
		t.Fatal(err)
	}
	env := func(k string) func(string) string {
		return func(name string) string {
			if name == agefile.EnvIdentity {
				return k
			}
			return ""
		}
	}
	ref := func(file, key string) schema.CredentialRef { return schema.CredentialRef{Age: file, Key: key} }
	tests := []struct {
		name    string
		getenv  func(string) string
		ref     schema.CredentialRef
		want    string
		wantErr string
	}{
		{"value", env(id.String()), ref("secrets/office.age", "NOIP_PASSWORD"), "s3cr3t-noip", ""},
		{"missing key", env(id.String()), ref("secrets/office.age", "SMTP"), "", "age:secrets/office.age#SMTP: secrets/office.age has no key SMTP"},
		{"empty value", env(id.String()), ref("secrets/office.age", "EMPTY"), "", "is empty"},
		{"no identity", env(""), ref("secrets/office.age", "NOIP_PASSWORD"), "", "set ITLAG_AGE_IDENTITY"},
		{"wrong identity", env(other.String()), ref("secrets/office.age", "NOIP_PASSWORD"), "", "no identity matches"},
		{"missing file", env(id.String()), ref("secrets/nope.age", "X"), "", "secrets/nope.age: no such file"},
		{"escaping", env(id.String()), ref("../office.age", "X"), "", "unsafe path"},
		{"age and env", env(id.String()), schema.CredentialRef{Age: "a.age", Key: "K", Env: "E"}, "", "set one of"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Resolver{StateDir: dir, Getenv: tt.getenv}
			got, err := r.Resolve(tt.ref)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want containing %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "s3cr3t") || strings.Contains(err.Error(), id.String()) {
					t.Fatalf("error leaks: %v", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}

	// each file is decrypted once: removing it after the first read
	// changes nothing for the same Resolver
	r := &Resolver{StateDir: dir, Getenv: env(id.String())}
	if _, err := r.Resolve(ref("secrets/office.age", "NOIP_PASSWORD")); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "secrets/office.age")); err != nil {
		t.Fatal(err)
	}
	if v, err := r.Resolve(ref("secrets/office.age", "NOIP_PASSWORD")); err != nil || v != "s3cr3t-noip" {
		t.Fatalf("second read = %q, %v; want the cached value", v, err)
	}
	if _, err := Resolve(ref("secrets/office.age", "NOIP_PASSWORD")); err == nil || !strings.Contains(err.Error(), "Resolver") {
		t.Fatalf("package Resolve on an age ref: %v", err)
	}
}
